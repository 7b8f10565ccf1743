"""A problem belongs to the month of the visit where it was raised, whenever it was typed in."""

import datetime

import pytest
from django.urls import reverse

from lib.workdays import add_working_days
from outreach import services
from outreach.models import CategoryTimeLimit, Concern, Visit
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

VISIT_DAY = datetime.date(2026, 11, 30)
TYPED_ON = datetime.date(2026, 12, 2)


@pytest.fixture
def late_visit(monkeypatch, cadre, town):
    """A worker day of Monday 30 November, typed in on Wednesday 2 December with one problem."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TYPED_ON)
    enterprise = EnterpriseFactory(district_union=town)
    visit = Visit(kind="worker", date=VISIT_DAY, host_enterprise=enterprise, work_done="跟班劳动。")
    services.visit_save(
        visit=visit,
        editor=cadre,
        action="submit",
        concerns=[{"category": "wages", "description": "三名职工工资被拖欠。"}],
    )
    return visit


def test_its_problems_are_received_on_the_visits_date_and_due_from_it(late_visit):
    concern = Concern.objects.get(visit=late_visit)
    limit = CategoryTimeLimit.objects.get(category="wages").working_days
    assert concern.received_on == VISIT_DAY
    assert concern.due_date == add_working_days(VISIT_DAY, limit)


def test_they_count_in_novembers_report_not_decembers(client, late_visit, town_leader):
    client.force_login(town_leader.user)
    raised = {}
    for month in ("2026-11", "2026-12"):
        report = client.get(reverse("reports:monthly"), {"month": month}).context["report"]
        raised[month] = report.problems["total"]["raised"]
    assert raised == {"2026-11": 1, "2026-12": 0}


def test_the_problem_list_finds_them_in_november(client, late_visit, town_leader):
    client.force_login(town_leader.user)
    url = reverse("outreach:concern_list")
    november = client.get(url, {"month": "2026-11"}).context["page_obj"].paginator.count
    december = client.get(url, {"month": "2026-12"}).context["page_obj"].paginator.count
    assert (november, december) == (1, 0)


def test_the_problem_page_says_which_day_the_deadline_counts_from(client, late_visit, cadre):
    concern = Concern.objects.get(visit=late_visit)
    client.force_login(cadre.user)
    body = client.get(concern.get_absolute_url()).content.decode()
    assert f"{concern.due_date:%Y-%m-%d}（自 2026-11-30 受理之日起算）" in body
    assert "受理日期" in body
