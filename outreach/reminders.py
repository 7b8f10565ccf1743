"""What a cadre should be reminded of: problems near or past their deadline (限时办结) and,
from the 25th, the kinds of day not yet done this month. Used by the home page notices and
by `send_reminders`, so both say the same thing."""

from __future__ import annotations

import datetime
from collections import defaultdict

from lib.pagination import capped_count, rows_ids_first
from lib.workdays import add_working_days
from unions.models import Cadre

from .models import Concern, ConcernQuerySet, Notice, Visit, WorkingDayOverride
from .services.notices import notices_add

DUE_SOON_DAYS = 2  # working days (China's calendar, lib.workdays): "due within two working days"
MONTH_CHECK_DAY = 25  # from this day of the month, cadres are reminded of the days not done


def due_soon_limit(today: datetime.date) -> datetime.date:
    """The last deadline that counts as due soon: two working days after today (queries the
    admin's working-day overrides once)."""
    return add_working_days(today, DUE_SOON_DAYS, WorkingDayOverride.objects.as_map(since=today))


def owned_due_soon(cadre: Cadre, today: datetime.date) -> ConcernQuerySet:
    """The cadre's pending problems due within two days or overdue, most urgent first."""
    return (
        Concern.objects.alive()
        .filter(owner=cadre)
        .due_by(due_soon_limit(today))
        .for_list()
        .order_by("due_date", "id")
    )


RETURNED_SHOWN = 20
REVIEW_QUEUE_SHOWN = 10  # on the leader home page; the queue page lists more


def returned_to(cadre: Cadre):
    """The cadre's visits returned for changes, whatever their month (last month's too: the
    home page shows only this month's days), the latest return first."""
    return (
        Visit.objects.alive()
        .filter(cadre=cadre, status=Visit.Status.RETURNED)
        .select_related("host_union", "host_enterprise")
        .order_by("-reviewed_at", "-id")
    )


def month_check_applies(today: datetime.date) -> bool:
    return today.day >= MONTH_CHECK_DAY


def kinds_done_by(today: datetime.date, cadre: Cadre | None = None) -> dict[int, set[str]]:
    """{cadre id: kinds of day done in today's month}, for everyone or for one cadre. A day
    counts for the cadre who recorded it (done = submitted or reviewed), as in my month and
    the monthly report. Queries once."""
    visits = Visit.objects.alive().done().in_month(today.year, today.month)
    authored = visits if cadre is None else visits.filter(cadre=cadre)
    done: dict[int, set[str]] = defaultdict(set)
    for cadre_id, kind in authored.values_list("cadre_id", "kind"):
        done[cadre_id].add(kind)
    return done


def missing_kinds(done: set[str]) -> list[Visit.Kind]:
    return [kind for kind in Visit.Kind if kind.value not in done]


def home_notices(cadre: Cadre, today: datetime.date) -> dict:
    """The home page's notices for one cadre; leaders also get their scope's overdue and
    due-this-week problems. Constant number of queries."""
    context: dict = {
        "today": today,
        "my_due": list(owned_due_soon(cadre, today)[:20]),
        "my_returned": list(returned_to(cadre)[:RETURNED_SHOWN]),
    }
    if month_check_applies(today):
        done = kinds_done_by(today, cadre).get(cadre.pk, set())
        context["missing_kinds"] = missing_kinds(done)
    if cadre.is_leader:
        queue = Visit.objects.review_queue(cadre)
        context["queue"] = rows_ids_first(queue.for_list(), 0, REVIEW_QUEUE_SHOWN)
        context["queue_count"], context["queue_more"] = capped_count(queue)
        scope = Concern.objects.visible_to(cadre).for_list().order_by("due_date", "id")
        # Ids first: the pending-by-deadline index alone finds the scope's first ten (at 10M
        # visits a town's ten most overdue lie among thousands of the province's), then the rows.
        context["scope_overdue"] = rows_ids_first(scope.overdue(today), 0, 10)
        context["scope_overdue_count"], context["scope_overdue_more"] = capped_count(scope.overdue(today))
        context["scope_due_week"] = rows_ids_first(scope.due_this_week(today), 0, 10)
        context["scope_due_week_count"], context["scope_due_week_more"] = capped_count(
            scope.due_this_week(today)
        )
    return context


# --- The notices of a day (run_notices) ---------------------------------------------------


def notices_of_the_day(today: datetime.date) -> None:
    """The time-based notices as of `today`: each owner's problems due within two working days
    or overdue (one notice per problem and deadline, another once it is overdue) and, from
    the 25th, each cadre's missing days and each leader's cadres behind (one per month).
    Insert or ignore: a second run, or two at once, adds nothing. Queries a handful of times."""
    rows = []
    due = Concern.objects.alive().due_by(due_soon_limit(today)).filter(owner__is_active=True)
    for concern in due.select_related("owner").order_by("id"):
        overdue = concern.overdue_on(today)
        rows.append(
            Notice(
                recipient=concern.owner,
                kind=Notice.Kind.PROBLEM_OVERDUE if overdue else Notice.Kind.PROBLEM_DUE_SOON,
                key=f"c{concern.pk}-{concern.due_date:%Y%m%d}",
                concern=concern,
                period=concern.due_date,
                text=concern.description[:200],
            )
        )
    if month_check_applies(today):
        rows.extend(_behind_notices(today))
    notices_add(rows)


def _behind_notices(today: datetime.date) -> list[Notice]:
    first = today.replace(day=1)
    month = f"{first:%Y-%m}"
    done = kinds_done_by(today)
    people = list(Cadre.objects.active().exclude(role=Cadre.Role.ADMIN).select_related("unit"))
    behind: dict[int, list[str]] = defaultdict(list)
    rows = []
    for cadre in people:
        missing = missing_kinds(done.get(cadre.pk, set()))
        if not missing:
            continue
        rows.append(
            Notice(
                recipient=cadre,
                kind=Notice.Kind.DAYS_MISSING,
                key=f"m{month}",
                period=first,
                text="、".join(str(kind.label) for kind in missing),
            )
        )
        behind[cadre.unit_id].append(cadre.name)
    for leader in people:
        if leader.role != Cadre.Role.LEADER:
            continue
        names = [name for name in behind.get(leader.unit_id, []) if name != leader.name]
        if names:
            rows.append(
                Notice(
                    recipient=leader,
                    kind=Notice.Kind.CADRES_BEHIND,
                    key=f"u{leader.unit_id}-{month}",
                    unit=leader.unit,
                    period=first,
                    text="、".join(names),
                )
            )
    return rows
