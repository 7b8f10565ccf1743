"""Report months: calendar months in Asia/Shanghai (the project's TIME_ZONE)."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str | None) -> datetime.date | None:
    """The first day of a YYYY-MM month, or None when the text is not a month we report on."""
    match = _MONTH_RE.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2999 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


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


def weeks_in_month(first: datetime.date) -> int:
    """How many ISO weeks (Monday to Sunday) overlap the month: 4 to 6."""
    last = month_end(first)
    return len({(first + datetime.timedelta(days=i)).isocalendar()[1] for i in range(last.day)})
