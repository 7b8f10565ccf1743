"""Monthly report figures, each computed by one grouped query in the database.

Every function takes the report's Scope (the unit and its towns, and their cadres) and the
first day of the month, and returns plain rows (dicts). Nothing here loops over
visits or problems in Python; report.py only combines the grouped rows.

"Done" visits are Visit.objects.done() (submitted or reviewed), never the soft-deleted ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractWeek, TruncMonth, TruncWeek

from lib.months import add_months, week_spans
from outreach.models import Concern, Visit
from outreach.models.visits import done_unplanned, plan_kept, plan_missed
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

KINDS = list(Visit.Kind)


@dataclass(frozen=True)
class Scope:
    """A leader's area as literal id lists: the unit and its towns, and every cadre of them.

    The rule itself is VisitQuerySet.in_units / ConcernQuerySet.in_units (hosted in the units,
    or written/owned by one of their cadres), which take these ids.
    """

    unit_ids: tuple[int, ...]
    cadre_ids: tuple[int, ...]

    @classmethod
    def of(cls, units: list[DistrictUnion]) -> Scope:
        """The scope of these units (the subtree of a unit). Queries once (the cadres)."""
        ids = tuple(unit.pk for unit in units)
        return cls(ids, tuple(Cadre.objects.filter(unit_id__in=ids).values_list("pk", flat=True)))

    @property
    def ids(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return self.unit_ids, self.cadre_ids


def _done_visits(scope: Scope, first: datetime.date, months: int = 1):
    return (
        Visit.objects.alive()
        .done()
        .in_units(*scope.ids)
        .filter(date__gte=first, date__lt=add_months(first, months))
    )


def scope_units(unit: DistrictUnion) -> list[DistrictUnion]:
    """The unit and the towns/zones below it, the unit first. One query."""
    return list(DistrictUnion.objects.subtree(unit).order_by("path"))


def completion_rows(scope: Scope, first: datetime.date) -> list[dict]:
    """Every active cadre of the units with the month's done visits per kind and the number
    of the month's weeks (lib.months.week_spans: Monday to Sunday, the week of its Thursday,
    as my month) with at least one done visit of his or her own (每周一天下基层). One query.

    The month's visits are joined through a FilteredRelation so that the date condition sits
    in the JOIN and the (cadre, date) index is used; the weeks, which may reach a few days
    outside the month, are counted by a subquery on the same index.
    """
    spans = week_spans(first)
    weeks = (
        Visit.objects.alive()
        .done()
        .filter(cadre_id=OuterRef("pk"), date__gte=spans[0][0], date__lte=spans[-1][1])
        .order_by()
        .values("cadre_id")
        .annotate(n=Count(ExtractWeek("date"), distinct=True))
        .values("n")
    )
    month_visits = FilteredRelation(
        "visits",
        condition=Q(
            visits__date__gte=first,
            visits__date__lt=add_months(first, 1),
            visits__is_deleted=False,
            visits__status__in=Visit.DONE_STATUSES,
        ),
    )
    return list(
        Cadre.objects.active()
        .filter(unit_id__in=scope.unit_ids)
        .annotate(mv=month_visits)
        .values("id", "name", "unit_id", "unit__name")
        .annotate(
            **{kind.value: Count("mv", filter=Q(mv__kind=kind)) for kind in KINDS},
            weeks=Coalesce(Subquery(weeks), 0),
        )
        .order_by("unit__path", "name", "id")
    )


def year_rows(scope: Scope, year: int, *, only: tuple[int, ...] | None = None) -> list[dict]:
    """Every cadre of the units with the year's done visits per month and kind (keys
    "chairman_1" … "worker_12") and the Monday-to-Sunday weeks of the year with at least one
    done visit (每周一天下基层; a week across New Year counts in each year for its own days).
    One query: the year's visits joined through a FilteredRelation, as completion_rows.
    `only`: just these cadres of the units."""
    year_visits = FilteredRelation(
        "visits",
        condition=Q(
            visits__date__gte=datetime.date(year, 1, 1),
            visits__date__lt=datetime.date(year + 1, 1, 1),
            visits__is_deleted=False,
            visits__status__in=Visit.DONE_STATUSES,
        ),
    )
    cells = {
        f"{kind.value}_{month}": Count("yv", filter=Q(yv__kind=kind, yv__date__month=month))
        for month in range(1, 13)
        for kind in KINDS
    }
    cadres = Cadre.objects.filter(unit_id__in=scope.unit_ids)
    if only is not None:  # one cadre's own year (reports:my_year)
        cadres = cadres.filter(pk__in=only)
    return list(
        cadres.annotate(yv=year_visits)
        # Today's active cadres, and those who left but did days that year (their days count).
        .filter(Q(is_active=True) | Q(yv__isnull=False))
        .values("id", "name", "role", "is_active", "unit_id", "unit__name")
        .annotate(**cells, weeks=Count(TruncWeek("yv__date"), distinct=True))
        .order_by("unit__path", "name", "id")
    )


def plans_by_cadre(scope: Scope, first: datetime.date, today: datetime.date) -> list[dict]:
    """Plans against what was done: per cadre of the units, the plans for the month, those
    done as planned and those missed (the rules are VisitQuerySet.plans_kept/plans_missed).
    One query."""
    return list(
        Visit.objects.alive()
        .plans()
        .filter(cadre_id__in=scope.cadre_ids, planned_for__gte=first, planned_for__lt=add_months(first, 1))
        .values("cadre_id")
        .annotate(
            planned=Count("id"),
            kept=Count("id", filter=plan_kept()),
            missed=Count("id", filter=plan_missed(today)),
        )
        .order_by("cadre_id")
    )


def unplanned_by_cadre(scope: Scope, first: datetime.date) -> list[dict]:
    """Per cadre of the units, the month's done days that were not planned. One query."""
    return list(
        Visit.objects.alive()
        .filter(cadre_id__in=scope.cadre_ids, date__gte=first, date__lt=add_months(first, 1))
        .filter(done_unplanned())
        .values("cadre_id")
        .annotate(unplanned=Count("id"))
        .order_by("cadre_id")
    )


