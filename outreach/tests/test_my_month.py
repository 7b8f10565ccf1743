"""My month: the three days done or to do, the weekly grassroots days, the plans."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="科能电子有限公司")


def _kinds(response):
    return {k["kind"]: k for k in response.context["kinds"]}


def test_it_requires_login(client):
    assert client.get(reverse("outreach:my_month")).status_code == 302


def test_it_shows_done_and_to_do(login, cadre, enterprise):
    VisitFactory(cadre=cadre, kind="office", date=datetime.date(2026, 11, 3), host_enterprise=enterprise)
    VisitFactory(
        cadre=cadre,
        kind="worker",
        date=datetime.date(2026, 11, 5),
        host_enterprise=enterprise,
        status="draft",
    )
    VisitFactory(cadre=cadre, kind="chairman", date=datetime.date(2026, 10, 30), host_enterprise=enterprise)
    response = login(cadre).get(reverse("outreach:my_month"))
    kinds = _kinds(response)
    assert len(kinds["office"]["done"]) == 1
    assert kinds["worker"]["done"] == [] and len(kinds["worker"]["pending"]) == 1  # a draft is not a day done
    assert kinds["chairman"]["done"] == []  # last month's day does not count
    assert response.context["kinds_done"] == 1
    assert f"{reverse('outreach:visit_create')}?kind=chairman" in response.content.decode()


def test_a_day_as_companion_is_listed_but_counts_for_its_author_only(login, cadre, companion, enterprise):
    VisitFactory(
        cadre=cadre,
        kind="office",
        date=datetime.date(2026, 11, 3),
        host_enterprise=enterprise,
        companions=[companion],
    )
    office = _kinds(login(companion).get(reverse("outreach:my_month")))["office"]
    assert office["done"] == [] and len(office["accompanied"]) == 1
    assert len(_kinds(login(cadre).get(reverse("outreach:my_month")))["office"]["done"]) == 1


def test_weekly_grassroots_days(login, cadre, enterprise):
    VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 4), host_enterprise=enterprise)
    weeks = login(cadre).get(reverse("outreach:my_month")).context["weeks"]
    # November 2026 runs from Sunday the 1st to Monday the 30th: a week is the month's when
    # its Thursday is, so the 1st closes October's last week and the 30th opens December's.
    assert [(w["start"], w["end"]) for w in weeks] == [
        (datetime.date(2026, 11, d), datetime.date(2026, 11, d + 6)) for d in (2, 9, 16, 23)
    ]
    assert [w["done"] for w in weeks] == [True, False, False, False]
    assert [w["future"] for w in weeks] == [False, False, False, True]


def test_a_week_reaching_into_the_next_month_counts_its_days_there(login, cadre, enterprise):
    # October 2026's last week is Monday 26 October to Sunday 1 November.
    VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 1), host_enterprise=enterprise, kind="office")
    response = login(cadre).get(reverse("outreach:my_month"), {"month": "2026-10"})
    weeks = response.context["weeks"]
    assert (weeks[-1]["start"], weeks[-1]["end"]) == (datetime.date(2026, 10, 26), datetime.date(2026, 11, 1))
    assert [w["done"] for w in weeks] == [False, False, False, False, True]
    assert _kinds(response)["office"]["done"] == []  # the three days still go by the calendar month


def test_planned_visits_are_listed(login, cadre, enterprise):
    VisitFactory(
        cadre=cadre,
        status=Visit.Status.PLANNED,
        date=datetime.date(2026, 12, 2),
        host_enterprise=enterprise,
        work_done="",
    )
    response = login(cadre).get(reverse("outreach:my_month"))
    assert [v.date for v in response.context["plans"]] == [datetime.date(2026, 12, 2)]
    assert "科能电子有限公司" in response.content.decode()


def test_another_month_and_a_bad_month(login, cadre, enterprise):
    VisitFactory(cadre=cadre, kind="chairman", date=datetime.date(2026, 10, 30), host_enterprise=enterprise)
    client = login(cadre)
    assert (
        len(_kinds(client.get(reverse("outreach:my_month"), {"month": "2026-10"}))["chairman"]["done"]) == 1
    )
    response = client.get(reverse("outreach:my_month"), {"month": "2026-99"})
    assert response.status_code == 200 and response.context["month_start"] == datetime.date(2026, 11, 1)


def test_the_cadre_home_is_my_month(login, cadre, enterprise):
    VisitFactory(cadre=cadre, kind="office", date=datetime.date(2026, 11, 3), host_enterprise=enterprise)
    response = login(cadre).get(reverse("home"))
    assert len(_kinds(response)["office"]["done"]) == 1
    assert reverse("outreach:visit_create") in response.content.decode()


def test_query_count_is_the_same_at_5_and_50_visits(login, cadre, town, django_assert_num_queries):
    def add(n):
        for i in range(n):
            VisitFactory(
                cadre=cadre,
                kind=Visit.Kind.values[i % 3],
                date=datetime.date(2026, 11, 1 + i % 20),
                host_enterprise=EnterpriseFactory(district_union=town),
                companions=[CadreFactory(unit=town)],
            )
        VisitFactory(
            cadre=cadre,
            status="planned",
            date=datetime.date(2026, 12, 1),
            host_enterprise=EnterpriseFactory(district_union=town),
        )

    client = login(cadre)
    url = reverse("outreach:my_month")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    add(5)
    small = count()
    add(45)
    assert count() == small
    with django_assert_num_queries(small):
        client.get(url)
