"""Monthly report figures, each computed by one grouped query in the database.

Every function takes the report's Scope (the unit and its towns, and their cadres) and the
first day of the month, and returns plain rows (dicts). Nothing here loops over
visits or problems in Python; report.py only combines the grouped rows.

"Done" visits are Visit.objects.done() (submitted or reviewed), never the soft-deleted ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, Max, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, TruncMonth

from lib.months import add_months
from outreach.models import CadreMonth, Concern, CoverageMonth, ProblemMonth, Visit, VisitMonth
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


def units_of_row(units: list[DistrictUnion], unit: DistrictUnion, row_id: str) -> list[DistrictUnion]:
    """The units behind one of the report's rows (report.MonthlyReport.row_id), for the lists its
    figures open: the report's unit alone for its own row (its own cadres, its 直属
    enterprises), else the row's unit and everything below it; [] when the id is not in `units`."""
    head = next((u for u in units if str(u.pk) == row_id), None)
    if head is None:
        return []
    if head.pk == unit.pk:
        return [head]
    return [u for u in units if u.path.startswith(head.path)]


def completion_rows(scope: Scope, first: datetime.date) -> list[dict]:
    """Every active cadre of the units with the month's done visits per kind, the number of
    the month's weeks (lib.months.week_spans: Monday to Sunday, the week of its Thursday, as
    my month) with at least one done visit of his or her own (每周一天下基层), and the month's
    plans against what was done (planned, kept, unplanned, and the dates of the plans not
    kept: `unkept`, missed once passed). One query, on the month's figures (outreach.CadreMonth:
    one row per cadre and month)."""
    month = FilteredRelation("month_figures", condition=Q(month_figures__month=first))
    return list(
        Cadre.objects.active()
        .filter(unit_id__in=scope.unit_ids)
        .annotate(mf=month)
        .values("id", "name", "unit_id", "unit__name")
        .annotate(
            **{kind.value: Coalesce(F(f"mf__{kind.value}"), 0) for kind in KINDS},
            weeks=Coalesce(F("mf__weeks"), 0),
            **{name: Coalesce(F(f"mf__{name}"), 0) for name in ("planned", "kept", "unplanned")},
            unkept=F("mf__unkept"),
        )
        .order_by("unit__path", "name", "id")
    )


def year_rows(scope: Scope, year: int, *, only: tuple[int, ...] | None = None) -> list[dict]:
    """Every cadre of the units with the year's done visits per month and kind (keys
    "chairman_1" … "worker_12") and the Monday-to-Sunday weeks of the year with at least one
    done visit (每周一天下基层; a week across New Year counts in each year for its own days).
    One query on the months' figures (outreach.CadreMonth), twelve rows a cadre at most.
    `only`: just these cadres of the units."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    months = FilteredRelation(
        "month_figures", condition=Q(month_figures__month__gte=first, month_figures__month__lte=last)
    )
    cells = {
        f"{kind.value}_{month}": Coalesce(
            Sum(f"yf__{kind.value}", filter=Q(yf__month=datetime.date(year, month, 1))), 0
        )
        for month in range(1, 13)
        for kind in KINDS
    }
    cadres = Cadre.objects.filter(unit_id__in=scope.unit_ids)
    if only is not None:  # one cadre's own year (reports:my_year)
        cadres = cadres.filter(pk__in=only)
    days = Coalesce(Sum(F("yf__chairman") + F("yf__office") + F("yf__worker")), 0)
    return list(
        cadres.annotate(yf=months)
        .values("id", "name", "role", "is_active", "unit_id", "unit__name")
        .annotate(**cells, weeks=Coalesce(Sum("yf__year_weeks"), 0), year_days=days)
        # Today's active cadres, and those who left but did days that year (their days count).
        .filter(Q(is_active=True) | Q(year_days__gt=0))
        .order_by("unit__path", "name", "id")
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


def visit_month_parts(scope: Scope, **filters) -> tuple:
    """The VisitMonth rows of the scope (hosted in the units, or by their cadres: the rule of
    VisitQuerySet.in_units) as two querysets that do not overlap: hosted in the units, and by
    their cadres elsewhere. Each reads one index alone, where their OR fetched every row it
    matched; figures summed over both are the scope's."""
    rows = VisitMonth.objects.filter(**filters)
    return (
        rows.filter(town_id__in=scope.unit_ids),
        rows.filter(cadre_id__in=scope.cadre_ids).exclude(town_id__in=scope.unit_ids),
    )