def kinds_per_cadre_month(scope: Scope, first: datetime.date, months: int) -> list[dict]:
    """(cadre, month, kinds of day done) of the units' cadres over the months, for the
    assessment's completion (the month's rule, month by month). One query."""
    return list(
        _done_visits(scope, first, months)
        .filter(cadre_id__in=scope.cadre_ids)
        .annotate(m=TruncMonth("date"))
        .values("cadre_id", "m")
        .annotate(kinds=Count("kind", distinct=True))
        .order_by()
    )


def visits_by_town_kind(scope: Scope, first: datetime.date) -> list[dict]:
    """Done visits of the month per host town and kind. One query."""
    return list(
        _done_visits(scope, first)
        .values("town_id", "town__name", "kind")
        .annotate(n=Count("id"))
        .order_by("town_id", "kind")
    )


def visits_by_cadre(scope: Scope, first: datetime.date) -> list[dict]:
    """Done visits of the month per author: per kind, in all, and enterprises visited. One query."""
    return list(
        _done_visits(scope, first)
        .values("cadre_id", "cadre__name", "cadre__unit__name")
        .annotate(
            **{kind.value: Count("id", filter=Q(kind=kind)) for kind in KINDS},
            total=Count("id"),
            enterprises=Count("host_enterprise_id", distinct=True),
        )
        .order_by("-total", "cadre__name", "cadre_id")
    )


def visit_totals(scope: Scope, first: datetime.date) -> dict:
    """The month's done visits and distinct enterprises visited. One query."""
    return _done_visits(scope, first).aggregate(
        total=Count("id"), enterprises=Count("host_enterprise_id", distinct=True)
    )


def _visited(start: datetime.date | None, end: datetime.date) -> Exists:
    """Whether the outer enterprise had a done visit in [start, end) (from the beginning if no start)."""
    qs = Visit.objects.alive().done().filter(host_enterprise_id=OuterRef("pk"), date__lt=end)
    if start is not None:
        qs = qs.filter(date__gte=start)
    return Exists(qs)


def coverage_by_town(scope: Scope, first: datetime.date) -> list[dict]:
    """分片包镇: per town, active enterprises visited this month, this year (to the month's end)
    and never (up to the month's end), by any cadre. One query."""
    end = add_months(first, 1)
    return _enterprises_by_town(
        scope,
        month=Count("id", filter=_visited(first, end)),
        year=Count("id", filter=_visited(first.replace(month=1), end)),
        never=Count("id", filter=~_visited(None, end)),
    )


def contact_gaps(scope: Scope, first: datetime.date) -> list[dict]:
    """定点联系: each active cadre's contact enterprises with no done visit (by anyone) in the
    three months ending with the report month, with the last visit before. One query."""
    start, end = add_months(first, -2), add_months(first, 1)
    through = Cadre.contact_enterprises.through
    last_visit = (
        Visit.objects.alive()
        .done()
        .filter(host_enterprise_id=OuterRef("enterpriseunion_id"), date__lt=end)
        .values("host_enterprise_id")
        .annotate(last=Max("date"))
        .values("last")
    )
    return list(
        through.objects.filter(
            cadre_id__in=scope.cadre_ids, cadre__is_active=True, enterpriseunion__is_active=True
        )
        .exclude(
            Exists(
                Visit.objects.alive()
                .done()
                .filter(host_enterprise_id=OuterRef("enterpriseunion_id"), date__gte=start, date__lt=end)
            )
        )
        .annotate(last=last_visit)
        .values(
            "cadre_id",
            "cadre__name",
            "cadre__unit__name",
            "enterpriseunion_id",
            "enterpriseunion__name",
            "enterpriseunion__district_union__name",
            "last",
        )
        .order_by("cadre__unit__name", "cadre__name", "cadre_id", "enterpriseunion__name")
    )


def establishment_by_town(scope: Scope) -> list[dict]:
    """企业工会情况 from the directory: per town, active enterprises, with a union, with a union
    work office, members and employees. One query."""
    return _enterprises_by_town(
        scope,
        with_union=Count("id", filter=Q(has_union=True)),
        with_office=Count("id", filter=Q(has_office=True)),
        members=Sum("members"),
        employees=Sum("employees"),
    )


