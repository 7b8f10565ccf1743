"""Working-day arithmetic for 限时办结 deadlines (weekends skipped; public holidays are not modelled)."""

import datetime


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (Saturday and Sunday do not count).

    A problem received on a Friday with a 1-day limit is due on Monday. With 0 days the
    deadline is `start` itself, moved forward to Monday if it falls on a weekend.
    """
    current = start
    while current.weekday() >= 5:
        current += datetime.timedelta(days=1)
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
