"""Plans against what was done: planned, done as planned, done unplanned, missed — on my month,
on the visit list and in the monthly report, from one rule."""

import datetime
import re

import pytest
from django.urls import reverse

from outreach.models import Visit
from outreach.services import visit_save
from outreach.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NOVEMBER = "2026-11"


@pytest.fixture
def plans(cadre, other_cadre):
    """许文静's November 2026 (every date has passed):

    - worker day planned for Monday 2 Nov, done on Wednesday 4 Nov in a separate record: kept;
    - chairman day planned for 10 Nov and done as that record: kept;
    - office day planned for 17 Nov, done only on 24 Nov (the next week): missed, and the
      24 Nov day is unplanned;
    - worker day planned for 18 Nov: the worker day that week is 王强's, and hers was returned: missed;
    - a chairman day on 26 Nov without a plan: unplanned;
    - a plan for December is not November's.
    """
    add = VisitFactory
    made = {
        "kept_other": add(cadre=cadre, kind="worker", date=D(2026, 11, 2), status="planned"),
        "kept_done": add(cadre=cadre, kind="worker", date=D(2026, 11, 4)),
        "converted": add(cadre=cadre, kind="chairman", date=D(2026, 11, 10), planned_for=D(2026, 11, 10)),
        "missed_late": add(cadre=cadre, kind="office", date=D(2026, 11, 17), status="planned"),
        "late": add(cadre=cadre, kind="office", date=D(2026, 11, 24)),
        "missed": add(cadre=cadre, kind="worker", date=D(2026, 11, 18), status="planned"),
        "returned": add(cadre=cadre, kind="worker", date=D(2026, 11, 19), status="returned"),
        "someone_else": add(cadre=other_cadre, kind="worker", date=D(2026, 11, 19)),
        "unplanned": add(cadre=cadre, kind="chairman", date=D(2026, 11, 26)),
        "december": add(cadre=cadre, kind="office", date=D(2026, 12, 21), status="planned"),
    }
    return made


def test_the_querysets_sort_each_plan_and_day(plans, cadre):
    mine = Visit.objects.alive().filter(cadre=cadre)
    november = {"planned_for__year": 2026, "planned_for__month": 11}
    today = D(2026, 12, 2)
    assert set(mine.plans().filter(**november)) == {
        plans[k] for k in ("kept_other", "converted", "missed_late", "missed")
    }
    assert set(mine.plans_kept().filter(**november)) == {plans["kept_other"], plans["converted"]}
    assert set(mine.plans_missed(today).filter(**november)) == {plans["missed_late"], plans["missed"]}
    assert set(mine.done_unplanned().in_month(2026, 11)) == {plans["late"], plans["unplanned"]}
    # Before its date a plan is not missed yet.
    assert plans["missed"] not in mine.plans_missed(D(2026, 11, 18))


def test_my_month_counts_plans_against_what_was_done(login, plans, cadre):
    response = login(cadre).get(reverse("outreach:my_month"), {"month": NOVEMBER})
    outcome = response.context["plan_outcome"]
    assert (outcome["planned"], outcome["kept"], outcome["unplanned"]) == (4, 2, 2)
    assert set(outcome["missed"]) == {plans["missed_late"], plans["missed"]}
    body = response.content.decode()
    assert re.search(r'data-plan="missed">2<', body)
    assert body.count("data-missed-plan") == 2


def test_the_visit_list_flags_and_filters_missed_plans(login, plans, town_leader):
    client = login(town_leader)
    response = client.get(reverse("outreach:visit_list"), {"plan": "missed", "month": NOVEMBER})
    assert set(response.context["page_obj"]) == {plans["missed_late"], plans["missed"]}
    assert response.content.decode().count("data-missed-plan") == 2
    everything = client.get(reverse("outreach:visit_list"), {"month": NOVEMBER}).content.decode()
    assert everything.count("data-missed-plan") == 2  # flagged on the plain list too


def test_the_monthly_report_counts_plans_and_links_them(login, plans, town_leader, cadre, other_cadre):
    client = login(town_leader)
    response = client.get(reverse("reports:monthly"), {"month": NOVEMBER})
    rows = {row["id"]: row for row in response.context["report"].plans["rows"]}
    mine = rows[cadre.pk]
    assert (mine["planned"], mine["kept"], mine["unplanned"], mine["missed"]) == (4, 2, 2, 2)
    assert (rows[other_cadre.pk]["unplanned"], rows[other_cadre.pk]["planned"]) == (1, 0)
    assert response.context["report"].plans["total"]["unplanned"] == 3
    body = response.content.decode()
    section = body[body.index('id="plans"') :]
    for url, number in re.findall(r'<a href="([^"]+)" data-plan="[a-z]+">(\d+)</a>', section):
        listed = client.get(url.replace("&amp;", "&")).context["page_obj"].paginator.count
        assert listed == int(number), url


def test_saving_a_plan_keeps_its_date_once_done(cadre, town):
    visit = Visit(kind="worker", date=D(2026, 11, 9), host_union=town, work_done="")
    visit = visit_save(visit=visit, editor=cadre, action="plan")
    assert visit.planned_for == D(2026, 11, 9)
    visit.date, visit.work_done = D(2026, 11, 11), "在车间跟班劳动。"
    visit = visit_save(visit=visit, editor=cadre, action="submit", expected_version=visit.version)
    visit.refresh_from_db()
    assert (visit.status, visit.planned_for) == ("submitted", D(2026, 11, 9))
    assert visit in Visit.objects.plans_kept()  # done in the week it was planned for
