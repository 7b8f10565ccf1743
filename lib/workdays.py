"""China's working-day calendar: the one rule for 限时办结 deadlines and every "working days".

A day is a working day when, in this order:
1. the admin's table of overrides (outreach.WorkingDayOverride) says so — it is passed in
   as a {date: is_working_day} mapping, because lib has no models;
2. else the `chinesecalendar` package knows the year: official public holidays off, the
   make-up working days (调休, often a Saturday or Sunday) on;
3. else (a year the package does not know yet) Monday to Friday.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import chinese_calendar

Overrides = Mapping[datetime.date, bool]
_ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day: datetime.date, overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # the package has no data for this year yet
        return day.weekday() < 5


def is_known_year(year: int) -> bool:
    """Whether the package has the official holidays of `year` (else only weekends are off)."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_working_days(start: datetime.date, days: int, overrides: Overrides | None = None) -> datetime.date:
    """The date `days` working days after `start`.

    A problem received on the Friday before a holiday with a 1-day limit is due on the
    first working day after it (a make-up Saturday counts). With 0 days the deadline is
    `start` itself, moved forward to the next working day if it falls on a day off.
    """
    current = start
    while not is_working_day(current, overrides):
        current += _ONE_DAY
    remaining = days
    while remaining > 0:
        current += _ONE_DAY
        if is_working_day(current, overrides):
            remaining -= 1
    return current


def working_days_in(first: datetime.date, last: datetime.date, overrides: Overrides | None = None) -> int:
    """How many working days there are from `first` to `last`, both included."""
    count, current = 0, first
    while current <= last:
        count += is_working_day(current, overrides)
        current += _ONE_DAY
    return count
