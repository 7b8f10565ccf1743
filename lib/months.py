"""Months as the practice counts them: calendar months in Asia/Shanghai (the project's TIME_ZONE).

The one place that reads a month from text ("2026-11") and does month arithmetic: the
reports, my month and the list filters all use it, so a month means the same everywhere.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
# The years a month may name: wide enough for any real record, narrow enough that month
# arithmetic never leaves the calendar (9999-12 plus one month would overflow).
FIRST_YEAR, LAST_YEAR = 2000, 2999


def parse_month(value: str | None) -> datetime.date | None:
    """The first day of a YYYY-MM month, or None when the text is not a month we report on."""
    match = _MONTH_RE.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def parse_year(value: str | None) -> int | None:
    """A YYYY year we report on, or None."""
    text = (value or "").strip()
    if not (len(text) == 4 and text.isdigit()):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def current_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def add_months(first: datetime.date, n: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(first: datetime.date) -> datetime.date:
    """The last day of the month."""
    return add_months(first, 1) - datetime.timedelta(days=1)


def month_label(first: datetime.date) -> str:
    return f"{first:%Y-%m}"


def local_bounds(first: datetime.date, months: int = 1) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware datetimes [start, end) of a month in the local time zone, for timestamp columns."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(add_months(first, months), datetime.time.min, tzinfo=tz)
    return start, end


def week_spans(first: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The weeks of the month, Monday to Sunday: a week belongs to the month that holds its
    Thursday (the ISO 8601 rule), so every week belongs to exactly one month and a lone
    Sunday at a month's start is not a week of its own. The first week may start in the
    month before and the last end in the month after; 4 or 5 weeks."""
    last = month_end(first)
    thursday = first + datetime.timedelta(days=(3 - first.weekday()) % 7)
    spans = []
    while thursday <= last:
        spans.append((thursday - datetime.timedelta(days=3), thursday + datetime.timedelta(days=3)))
        thursday += datetime.timedelta(days=7)
    return spans


def weeks_in_month(first: datetime.date) -> int:
    """How many weeks belong to the month (see week_spans): 4 or 5."""
    return len(week_spans(first))


class MonthField(forms.CharField):
    """A YYYY-MM month in a form or a filter; cleans to the month's first day (None if blank)."""

    default_error_messages = {"invalid_month": _("Enter the month as YYYY-MM, for example 2026-11.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid_month"], code="invalid_month")
        return month


class MonthFilter(django_filters.Filter):
    """A django-filter filter for a YYYY-MM month; the value handed on is the month's first day."""

    field_class = MonthField
