"""Admin widgets and fields that survive a tampered value (found by config/tests/test_form_fuzz.py).

- Django 5.2's AutocompleteSelect looks the submitted value up in the database while re-rendering
  an invalid form; a value that is not a key (text, or an integer out of range) then raises and
  the admin answers 500 instead of "select a valid choice".
- ModelMultipleChoiceField passes an out-of-range integer to SQLite, which raises OverflowError.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections
from django.forms import ModelChoiceField, ModelMultipleChoiceField


def _in_range(model_field, value, using) -> bool:
    low, high = connections[using or "default"].ops.integer_field_range(model_field.get_internal_type())
    return (low is None or value >= low) and (high is None or value <= high)


class _ValidValuesOnly:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        to_field = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        valid = []
        for item in value:
            try:
                python = to_field.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            if isinstance(python, int) and not _in_range(to_field, python, self.db):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidValuesOnly, AutocompleteSelectMultiple):
    pass


def _check_key_range(queryset, to_field_name, item, error_messages) -> None:
    """Refuse a key the database cannot hold (SQLite raises OverflowError past 2**63)."""
    opts = queryset.model._meta
    key_field = opts.get_field(to_field_name) if to_field_name else opts.pk
    try:
        number = int(str(item))
    except ValueError:
        return  # not a number: Django's own check says "not a valid value"
    if not _in_range(key_field, number, queryset.db):
        raise ValidationError(error_messages["invalid_choice"], code="invalid_choice")


class RangeCheckedModelChoiceField(ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _check_key_range(self.queryset, self.to_field_name, value, self.error_messages)
        return super().to_python(value)


class RangeCheckedModelMultipleChoiceField(ModelMultipleChoiceField):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        key_field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            try:
                number = int(str(item))
            except ValueError:
                continue  # not a number: Django's own check says "not a valid value"
            if not _in_range(key_field, number, self.queryset.db):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class SafeAutocompleteMixin:
    """For ModelAdmin and inlines with autocomplete_fields: use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", RangeCheckedModelMultipleChoiceField)
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