def _sum_parts(parts, keys: tuple[str, ...]) -> dict[tuple, dict]:
    """The days per kind of visit_month_parts grouped by `keys`, both parts added up. A query a part."""
    total: dict[tuple, dict] = {}
    for part in parts:
        for row in part.values(*keys).annotate(**{k.value: Sum(k.value) for k in KINDS}).order_by():
            found = total.setdefault(tuple(row[k] for k in keys), dict.fromkeys((k.value for k in KINDS), 0))
            for kind in KINDS:
                found[kind.value] += row[kind.value]
    return total


def visits_by_town_kind(scope: Scope, first: datetime.date) -> list[dict]:
    """Done visits of the month per host town and kind (hosted in the units or by their
    cadres). Two queries, on the month's figures (outreach.VisitMonth: visit_month_parts)."""
    rows = _sum_parts(visit_month_parts(scope, month=first), ("town_id", "town__name"))
    return [
        {"town_id": town_id, "town__name": name, "kind": kind.value, "n": days[kind.value]}
        for (town_id, name), days in sorted(rows.items())
        for kind in sorted(KINDS, key=lambda k: k.value)
        if days[kind.value]
    ]


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


def enterprises_visited(scope: Scope, first: datetime.date) -> int:
    """The distinct enterprises of the month's done visits (hosted in the units or by their
    cadres). One query: the UNION of the two halves' hosts (VisitQuerySet.in_units_parts),
    each from an index alone."""
    month = {"date__gte": first, "date__lt": add_months(first, 1), "host_enterprise__isnull": False}
    hosted, written = (
        part.filter(**month).values("host_enterprise_id").order_by()
        for part in Visit.objects.alive().done().in_units_parts(*scope.ids)
    )
    return hosted.union(written).count()


def _visited(start: datetime.date | None, end: datetime.date) -> Exists:
    """Whether the outer enterprise had a done visit in [start, end) (from the beginning if no start)."""
    qs = Visit.objects.alive().done().filter(host_enterprise_id=OuterRef("pk"), date__lt=end)
    if start is not None:
        qs = qs.filter(date__gte=start)
    return Exists(qs)


def coverage_by_town(scope: Scope, first: datetime.date) -> list[dict]:
    """分片包镇: per town, active enterprises visited this month, this year (to the month's end)
    and never (up to the month's end), by any cadre. Two queries: the towns' enterprises, and
    each town's latest coverage row up to the month (outreach.CoverageMonth)."""
    latest = (
        CoverageMonth.objects.filter(town_id=OuterRef("town_id"), month__lte=first)
        .order_by("-month")
        .values("month")[:1]
    )
    found = {
        row.town_id: row
        for row in CoverageMonth.objects.filter(town_id__in=scope.unit_ids, month=Subquery(latest))
    }
    rows = _enterprises_by_town(scope)
    for row in rows:
        cover = found.get(row["district_union_id"])
        same_month = cover is not None and cover.month == first
        same_year = cover is not None and cover.month.year == first.year
        row["month"] = cover.visited if same_month else 0
        row["year"] = cover.year if same_year else 0
        row["never"] = row["total"] - (cover.ever if cover is not None else 0)
    return rows


