"""The demo year, as a leader's report counts it: problems received in every month, and cadres
who go down every week (so that column is not 0 everywhere)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lib.months import add_months
from outreach.models import Concern, Visit
from unions.models import Cadre

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--force")


def demo_months():
    first = timezone.localdate().replace(day=1)
    return [add_months(first, -n) for n in range(12)]


def test_problems_are_received_in_every_month_of_the_demo_year(seeded, client):
    received = set(Concern.objects.alive().values_list("received_on", flat=True))
    for month in demo_months():
        assert any(day.replace(day=1) == month for day in received), f"no problem received in {month:%Y-%m}"
    # Problems raised at a visit are received on the visit's date.
    for concern in Concern.objects.filter(visit__isnull=False).select_related("visit"):
        assert concern.received_on == concern.visit.date
    leader = Cadre.objects.get(user__username="district_leader")
    client.force_login(leader.user)
    old = demo_months()[-2]  # e.g. the October a leader looks back at
    report = client.get(reverse("reports:monthly"), {"month": f"{old:%Y-%m}"}).context["report"]
    # The district's problems (the city's other district has its own).
    in_old = (
        Concern.objects.alive()
        .in_units(leader.scope_unit_ids, leader.scope_cadre_ids)
        .filter(received_on__year=old.year, received_on__month=old.month)
    )
    assert report.problems["total"]["raised"] == in_old.count() > 0


def _went_down_every_week(month: datetime.date) -> set[int]:
    """Cadres with a done visit of their own in every Monday-to-Sunday week whose Thursday is in the month."""
    thursdays = set()
    day = month
    while day.month == month.month:
        if day.weekday() == 3:
            thursdays.add(day)
        day += datetime.timedelta(days=1)
    weeks = {}
    for cadre_id, date in Visit.objects.alive().done().values_list("cadre_id", "date"):
        thursday = date + datetime.timedelta(days=3 - date.weekday())
        if thursday in thursdays:
            weeks.setdefault(cadre_id, set()).add(thursday)
    return {cadre_id for cadre_id, done in weeks.items() if done == thursdays}


def test_some_cadres_go_down_every_week(seeded, client):
    leader = Cadre.objects.get(user__username="district_leader")
    client.force_login(leader.user)
    active = set(Cadre.objects.active().filter(pk__in=leader.scope_cadre_ids).values_list("pk", flat=True))
    for month in demo_months()[1:4]:  # months that are over
        expected = _went_down_every_week(month) & active
        report = client.get(reverse("reports:monthly"), {"month": f"{month:%Y-%m}"}).context["report"]
        assert report.completion["total"]["weekly"] == len(expected) > 0
    assert len(expected) < len(active)  # but not everyone


def test_a_second_seed_adds_no_problem(seeded):
    first = (Concern.objects.count(), Visit.objects.count())
    call_command("seed_demo", "--force")
    assert (Concern.objects.count(), Visit.objects.count()) == first
