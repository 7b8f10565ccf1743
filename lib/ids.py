"""Id fields that survive a tampered value (found by config/tests/test_form_fuzz.py).

An id past the database's integer range (say 2**64 typed into a URL or a hidden field) is
"not a valid choice", never a 500: SQLite raises OverflowError for it, PostgreSQL an error
that aborts the transaction.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db import connections
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.forms.models import ModelChoiceIterator

from .widgets import QuickSelect, QuickSelectMultiple

MAX_ID = 2**63 - 1  # PostgreSQL's bigint and SQLite's integer share this bound


def in_range(model_field, value, using=None) -> bool:
    low, high = connections[using or "default"].ops.integer_field_range(model_field.get_internal_type())
    return (low is None or value >= low) and (high is None or value <= high)


def _key_field(queryset, to_field_name):
    opts = queryset.model._meta
    return opts.get_field(to_field_name) if to_field_name else opts.pk


def _out_of_range(queryset, to_field_name, item) -> bool:
    try:
        number = int(str(item))
    except ValueError:
        return False  # not a number: Django's own check says "not a valid value"
    return not in_range(_key_field(queryset, to_field_name), number, queryset.db)


class _ShownChoices(ModelChoiceIterator):
    """The options drawn: the field's `shown` queryset when it has one, else its queryset."""

    def __init__(self, field):
        super().__init__(field)
        if field.shown is not None:
            self.queryset = field.shown


class RangeCheckedModelChoiceField(ModelChoiceField):
    widget = QuickSelect  # the scope's cadres or units: hundreds of options
    iterator = _ShownChoices
    shown = None

    def show_only(self, queryset) -> None:
        """Draw only these options (a few of a long list); any row of the field's queryset is
        still accepted, as the links of other pages need."""
        self.shown = queryset
        self.widget.choices = self.choices

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(self.queryset, self.to_field_name, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RangeCheckedModelMultipleChoiceField(ModelMultipleChoiceField):
    widget = QuickSelectMultiple

    def _check_values(self, value):
        for item in value:
            if _out_of_range(self.queryset, self.to_field_name, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class RangeCheckedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = RangeCheckedModelChoiceField


def parse_id(value) -> int | None:
    """A positive id from a query parameter ("?host_enterprise=12"), or None for anything else."""
    text = str(value or "").strip()
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
