"""My month (我的本月): one cadre's three kinds of day, weekly grassroots days and plans.

A day counts for the cadre who recorded it (each cadre writes his or her own day and 体会);
the monthly report's completion matrix and the reminders use the same rule. Days as a
companion are listed, but do not count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from lib.months import add_months, month_end, month_label, week_spans
from unions.models import Cadre

from .models import Visit

PLANS_SHOWN = 20


@dataclass
class MyMonth:
    cadre: Cadre
    month_start: datetime.date
    today: datetime.date
    visits: list[Visit] = field(default_factory=list)
    plans: list[Visit] = field(default_factory=list)
    month_plans: list[Visit] = field(default_factory=list)

    @classmethod
    def of(cls, cadre: Cadre, first: datetime.date, today: datetime.date | None = None) -> MyMonth:
        """The visits of the month and of its weeks (which may start or end a few days
        outside it), the plans ahead and the month's plans against what was done. Three queries."""
        today = today or timezone.localdate()
        mine = Visit.objects.for_my_month(cadre)
        spans = week_spans(first)
        visits = (
            mine.filter(date__range=(min(first, spans[0][0]), max(month_end(first), spans[-1][1])))
            .exclude(status=Visit.Status.PLANNED)
            .with_plan_outcome(today)
            .order_by("date", "id")
        )
        plans = mine.filter(status=Visit.Status.PLANNED, date__gte=min(first, today)).order_by("date", "id")
        month_plans = (
            mine.filter(cadre=cadre, planned_for__range=(first, month_end(first)))
            .with_plan_outcome(today)
            .order_by("planned_for", "id")
        )
        return cls(cadre, first, today, list(visits), list(plans[:PLANS_SHOWN]), list(month_plans))

    @property
    def month_visits(self) -> list[Visit]:
        last = month_end(self.month_start)
        return [v for v in self.visits if self.month_start <= v.date <= last]

    @property
    def kinds(self) -> list[dict]:
        in_month = self.month_visits
        own = [v for v in in_month if v.cadre_id == self.cadre.pk]
        return [
            {
                "kind": kind,
                "label": kind.label,
                "done": [v for v in own if v.kind == kind and v.counts_as_done],
                "pending": [v for v in own if v.kind == kind and not v.counts_as_done],
                "accompanied": [v for v in in_month if v.kind == kind and v.cadre_id != self.cadre.pk],
            }
            for kind in Visit.Kind
        ]

    @property
    def weeks(self) -> list[dict]:
        """每周一天下基层: the month's weeks (lib.months.week_spans, as the monthly report)."""
        weeks = []
        for start, end in week_spans(self.month_start):
            in_week = [v for v in self.visits if start <= v.date <= end]
            weeks.append(
                {
                    "start": start,
                    "end": end,
                    "visits": in_week,
                    "done": any(v.counts_as_done and v.cadre_id == self.cadre.pk for v in in_week),
                    "future": start > self.today,
                }
            )
        return weeks

    @property
    def plan_outcome(self) -> dict:
        """Plans against what was done: planned, done as planned, done unplanned, missed."""
        return {
            "planned": len(self.month_plans),
            "kept": sum(1 for v in self.month_plans if v.is_kept_plan),
            "missed": [v for v in self.month_plans if v.is_missed_plan],
            "unplanned": sum(1 for v in self.month_visits if v.cadre_id == self.cadre.pk and v.is_unplanned),
        }

    def context(self) -> dict:
        """What the my-month templates read."""
        kinds = self.kinds
        return {
            "month_start": self.month_start,
            "kinds": kinds,
            "kinds_done": sum(1 for k in kinds if k["done"]),
            "weeks": self.weeks,
            "plans": self.plans,
            "plan_outcome": self.plan_outcome,
            "previous_month": month_label(add_months(self.month_start, -1)),
            "next_month": month_label(add_months(self.month_start, 1)),
            "is_current_month": self.month_start == self.today.replace(day=1),
        }
