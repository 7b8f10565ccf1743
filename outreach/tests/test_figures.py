"""The monthly figures stay exact whatever is written: random sequences of writes (visits
planned, saved, submitted, returned, reviewed, moved to another day, kind, host or author,
deleted; problems received, worked on, handed over, moved, deleted; enterprises moved and
closed), then every
summary row compared with a count from the raw rows, and the report's figures with the same
figures counted by plain queries over the raw rows (as the reports did before the summaries)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractWeek, TruncMonth, TruncWeek
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lib.months import add_months, week_spans
from outreach import figures
from outreach.models import CadreMonth, Concern, Visit
from outreach.models.visits import plan_kept, plan_missed
from outreach.services import concern_transition, visit_return, visit_review
from outreach.tests.factories import ConcernFactory, VisitFactory
from reports import queries
from reports.report import MonthlyReport, _plans
from unions.models import EnterpriseUnion
from unions.tests.factories import CadreFactory, EnterpriseFactory, LeaderFactory

pytestmark = pytest.mark.django_db

# Days around a New Year and month ends: weeks across months and years.
START = datetime.date(2025, 12, 20)
DAYS = 75
MONTHS = [datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
TODAY = datetime.date(2026, 1, 20)
KINDS = ["chairman", "office", "worker"]
STATUSES = ["planned", "draft", "submitted", "returned", "reviewed"]


@pytest.fixture
def world(district, town, other_town):
    cadres = [CadreFactory(unit=town), CadreFactory(unit=town), CadreFactory(unit=other_town)]
    enterprises = [
        EnterpriseFactory(district_union=town),
        EnterpriseFactory(district_union=town),
        EnterpriseFactory(district_union=other_town),
    ]
    return {
        "units": [district, town, other_town],
        "towns": [town, other_town],
        "cadres": cadres,
        "enterprises": enterprises,
        "leader": LeaderFactory(unit=district),
    }


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


i3 = st.integers(0, 2)
days = st.integers(0, DAYS)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("visit"), i3, days, st.sampled_from(KINDS), st.sampled_from(STATUSES), st.integers(0, 3)
        ),
        st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES)),
        st.tuples(st.just("review"), st.integers(0, 50), st.booleans()),
        st.tuples(st.just("redate"), st.integers(0, 50), days),
        st.tuples(st.just("rekind"), st.integers(0, 50), st.sampled_from(KINDS)),
        st.tuples(st.just("rehost"), st.integers(0, 50), st.integers(0, 3)),
        st.tuples(st.just("reauthor"), st.integers(0, 50), i3),
        st.tuples(st.just("delete"), st.integers(0, 50), st.booleans()),
        st.tuples(st.just("concern"), i3, i3, days, st.sampled_from(["wages", "dispute"])),
        st.tuples(
            st.just("progress"), st.integers(0, 50), st.sampled_from(["in_progress", "resolved", "closed"])
        ),
        st.tuples(st.just("handover"), st.integers(0, 50), i3, days),
        st.tuples(st.just("concern_delete"), st.integers(0, 50)),
        st.tuples(st.just("move_enterprise"), i3, st.integers(0, 1), st.booleans()),
    ),
    max_size=12,
)


def _pick(model, n):
    rows = list(model.objects.order_by("pk"))
    return rows[n % len(rows)] if rows else None


def _host(world, n):
    if n == 3:
        return {"host_union": world["towns"][0], "host_enterprise": None}
    return {"host_union": None, "host_enterprise": EnterpriseUnion.objects.get(pk=world["enterprises"][n].pk)}


def apply(world, op):  # noqa: C901 - one branch per kind of write
    kind, *args = op
    if kind == "visit":
        cadre, n, visit_kind, status, host = args
        VisitFactory(
            cadre=world["cadres"][cadre], date=day(n), kind=visit_kind, status=status, **_host(world, host)
        )
        return
    if kind in ("concern", "progress", "handover", "concern_delete"):
        return _concern(world, kind, args)
    if kind == "move_enterprise":
        enterprise = EnterpriseUnion.objects.get(pk=world["enterprises"][args[0]].pk)
        enterprise.district_union = world["towns"][args[1]]
        enterprise.is_active = args[2]
        enterprise.save()
        return
    visit = _pick(Visit, args[0])
    if visit is None:
        return
    if kind == "status":
        visit.status = args[1]
        visit.save()
    elif kind == "review" and visit.status == "submitted" and not visit.is_deleted:
        reviewer = world["leader"]
        if args[1]:
            visit_review(visit=visit, reviewer=reviewer)
        else:
            visit_return(visit=visit, reviewer=reviewer, reason="请补充")
    elif kind == "redate":
        visit.date = day(args[1])
        visit.save()
    elif kind == "rekind":
        visit.kind = args[1]
        visit.save()
    elif kind == "rehost":
        for name, value in _host(world, args[1]).items():
            setattr(visit, name, value)
        visit.save()
    elif kind == "reauthor":
        visit.cadre = world["cadres"][args[1]]
        visit.save()
    elif kind == "delete":
        if args[1]:
            visit.soft_delete()
        else:
            visit.delete()


def _concern(world, kind, args):
    if kind == "concern":
        owner, enterprise, n, category = args
        ConcernFactory(
            owner=world["cadres"][owner],
            enterprise=EnterpriseUnion.objects.get(pk=world["enterprises"][enterprise].pk),
            received_on=day(n),
            due_date=day(n) + datetime.timedelta(days=10),
            category=category,
            workers_affected=1 + n % 4,
        )
        return
    concern = _pick(Concern, args[0])
    if concern is None or concern.is_deleted:
        return
    if kind == "progress":
        if args[1] in concern.allowed_transitions():
            concern_transition(
                concern=concern,
                actor=concern.owner,
                to_status=args[1],
                note="已办理",
                callback_note="职工满意",
                satisfaction="satisfied" if concern.pk % 2 else "unsatisfied",
            )
    elif kind == "handover":
        concern.owner = world["cadres"][args[1]]
        concern.received_on = day(args[2])
        concern.save()
    else:
        concern.is_deleted = True
        concern.save()


def assert_summaries_exact():
    for name, want in figures.compute().items():
        assert figures.stored(name) == want, name


# --- The figures as the reports counted them from the raw rows --------------------------


def _done(scope, first, months=1):
    return (
        Visit.objects.alive()
        .done()
        .in_units(*scope.ids)
        .filter(date__gte=first, date__lt=add_months(first, months))
    )


def raw_completion(scope, first):
    spans = week_spans(first)
    rows = {}
    for cadre in scope.cadre_ids:
        mine = Visit.objects.alive().done().filter(cadre_id=cadre)
        month = mine.filter(date__gte=first, date__lt=add_months(first, 1))
        weeks = mine.filter(date__gte=spans[0][0], date__lte=spans[-1][1]).aggregate(
            n=Count(ExtractWeek("date"), distinct=True)
        )["n"]
        rows[cadre] = {k: month.filter(kind=k).count() for k in KINDS} | {"weeks": weeks}
    return rows


def raw_year_weeks(cadre, year):
    return (
        Visit.objects.alive()
        .done()
        .filter(cadre_id=cadre, date__year=year)
        .aggregate(n=Count(TruncWeek("date"), distinct=True))["n"]
    )


def raw_by_town_kind(scope, first):
    return list(
        _done(scope, first)
        .values("town_id", "town__name", "kind")
        .annotate(n=Count("id"))
        .order_by("town_id", "kind")
    )


def _visited(start, end):
    qs = Visit.objects.alive().done().filter(host_enterprise_id=OuterRef("pk"), date__lt=end)
    if start is not None:
        qs = qs.filter(date__gte=start)
    return Exists(qs)


def raw_coverage(scope, first):
    end = add_months(first, 1)
    return list(
        EnterpriseUnion.objects.active()
        .filter(district_union_id__in=scope.unit_ids)
        .values("district_union_id")
        .annotate(
            total=Count("id"),
            month=Count("id", filter=_visited(first, end)),
            year=Count("id", filter=_visited(first.replace(month=1), end)),
            never=Count("id", filter=~_visited(None, end)),
        )
        .order_by("district_union_id")
    )


def _problem_figures(today):
    closed = Q(status="closed")
    return {
        "raised": Count("id"),
        "workers": Sum("workers_affected"),
        "resolved": Count("id", filter=Q(status="resolved")),
        "closed": Count("id", filter=closed),
        "on_time": Count("id", filter=closed & Q(closed_at__date__lte=F("due_date"))),
        "overdue": Count("id", filter=Q(status__in=Concern.PENDING_STATUSES, due_date__lt=today)),
        "content": Count("id", filter=closed & Q(satisfaction__in=Concern.CONTENT)),
        "rated": Count("id", filter=closed & ~Q(satisfaction="")),
    }


def _received(first):
    return Concern.objects.alive().filter(received_on__gte=first, received_on__lt=add_months(first, 1))


def raw_problems(scope, first, today):
    return list(
        _received(first)
        .in_units(*scope.ids)
        .values("town_id", "town__name", "category")
        .annotate(**_problem_figures(today))
        .order_by("town_id", "category")
    )


def raw_problems_by_owner(scope, first, today):
    return list(
        _received(first)
        .filter(owner_id__in=scope.cadre_ids)
        .values("owner_id")
        .annotate(**_problem_figures(today))
        .order_by("owner_id")
    )


def raw_trend(scope, first):
    rows = (
        _done(scope, add_months(first, -11), 12)
        .annotate(m=TruncMonth("date"))
        .values("m", "kind")
        .annotate(n=Count("id"))
    )
    return {(row["m"], row["kind"]): row["n"] for row in rows}


def raw_plans(scope, first, today):
    """Plans against what was done per cadre, by the rules the lists filter with."""
    end = add_months(first, 1)
    mine = Visit.objects.alive().filter(cadre_id__in=scope.cadre_ids)
    plans = mine.plans().filter(planned_for__gte=first, planned_for__lt=end)
    rows = {}
    for cadre in scope.cadre_ids:
        own = plans.filter(cadre_id=cadre)
        rows[cadre] = {
            "planned": own.count(),
            "kept": own.filter(plan_kept()).count(),
            "missed": own.filter(plan_missed(today)).count(),
            "unplanned": mine.filter(cadre_id=cadre, date__gte=first, date__lt=end).done_unplanned().count(),
        }
    return rows


def _report_figures_match_the_raw_rows(world):
    for unit in world["units"][:2]:  # the district (both towns) and a town
        scope = queries.Scope.of(queries.scope_units(unit))
        for first in MONTHS:
            completion = {row["id"]: row for row in queries.completion_rows(scope, first)}
            raw = raw_completion(scope, first)
            for cadre, row in completion.items():
                assert {k: row[k] for k in (*KINDS, "weeks")} == raw[cadre]
            assert queries.visits_by_town_kind(scope, first) == raw_by_town_kind(scope, first)
            assert queries.coverage_by_town(scope, first) == raw_coverage(scope, first)
            for today in (TODAY, add_months(first, 1)):
                assert queries.problems_by_town_category(scope, first, today) == raw_problems(
                    scope, first, today
                )
                mine = queries.problem_figures_by_owner(scope, first, today)
                assert mine == raw_problems_by_owner(scope, first, today)
            for today in (TODAY, add_months(first, 1)):
                report = MonthlyReport(unit=unit, month=first, today=today)
                plans = {
                    row["id"]: row for row in _plans(report, {"rows": list(completion.values())})["rows"]
                }
                raw = raw_plans(scope, first, today)
                assert {c: {k: plans[c][k] for k in raw[c]} for c in plans} == {c: raw[c] for c in plans}
            trend = {(r["m"], r["kind"]): r["n"] for r in queries.trend_visits(scope, first) if r["n"]}
            assert trend == raw_trend(scope, first)
        for year in (2025, 2026):
            done = (
                Visit.objects.alive()
                .done()
                .filter(date__year=year)
                .annotate(m=TruncMonth("date"))
                .values("cadre_id", "m", "kind")
                .annotate(n=Count("id"))
            )
            counts = {(r["cadre_id"], r["m"].month, r["kind"]): r["n"] for r in done}
            for row in queries.year_rows(scope, year):
                assert row["weeks"] == raw_year_weeks(row["id"], year)
                for month in range(1, 13):
                    for kind in KINDS:
                        assert row[f"{kind}_{month}"] == counts.get((row["id"], month, kind), 0)


@given(operations)
def test_the_figures_stay_exact_whatever_is_written(world, ops):
    for op in ops:
        apply(world, op)
    assert_summaries_exact()
    _report_figures_match_the_raw_rows(world)


def test_a_week_across_new_year_counts_in_each_year_for_its_own_days(cadre):
    # Monday 29 December 2025 to Sunday 4 January 2026.
    VisitFactory(cadre=cadre, date=datetime.date(2025, 12, 30))
    VisitFactory(cadre=cadre, date=datetime.date(2026, 1, 2))
    rows = {row.month: row for row in CadreMonth.objects.filter(cadre=cadre)}
    assert rows[datetime.date(2025, 12, 1)].year_weeks == 1
    assert rows[datetime.date(2026, 1, 1)].year_weeks == 1
    # The week's Thursday is 1 January: it is one of January's weeks, not December's.
    assert rows[datetime.date(2026, 1, 1)].weeks == 1
    assert rows[datetime.date(2025, 12, 1)].weeks == 0


def test_plans_against_what_was_done_follow_writes_in_the_next_month(cadre):
    # The week of Monday 26 January to Sunday 1 February 2026, across the month's end.
    jan, feb = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    plan = VisitFactory(cadre=cadre, date=datetime.date(2026, 1, 26), kind="office", status="planned")
    VisitFactory(cadre=cadre, date=datetime.date(2026, 1, 30), kind="worker")  # never planned

    def row(month):
        found = CadreMonth.objects.filter(cadre=cadre, month=month).first()
        return found and (found.planned, found.kept, found.unplanned, found.unkept)

    assert row(jan) == (1, 0, 1, {"2026-01-26": 1})
    # An office day on Sunday 1 February keeps January's plan.
    sunday = VisitFactory(cadre=cadre, date=datetime.date(2026, 2, 1), kind="office")
    assert row(jan) == (1, 1, 1, {})
    assert row(feb) == (0, 0, 0, {})  # an office day was planned for its week: not unplanned
    # A worker day planned for Sunday: kept by Friday's worker day, which becomes a planned one.
    VisitFactory(cadre=cadre, date=datetime.date(2026, 2, 1), kind="worker", status="planned")
    assert row(jan) == (1, 1, 0, {})
    assert row(feb) == (1, 1, 0, {})
    sunday.soft_delete()
    assert row(jan) == (1, 0, 0, {"2026-01-26": 1})
    assert row(feb) == (1, 1, 0, {})
    plan.status = "submitted"  # the plan itself done, on its planned day
    plan.save()
    assert row(jan) == (1, 1, 0, {})


def test_verify_figures_finds_and_repairs_a_wrong_figure(cadre):
    VisitFactory(cadre=cadre, date=datetime.date(2026, 1, 5), kind="office")
    CadreMonth.objects.filter(cadre=cadre).update(office=7)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_figures", stdout=out)
    assert "7" in out.getvalue()
    call_command("verify_figures", "--repair", stdout=io.StringIO())
    assert CadreMonth.objects.get(cadre=cadre, month=datetime.date(2026, 1, 1)).office == 1
    out = io.StringIO()
    call_command("verify_figures", stdout=out)  # no error: everything matches now
    assert timezone.localdate()  # the command ran in the project's time zone


def test_the_bulk_rebuild_counts_as_the_slices_do(world):
    for n, kind in enumerate(KINDS * 3):
        VisitFactory(cadre=world["cadres"][n % 3], date=day(7 * n), kind=kind)
    VisitFactory(cadre=world["cadres"][0], date=day(8), kind="office", status="planned")
    VisitFactory(cadre=world["cadres"][1], date=day(15), kind="chairman", status="planned")
    ConcernFactory(owner=world["cadres"][0], received_on=day(3), due_date=day(9))
    closed = ConcernFactory(owner=world["cadres"][1], received_on=day(40), due_date=day(45))
    concern_transition(concern=closed, actor=closed.owner, to_status="resolved", note="已办理")
    expected = {name: figures.stored(name) for name in figures.KEY_FIELDS}
    figures.rebuild_in_bulk()  # PostgreSQL: the bulk SQL; SQLite: the counting functions
    assert {name: figures.stored(name) for name in figures.KEY_FIELDS} == expected
    assert expected == figures.compute()


def test_a_date_given_as_text_counts_in_its_month(cadre):
    VisitFactory(cadre=cadre, date="2026-11-10", kind="office")
    row = CadreMonth.objects.get(cadre=cadre)
    assert (row.month, row.office) == (datetime.date(2026, 11, 1), 1)