def contact_gaps(scope: Scope, first: datetime.date, limit: int | None = None) -> tuple[list[dict], int]:
    """定点联系: each active cadre's contact enterprises with no done visit (by anyone) in the
    three months ending with the report month, with the last visit before, and how many there
    are. With a limit, only the first `limit` rows and, beside them, the count of all (a window
    count: still one query)."""
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
    gaps = (
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
    if limit is None:
        rows = list(gaps)
        return rows, len(rows)
    rows = list(gaps.annotate(of=Window(Count("pk")))[:limit])
    return rows, max([row.pop("of") for row in rows], default=0)


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


def _summed(rows, keys: tuple[str, ...], today: datetime.date) -> list[dict]:
    """ProblemMonth rows added up per `keys`, with the overdue ones (pending, deadline before
    today) counted from the rows' deadlines. Loops over summary rows, not problems."""
    today_text = today.isoformat()
    out: dict = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        total = out.get(key)
        if total is None:
            total = out[key] = {k: row[k] for k in keys} | dict.fromkeys((*PROBLEM_SUMS, "overdue"), 0)
        for name in PROBLEM_SUMS:
            total[name] += row[name]
        total["overdue"] += sum(n for due, n in row["pending_due"].items() if due < today_text)
    return [out[key] for key in sorted(out)]


PROBLEM_SUMS = ("raised", "workers", "resolved", "closed", "on_time", "content", "rated")


def problems_by_town_category(scope: Scope, first: datetime.date, today: datetime.date) -> list[dict]:
    """Problems received in the month (the month's cohort, as the problem list's month filter)
    per town and category, with where they stand today. One query, on the month's figures
    (outreach.ProblemMonth: per town, owner and category)."""
    rows = (
        ProblemMonth.objects.filter(month=first)
        .filter(Q(town_id__in=scope.unit_ids) | Q(owner_id__in=scope.cadre_ids))
        .values("town_id", "town__name", "category", *PROBLEM_SUMS, "pending_due")
    )
    return _summed(rows, ("town_id", "town__name", "category"), today)


def problem_figures_by_owner(scope: Scope, first: datetime.date, today: datetime.date) -> list[dict]:
    """The same figures per owner of the units (the evaluation), of the month's problems.
    One query, on the month's figures."""
    rows = ProblemMonth.objects.filter(month=first, owner_id__in=scope.cadre_ids).values(
        "owner_id", *PROBLEM_SUMS, "pending_due"
    )
    return _summed(rows, ("owner_id",), today)


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
    """民情民意: the month's done visits with suggestions or workers' opinions, the first by date
    (limit + 1 rows, so that the caller knows there are more). Two queries: their ids from the
    UNION of the scope's two halves (VisitQuerySet.in_units_parts), each in date order from a
    partial index, and then those visits."""
    month = {"date__gte": first, "date__lt": add_months(first, 1)}
    hosted, written = (
        part.filter(**month).values_list("date", "id").order_by()
        for part in Visit.objects.with_opinions().in_units_parts(*scope.ids)
    )
    ids = [pk for _day, pk in hosted.union(written).order_by("date", "id")[: limit + 1]]
    return list(
        Visit.objects.filter(pk__in=ids)
        .select_related("cadre", "host_union", "host_enterprise")
        .order_by("date", "id")
    )


def trend_visits(scope: Scope, first: datetime.date, months: int = 12) -> list[dict]:
    """Done visits per month and kind over the months ending with `first`. Two queries, on the
    months' figures (outreach.VisitMonth: visit_month_parts)."""
    parts = visit_month_parts(scope, month__gte=add_months(first, 1 - months), month__lte=first)
    rows = _sum_parts(parts, ("month",))
    return [
        {"m": month, "kind": kind.value, "n": days[kind.value]}
        for (month,), days in sorted(rows.items())
        for kind in KINDS
    ]


def trend_completion(active_ids: list[int], first: datetime.date, months: int = 12) -> list[dict]:
    """Per month, how many of the active cadres (their ids: the completion matrix's rows, or
    active_cadre_ids) did all three kinds (`m`, `n`). One grouped query on the months' figures
    (outreach.CadreMonth), no join: a row per month, however many cadres."""
    return list(
        CadreMonth.objects.filter(
            cadre_id__in=active_ids,
            month__gte=add_months(first, 1 - months),
            month__lte=first,
            **{f"{kind.value}__gt": 0 for kind in KINDS},
        )
        .values(m=F("month"))
        .annotate(n=Count("cadre_id"))
        .order_by()
    )


def active_cadre_ids(scope: Scope) -> list[int]:
    """The active cadres of the units (as the completion matrix lists them). One query."""
    return list(Cadre.objects.active().filter(unit_id__in=scope.unit_ids).values_list("pk", flat=True))


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
