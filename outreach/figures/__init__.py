"""The monthly figures (outreach.models.figures): counted from the raw rows, one slice at a time.

A write that can change a figure rebuilds the summary rows of the slices it touches — the
(cadre, month)s of a visit's author, the (owner, month) of a problem, the town of a visited
enterprise — from the raw rows, in the same transaction (outreach/signals.py calls `refresh`
on every save and delete of a visit, a problem or an enterprise, so that the services, the
admin, the API and the data fixes are all covered). Nothing is added or subtracted: a slice
holds a handful of visits, and its rows are recounted whole, so they are exact by
construction. `compute` counts every slice at once (seed_bench, verify_figures, the data
migration); both paths share the counting functions below.

The rules the rows follow (the reports read them so):
- a visit counts once done (submitted or reviewed) and not deleted, in the town where it
  took place (Visit.town) and for its author, in the month of its date;
- a problem counts in the month it was received (Concern.received_on), in its town and for
  its owner, with where it stands now; overdue is counted at read time from the pending
  problems' deadlines kept in the row;
- coverage follows today's directory: a town's active enterprises.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

KINDS = ("chairman", "office", "worker")
DONE = ("submitted", "reviewed")
PENDING = ("open", "in_progress")
CONTENT = ("satisfied", "basically")
VISIT_FIELDS = ("cadre_id", "date", "kind", "town_id", "status", "planned_for")
CONCERN_FIELDS = (
    "received_on",
    "town_id",
    "owner_id",
    "category",
    "workers_affected",
    "status",
    "closed_at",
    "due_date",
    "satisfaction",
)
PROBLEM_FIGURES = ("raised", "workers", "resolved", "closed", "on_time", "content", "rated")
BATCH = 5_000
_DAY = datetime.timedelta(days=1)


def _models(apps=None) -> SimpleNamespace:
    """The models counted and written (the historical ones in a data migration)."""
    if apps is None:
        from django.apps import apps
    get = apps.get_model
    names = ("Visit", "Concern", "CadreMonth", "VisitMonth", "ProblemMonth", "CoverageMonth")
    return SimpleNamespace(**{name: get("outreach", name) for name in names})


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - _DAY


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def visit_months(day: datetime.date) -> set[datetime.date]:
    """The months whose CadreMonth row a done day on `day` counts in: its own month (the
    kinds, done unplanned), the month of its week's Thursday (the month's weeks), the month
    of its week's Monday, clipped at New Year (the year's weeks), and the months of its
    Monday and Sunday (the plans of its week it keeps)."""
    monday = _monday(day)
    new_year = datetime.date(day.year, 1, 1)
    return {
        month_of(day),
        month_of(monday + 3 * _DAY),
        month_of(max(monday, new_year)),
        month_of(monday),
        month_of(monday + 6 * _DAY),
    }


def plan_months(planned_for: datetime.date) -> set[datetime.date]:
    """The months whose CadreMonth row a plan for `planned_for` counts in: its own (planned,
    kept) and those of its week's Monday and Sunday (the done days of its week it makes
    planned ones)."""
    monday = _monday(planned_for)
    return {month_of(planned_for), month_of(monday), month_of(monday + 6 * _DAY)}


# --- Counting (shared by the slices and the whole) ----------------------------------------


def count_visits(visits: Iterable[tuple]) -> tuple[dict, dict]:
    """Visits as VISIT_FIELDS tuples (alive ones, done or planned: _counted_visits) → the
    CadreMonth figures by (cadre, month) and the VisitMonth figures by (month, town, cadre)."""
    kinds: dict = defaultdict(Counter)
    weeks: dict = defaultdict(set)
    year_weeks: dict = defaultdict(set)
    towns: dict = defaultdict(Counter)
    done_weeks, plan_weeks = set(), set()  # (cadre, Monday, kind)
    plans: Counter = Counter()  # (cadre, planned date, kind, done itself)
    unplanned: Counter = Counter()  # done days never planned: (cadre, month, Monday, kind)
    for cadre, day, kind, town, status, planned_for in visits:
        if planned_for is not None:
            plan_weeks.add((cadre, _monday(planned_for), kind))
            plans[cadre, planned_for, kind, status in DONE] += 1
        if status not in DONE:
            continue
        month = month_of(day)
        kinds[cadre, month][kind] += 1
        towns[month, town, cadre][kind] += 1
        monday = _monday(day)
        done_weeks.add((cadre, monday, kind))
        if planned_for is None:
            unplanned[cadre, month, monday, kind] += 1
        weeks[cadre, month_of(monday + 3 * _DAY)].add(monday)
        year_weeks[cadre, month_of(max(monday, datetime.date(day.year, 1, 1)))].add(monday)
    planning: dict = defaultdict(lambda: {"planned": 0, "kept": 0, "unplanned": 0, "unkept": {}})
    for (cadre, planned_for, kind, done), n in plans.items():
        row = planning[cadre, month_of(planned_for)]
        row["planned"] += n
        if done or (cadre, _monday(planned_for), kind) in done_weeks:
            row["kept"] += n
        else:
            day = planned_for.isoformat()
            row["unkept"][day] = row["unkept"].get(day, 0) + n
    for (cadre, month, monday, kind), n in unplanned.items():
        if (cadre, monday, kind) not in plan_weeks:
            planning[cadre, month]["unplanned"] += n
    cadre_rows = {
        key: {kind: kinds[key][kind] if key in kinds else 0 for kind in KINDS}
        | {"weeks": len(weeks.get(key, ())), "year_weeks": len(year_weeks.get(key, ()))}
        | planning[key]  # zeros for a month with done days and no plan (a defaultdict)
        for key in kinds.keys() | weeks.keys() | year_weeks.keys() | planning.keys()
    }
    visit_rows = {key: {kind: counts[kind] for kind in KINDS} for key, counts in towns.items()}
    return cadre_rows, visit_rows


def count_problems(concerns: Iterable[tuple]) -> dict:
    """Problems as CONCERN_FIELDS tuples → the ProblemMonth figures by (month, town, owner,
    category)."""
    rows: dict = {}
    for received_on, town, owner, category, workers, status, closed_at, due_date, satisfaction in concerns:
        key = (month_of(received_on), town, owner, category)
        row = rows.get(key)
        if row is None:
            row = rows[key] = dict.fromkeys(PROBLEM_FIGURES, 0) | {"pending_due": {}}
        row["raised"] += 1
        row["workers"] += workers
        if status == "resolved":
            row["resolved"] += 1
        elif status == "closed":
            row["closed"] += 1
            # closed_at is a timestamp: its Asia/Shanghai date against the deadline.
            row["on_time"] += timezone.localtime(closed_at).date() <= due_date
            row["content"] += satisfaction in CONTENT
            row["rated"] += satisfaction != ""
        elif status in PENDING:
            due = due_date.isoformat()
            row["pending_due"][due] = row["pending_due"].get(due, 0) + 1
    return rows


def count_coverage(pairs: Iterable[tuple]) -> dict:
    """(town, enterprise, month) of active enterprises' done visits → the CoverageMonth
    figures by (town, month)."""
    months_of: dict = defaultdict(lambda: defaultdict(set))
    for town, enterprise, month in pairs:
        months_of[town][enterprise].add(_as_date(month))
    rows = {}
    for town, enterprises in months_of.items():
        visited, first_ever, first_in_year = Counter(), Counter(), Counter()
        for months in enterprises.values():
            visited.update(months)
            first_ever[min(months)] += 1
            years: dict = {}
            for month in months:
                years[month.year] = min(years.get(month.year, month), month)
            first_in_year.update(years.values())
        ever = year = 0
        current_year = None
        for month in sorted(visited):
            if month.year != current_year:
                current_year, year = month.year, 0
            ever += first_ever[month]
            year += first_in_year[month]
            rows[town, month] = {"visited": visited[month], "year": year, "ever": ever}
    return rows


def _day(value) -> datetime.date:
    """A date field's value as set on an instance: a date, or text not yet cleaned."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime.datetime) else value


