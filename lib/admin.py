"""Admin widgets that survive a tampered value (found by config/tests/test_form_fuzz.py).

Django 5.2's AutocompleteSelect looks the submitted value up in the database while
re-rendering an invalid form; a value that is not a key (text, or an integer out of range)
then raises and the admin answers 500 instead of "select a valid choice".
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .ids import RangeCheckedModelMultipleChoiceField, in_range


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
            if isinstance(python, int) and not in_range(to_field, python, self.db):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidValuesOnly, AutocompleteSelectMultiple):
    pass


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


_PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """A permission in the user's language. Django stores permission names in English when it
    migrates ("Can change cadre"), so the admin would list them in English.
    Needs content_type selected."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in _PERMISSION_ACTIONS:
        return str(permission)
    original = getattr(model, "instance_type", None)  # a django-simple-history record model
    name = (
        _("history of %(model)s") % {"model": original._meta.verbose_name}
        if original
        else model._meta.verbose_name
    )
    return f"{model._meta.app_config.verbose_name} | {_PERMISSION_ACTIONS[action] % {'model': name}}"


class TranslatedPermissionsMixin:
    """For the user and group admins: permission choices labelled with permission_label."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field
