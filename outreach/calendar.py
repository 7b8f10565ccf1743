"""The calendar (日历) of planned and done visits: one cadre's, or a leader's unit's, by month.

Days off and make-up working days come from the working-day calendar (lib.workdays).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from lib.months import add_months, month_end, month_label
from lib.workdays import is_working_day

from .models import Visit, WorkingDayOverride

_DAY = datetime.timedelta(days=1)


@dataclass
class MonthCalendar:
    first: datetime.date
    today: datetime.date
    visits: list[Visit] = field(default_factory=list)
    overrides: dict = field(default_factory=dict)

    @classmethod
    def of(cls, visits, first: datetime.date, today: datetime.date) -> MonthCalendar:
        """`visits`: a queryset of the visits to show (scoped by the caller). Two queries."""
        start = first - datetime.timedelta(days=first.weekday())
        shown = list(visits.filter(date__range=(first, month_end(first))).order_by("date", "id"))
        return cls(first, today, shown, WorkingDayOverride.objects.as_map(since=start))

    @property
    def weeks(self) -> list[list[dict]]:
        """Monday-to-Sunday rows covering the month; days outside it are shown greyed."""
        by_day: dict[datetime.date, list[Visit]] = {}
        for visit in self.visits:
            by_day.setdefault(visit.date, []).append(visit)
        day = self.first - datetime.timedelta(days=self.first.weekday())
        last = month_end(self.first)
        weeks = []
        while day <= last:
            week = []
            for _i in range(7):
                week.append(
                    {
                        "date": day,
                        "in_month": day.month == self.first.month,
                        "working": is_working_day(day, self.overrides),
                        "today": day == self.today,
                        "plannable": day >= self.today,
                        "visits": by_day.get(day, []),
                    }
                )
                day += _DAY
            weeks.append(week)
        return weeks

    @property
    def days_with_visits(self) -> list[dict]:
        """The phone list: only the month's days that have something."""
        return [d for week in self.weeks for d in week if d["in_month"] and d["visits"]]

    @property
    def previous_month(self) -> str:
        return month_label(add_months(self.first, -1))

    @property
    def next_month(self) -> str:
        return month_label(add_months(self.first, 1))