def _as_date(value) -> datetime.date:
    # TruncMonth of a DateField: a date, or on some backends a datetime.
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Reading the raw rows -------------------------------------------------------------------


def _done_visits(m):
    return m.Visit._base_manager.filter(is_deleted=False, status__in=DONE)


def _counted_visits(m):
    """The visits the CadreMonth and VisitMonth figures count: alive, and done or planned."""
    return m.Visit._base_manager.filter(Q(status__in=DONE) | Q(planned_for__isnull=False), is_deleted=False)


def _visits_of(m, keys: set) -> list[tuple]:
    """The visits that can count in the (cadre, month)s: done or planned from six days before
    each month (its first week's Monday) to six after it (its last week's Sunday)."""
    window = Q()
    for cadre, month in keys:
        start, end = month - 6 * _DAY, _month_end(month) + 6 * _DAY
        window |= Q(cadre_id=cadre) & (
            Q(date__gte=start, date__lte=end) | Q(planned_for__gte=start, planned_for__lte=end)
        )
    return list(_counted_visits(m).filter(window).values_list(*VISIT_FIELDS))


def _concerns_of(m, keys: set) -> list[tuple]:
    months = Q()
    for owner, month in keys:
        months |= Q(owner_id=owner, received_on__gte=month, received_on__lte=_month_end(month))
    return list(m.Concern._base_manager.filter(is_deleted=False).filter(months).values_list(*CONCERN_FIELDS))


