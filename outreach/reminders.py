"""What a cadre should be reminded of: problems near or past their deadline (限时办结) and,
from the 25th, the kinds of day not yet done this month. Used by the home page notices and
by `send_reminders`, so both say the same thing."""

from __future__ import annotations

import datetime
from collections import defaultdict

from unions.models import Cadre

from .models import Concern, ConcernQuerySet, Visit

DUE_SOON_DAYS = 2  # calendar days: "due within two days"
MONTH_CHECK_DAY = 25  # from this day of the month, cadres are reminded of the days not done


def due_soon_limit(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=DUE_SOON_DAYS)


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
        scope = Concern.objects.visible_to(cadre).for_list().order_by("due_date", "id")
        context["scope_overdue"] = list(scope.overdue(today)[:10])
        context["scope_overdue_count"] = scope.overdue(today).count()
        context["scope_due_week"] = list(scope.due_this_week(today)[:10])
        context["scope_due_week_count"] = scope.due_this_week(today).count()
    return context