def _enterprises_by_town(scope: Scope, **figures) -> list[dict]:
    """The scope's active enterprises counted per town, with more figures per town. One query."""
    return list(
        EnterpriseUnion.objects.active()
        .filter(district_union_id__in=scope.unit_ids)
        .values("district_union_id")
        .annotate(total=Count("id"), **figures)
        .order_by("district_union_id")
    )


def _problem_figures(today: datetime.date) -> dict:
    closed = Q(status=Concern.Status.CLOSED)
    return {
        "raised": Count("id"),
        "workers": Sum("workers_affected"),
        "resolved": Count("id", filter=Q(status=Concern.Status.RESOLVED)),
        "closed": Count("id", filter=closed),
        # closed_at is a timestamp: __date compares its Asia/Shanghai date with the deadline.
        "on_time": Count("id", filter=closed & Q(closed_at__date__lte=F("due_date"))),
        "overdue": Count("id", filter=Q(status__in=Concern.PENDING_STATUSES, due_date__lt=today)),
        "content": Count("id", filter=closed & Q(satisfaction__in=Concern.CONTENT)),
        "rated": Count("id", filter=closed & ~Q(satisfaction="")),
    }


def _problems_received(first: datetime.date, months: int = 1):
    """The months' problems by their received date (a visit's problems by the visit's date,
    however late they were typed in), as the problem list's month filter."""
    return Concern.objects.alive().filter(received_on__gte=first, received_on__lt=add_months(first, months))


def problems_by_town_category(scope: Scope, first: datetime.date, today: datetime.date) -> list[dict]:
    """Problems received in the month (the month's cohort, as the problem list's month filter)
    per town and category, with where they stand today. One query."""
    return list(
        _problems_received(first)
        .in_units(*scope.ids)
        .values("town_id", "town__name", "category")
        .annotate(**_problem_figures(today))
        .order_by("town_id", "category")
    )


def problems_by_owner(
    scope: Scope, first: datetime.date, today: datetime.date, months: int = 1
) -> list[dict]:
    """The same figures per owner, for the owners of the units (the evaluation), of problems
    received in the month (or the `months` from it). One query."""
    return list(
        _problems_received(first, months)
        .filter(owner_id__in=scope.cadre_ids)
        .values("owner_id")
        .annotate(**_problem_figures(today))
        .order_by("owner_id")
    )


def overdue_now(scope: Scope, today: datetime.date) -> int:
    """Problems past their deadline and still open today, whatever month they came in. One query."""
    return Concern.objects.alive().in_units(*scope.ids).overdue(today).count()


def opinions(scope: Scope, first: datetime.date, limit: int) -> list[Visit]:
    """民情民意: the month's done visits with suggestions or workers' opinions (limit + 1 rows,
    so that the caller knows there are more). One query."""
    return list(
        _done_visits(scope, first)
        .exclude(suggestions="", worker_opinions="")
        .select_related("cadre", "host_union", "host_enterprise")
        .order_by("date", "id")[: limit + 1]
    )


def trend_visits(scope: Scope, first: datetime.date, months: int = 12) -> list[dict]:
    """Done visits per month and kind over the months ending with `first`. One query."""
    start = add_months(first, 1 - months)
    return list(
        _done_visits(scope, start, months)
        .annotate(m=TruncMonth("date"))
        .values("m", "kind")
        .annotate(n=Count("id"))
        .order_by("m", "kind")
    )


def trend_completion(scope: Scope, first: datetime.date, months: int = 12) -> list[dict]:
    """(month, cadre) pairs where an active cadre of the units did all three kinds. One query;
    at most cadres × months rows, counted per month by the caller."""
    start = add_months(first, 1 - months)
    return list(
        Visit.objects.alive()
        .done()
        .filter(
            cadre_id__in=scope.cadre_ids,
            cadre__is_active=True,
            date__gte=start,
            date__lt=add_months(first, 1),
        )
        .annotate(m=TruncMonth("date"))
        .values("m", "cadre_id")
        .annotate(kinds=Count("kind", distinct=True))
        .filter(kinds=len(KINDS))
        .values("m", "cadre_id")
        .order_by()
    )


def active_cadres(scope: Scope) -> int:
    """How many active cadres the units have. One query."""
    return Cadre.objects.active().filter(unit_id__in=scope.unit_ids).count()


def enterprises_for(units, first: datetime.date, which: str):
    """The active enterprises behind a coverage or establishment figure (a queryset)."""
    end = add_months(first, 1)
    qs = EnterpriseUnion.objects.active().in_units(units).select_related("district_union")
    if which == "month":
        qs = qs.filter(_visited(first, end))
    elif which == "year":
        qs = qs.filter(_visited(first.replace(month=1), end))
    elif which == "never":
        qs = qs.filter(~_visited(None, end))
    elif which == "union":
        qs = qs.filter(has_union=True)
    elif which == "office":
        qs = qs.filter(has_office=True)
    return qs.order_by("district_union__name", "name", "pk")