def _coverage_pairs(m, towns=None):
    qs = _done_visits(m).filter(host_enterprise__is_active=True)
    if towns is not None:
        qs = qs.filter(host_enterprise__district_union_id__in=towns)
    return (
        qs.annotate(m=TruncMonth("date"))
        .values_list("host_enterprise__district_union_id", "host_enterprise_id", "m")
        .distinct()
        .order_by()
    )


def compute(apps=None) -> dict:
    """Every summary row, counted from the raw rows: {model name: {key: figures}}. Reads each
    raw table once (streamed)."""
    m = _models(apps)
    visits = _counted_visits(m).values_list(*VISIT_FIELDS).order_by().iterator(chunk_size=20_000)
    cadre_rows, visit_rows = count_visits(visits)
    concerns = (
        m.Concern._base_manager.filter(is_deleted=False)
        .values_list(*CONCERN_FIELDS)
        .order_by()
        .iterator(chunk_size=20_000)
    )
    return {
        "CadreMonth": cadre_rows,
        "VisitMonth": visit_rows,
        "ProblemMonth": count_problems(concerns),
        "CoverageMonth": count_coverage(_coverage_pairs(m).iterator(chunk_size=20_000)),
    }


# --- Writing the summary rows -----------------------------------------------------------

KEY_FIELDS = {
    "CadreMonth": ("cadre_id", "month"),
    "VisitMonth": ("month", "town_id", "cadre_id"),
    "ProblemMonth": ("month", "town_id", "owner_id", "category"),
    "CoverageMonth": ("town_id", "month"),
}


def _objects(model, name: str, rows: dict):
    keys = KEY_FIELDS[name]
    # A data migration's historical model may have fewer figures than today's counting.
    known = {field.attname for field in model._meta.concrete_fields}
    for key, figures in rows.items():
        yield model(**dict(zip(keys, key, strict=True)), **{k: v for k, v in figures.items() if k in known})


def write(name: str, rows: dict, apps=None) -> None:
    """Insert the rows (none of them in the table yet)."""
    model = getattr(_models(apps), name)
    model._base_manager.bulk_create(_objects(model, name, rows), batch_size=BATCH)


def stored(name: str, apps=None) -> dict:
    """The rows in the table as {key: figures}."""
    model = getattr(_models(apps), name)
    keys = KEY_FIELDS[name]
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in (*keys, "id")]
    return {
        tuple(row[k] for k in keys): {f: row[f] for f in fields}
        for row in model._base_manager.values(*keys, *fields).iterator(chunk_size=20_000)
    }


@transaction.atomic
def rebuild(apps=None) -> dict:
    """Empty the summary tables and count them again from the raw rows. Returns the rows."""
    rows = compute(apps)
    for name, table_rows in rows.items():
        replace_all(name, table_rows, apps)
    return rows


def replace_all(name: str, rows: dict, apps=None) -> None:
    """The table holds these rows and no others."""
    getattr(_models(apps), name)._base_manager.all().delete()
    write(name, rows, apps)


