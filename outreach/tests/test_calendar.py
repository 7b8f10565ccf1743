"""The calendar: planned and done visits on a month grid (a list on phones), days off from the
working-day calendar, planning from a day; scoped like the visits."""

import datetime
import re

import pytest
from django.urls import reverse

from outreach.models import WorkingDayOverride
from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 9, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def month(cadre, other_cadre):
    return {
        "done": VisitFactory(cadre=cadre, date=D(2026, 9, 3)),
        "plan": VisitFactory(cadre=cadre, kind="office", date=D(2026, 9, 24), status="planned"),
        "colleague": VisitFactory(cadre=other_cadre, date=D(2026, 9, 8)),
        "august": VisitFactory(cadre=cadre, date=D(2026, 8, 31)),
    }


def _day(body, day):
    return re.search(rf'<td [^>]*data-day="{day}"[^>]*>(.*?)</td>', body, re.S).group(1)


def test_it_requires_login(client):
    assert client.get(reverse("outreach:calendar")).status_code == 302


def test_a_cadre_sees_the_own_month_with_links_and_plans_from_a_day(login, month, cadre):
    response = login(cadre).get(reverse("outreach:calendar"), {"month": "2026-09"})
    body = response.content.decode()
    assert reverse("outreach:visit_detail", args=[month["done"].pk]) in _day(body, "2026-09-03")
    assert reverse("outreach:visit_detail", args=[month["plan"].pk]) in _day(body, "2026-09-24")
    assert f'data-visit="{month["colleague"].pk}"' not in body
    assert f"{reverse('outreach:visit_create')}?date=2026-09-30" in _day(body, "2026-09-30")
    assert "data-plan-day" not in _day(body, "2026-09-14")  # a past day is not planned any more
    # The phone list has the two days, each entry opening the visit.
    days = response.context["calendar"].days_with_visits
    assert [d["date"] for d in days] == [D(2026, 9, 3), D(2026, 9, 24)]


def test_planning_from_a_day_presets_the_date(login, cadre):
    response = login(cadre).get(reverse("outreach:visit_create"), {"date": "2026-09-30"})
    assert response.context["form"]["date"].value() == D(2026, 9, 30)
    assert login(cadre).get(reverse("outreach:visit_create"), {"date": "9999-99-99"}).status_code == 200


def test_days_off_follow_the_working_day_calendar(login, cadre):
    WorkingDayOverride.objects.create(date=D(2026, 9, 16), is_working_day=False, note="区运动会")
    body = login(cadre).get(reverse("outreach:calendar"), {"month": "2026-10"}).content.decode()
    day_off = re.compile(r'data-day="(2026-\d\d-\d\d)"[^>]*data-day-off')
    assert {d for d in day_off.findall(body)} >= {f"2026-10-0{i}" for i in range(1, 8)}  # 国庆
    assert "2026-10-10" not in day_off.findall(body)  # the make-up Saturday is a working day
    september = login(cadre).get(reverse("outreach:calendar"), {"month": "2026-09"}).content.decode()
    assert "2026-09-16" in day_off.findall(september)


def test_a_leader_sees_the_units_calendar_and_not_another_towns(
    login, month, town_leader, other_town_leader, town
):
    body = (
        login(town_leader)
        .get(reverse("outreach:calendar"), {"month": "2026-09", "unit": town.pk})
        .content.decode()
    )
    assert f'data-visit="{month["colleague"].pk}"' in body and f'data-visit="{month["done"].pk}"' in body
    client = login(other_town_leader)
    assert client.get(reverse("outreach:calendar"), {"unit": town.pk}).status_code == 404
    assert client.get(reverse("outreach:calendar"), {"cadre": month["done"].cadre_id}).status_code == 404


def test_a_cadre_cannot_open_a_colleagues_calendar(login, month, cadre, other_cadre):
    assert login(cadre).get(reverse("outreach:calendar"), {"cadre": other_cadre.pk}).status_code == 404


def test_a_bad_month_shows_this_month_with_a_message(login, cadre):
    response = login(cadre).get(reverse("outreach:calendar"), {"month": "2026-13"})
    assert response.status_code == 200 and "不是有效的月份" in response.content.decode()


def test_the_unit_calendar_queries_do_not_grow(
    login, town, town_leader, query_count, django_assert_num_queries
):
    client = login(town_leader)
    url = reverse("outreach:calendar")

    def add(n):
        for i in range(n):
            VisitFactory(cadre=CadreFactory(unit=town), date=D(2026, 9, 1 + i % 28))

    add(3)
    small = query_count(client, url, {"month": "2026-09", "unit": town.pk})
    add(20)
    with django_assert_num_queries(small):
        client.get(url, {"month": "2026-09", "unit": town.pk})