def label(name: str) -> str:
    """The table's name for people (its verbose name)."""
    return str(getattr(_models(), name)._meta.verbose_name)


def _lock(model, ids) -> None:
    """Serialise the rebuilds of a slice: two transactions writing visits of the same cadre
    (or enterprises of the same town) recount one after the other, the second seeing the
    first's rows. Ordered ids, so that two writers never wait for each other in a ring.

    FOR NO KEY UPDATE, not FOR UPDATE: the writer's own insert of a visit or a problem took a
    KEY SHARE lock on the same town and cadre rows (the foreign keys), and so did the other
    writer's; FOR UPDATE would wait for that share and the two would deadlock (as 50 users
    saving visits in one town did). NO KEY UPDATE still excludes the other writer's."""
    rows = model._base_manager.select_for_update(no_key=True).filter(pk__in=sorted(ids)).order_by("pk")
    list(rows.values_list("pk"))


@transaction.atomic
def refresh(
    *,
    cadre_months: Iterable[tuple[int, datetime.date]] = (),
    owner_months: Iterable[tuple[int, datetime.date]] = (),
    towns: Iterable[int] = (),
) -> None:
    """Recount the summary rows of these (cadre, month)s, (owner, month)s and towns from the
    raw rows. Call inside the writing transaction, after the write."""
    from unions.models import Cadre, DistrictUnion

    m = _models()
    cadre_months, owner_months = set(cadre_months), set(owner_months)
    towns = {town for town in towns if town is not None}
    if cadre_months or owner_months:
        _lock(Cadre, {c for c, _m in cadre_months} | {o for o, _m in owner_months})
    if towns:
        _lock(DistrictUnion, towns)
    if cadre_months:
        cadre_rows, visit_rows = count_visits(_visits_of(m, cadre_months))
        _replace(
            m.CadreMonth, "CadreMonth", _keyed(cadre_months, ("cadre_id", "month")), cadre_rows, cadre_months
        )
        visit_rows = {k: v for k, v in visit_rows.items() if (k[2], k[0]) in cadre_months}
        _replace(m.VisitMonth, "VisitMonth", _keyed(cadre_months, ("cadre_id", "month")), visit_rows)
    if owner_months:
        rows = count_problems(_concerns_of(m, owner_months))
        _replace(m.ProblemMonth, "ProblemMonth", _keyed(owner_months, ("owner_id", "month")), rows)
    if towns:
        rows = count_coverage(_coverage_pairs(m, towns))
        _replace(m.CoverageMonth, "CoverageMonth", Q(town_id__in=towns), rows)


def _keyed(keys: set, fields: tuple[str, str]) -> Q:
    condition = Q(pk__in=[])
    for a, b in keys:
        condition |= Q(**{fields[0]: a, fields[1]: b})
    return condition


def _replace(model, name: str, where: Q, rows: dict, wanted: set | None = None) -> None:
    if wanted is not None:
        rows = {key: figures for key, figures in rows.items() if key in wanted}
    model._base_manager.filter(where).delete()
    write(name, rows)


# --- The slices a write touches ----------------------------------------------------------------


def visit_slices(states: Iterable[dict | None]) -> tuple[set, set]:
    """The (cadre, month)s of the visit states (before and after a write) that count as done or
    as a plan, and the host enterprises of the done ones."""
    cadre_months, enterprises = set(), set()
    for state in states:
        if not state or state["is_deleted"]:
            continue
        if state["planned_for"] is not None:
            cadre_months |= {(state["cadre_id"], month) for month in plan_months(_day(state["planned_for"]))}
        if state["status"] in DONE:
            cadre_months |= {(state["cadre_id"], month) for month in visit_months(_day(state["date"]))}
            if state["host_enterprise_id"]:
                enterprises.add(state["host_enterprise_id"])
    return cadre_months, enterprises


def concern_slices(states: Iterable[dict | None]) -> set:
    return {
        (state["owner_id"], month_of(_day(state["received_on"])))
        for state in states
        if state and not state["is_deleted"]
    }


# The same rows in bulk SQL (PostgreSQL), by the rules above.
from .bulk import rebuild_in_bulk as rebuild_in_bulk  # noqa: E402
