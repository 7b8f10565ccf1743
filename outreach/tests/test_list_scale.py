"""The lists stay cheap as the tables grow: the scope is an OR the database answers from
indexes, and the pager counts at most a bounded number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lib.pagination import CappedPaginator
from outreach.models import Concern, Visit
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)


def _visits(cadre, town, n):
    host = EnterpriseFactory(district_union=town)
    return VisitFactory.create_batch(n, cadre=cadre, host_enterprise=host)


def test_a_short_list_shows_the_exact_count(login, cadre, town, town_leader, small_cap):
    _visits(cadre, town, 4)
    body = login(town_leader).get(reverse("outreach:visit_list")).content.decode()
    assert "共 4 条走访" in body and "超过" not in body


def test_a_long_list_says_more_than_and_still_pages_on(
    login, cadre, town, town_leader, small_cap, monkeypatch
):
    import outreach.views.visits as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _visits(cadre, town, 30)
    client = login(town_leader)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("outreach:visit_list")).content.decode()
    # page 1 counts at most 1 × 2 + 5 rows (+1 to know there are more), never all 30
    # the pager's counts are the queries that are a COUNT (the menu's review-queue count is a
    # sub-select of another query and counts only the submitted visits)
    counts = [
        q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(") and "outreach_visit" in q["sql"]
    ]
    assert counts and all("LIMIT 8" in sql for sql in counts)
    assert "超过 7 条走访" in body and "共 30 条" not in body
    assert "第 1 页（共 4 页以上）" in body
    # the last counted page still offers "next", and a far page beyond the count answers too
    page = client.get(reverse("outreach:visit_list"), {"page": 4})
    assert page.context["page_obj"].has_next()
    assert len(client.get(reverse("outreach:visit_list"), {"page": 15}).context["page_obj"]) == 2
    assert client.get(reverse("outreach:visit_list"), {"page": "abc"}).status_code == 200


def test_the_problem_list_counts_with_the_same_cap(login, cadre, town, town_leader, small_cap, monkeypatch):
    import outreach.views.concerns as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    enterprise = EnterpriseFactory(district_union=town)
    ConcernFactory.create_batch(12, owner=cadre, enterprise=enterprise)
    body = login(town_leader).get(reverse("outreach:concern_list")).content.decode()
    assert "超过 7 条诉求" in body and "共 12 条诉求" not in body


def test_a_leaders_scope_is_literal_ids_not_a_join_inside_an_or(town_leader):
    sql = str(Visit.objects.visible_to(town_leader).query)
    where = sql.split("WHERE", 1)[1]
    assert "JOIN" not in sql and "SELECT" not in where  # no join, no sub-select in the OR
    assert f'town_id" IN ({town_leader.unit_id}' in sql.replace(", ", ",")
    concern_sql = str(Concern.objects.visible_to(town_leader).query)
    assert "JOIN" not in concern_sql


def test_a_cadres_visits_need_no_distinct_and_include_those_accompanied(cadre, town):
    own = _visits(cadre, town, 2)
    other = CadreFactory(unit=town)
    accompanied = VisitFactory(cadre=other, host_enterprise=EnterpriseFactory(district_union=town))
    accompanied.companions.add(cadre)
    _visits(other, town, 3)  # not his
    qs = Visit.objects.visible_to(cadre)
    assert "DISTINCT" not in str(qs.query) and "JOIN" not in str(qs.query)
    assert set(qs) == {*own, accompanied}


def test_the_scope_ids_are_fetched_once_per_request(
    login, cadre, town, town_leader, django_assert_max_num_queries
):
    _visits(cadre, town, 3)
    client = login(town_leader)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    scope_queries = [
        q for q in captured if q["sql"].startswith('SELECT "unions_cadre"."id" FROM "unions_cadre"')
    ]
    assert len(scope_queries) <= 1


def test_a_cadres_problems_are_literal_ids_not_an_exists_inside_the_or(cadre, other_cadre, town):
    from outreach import services

    enterprise = EnterpriseFactory(district_union=town)
    own = ConcernFactory(owner=cadre, enterprise=enterprise)
    passed_on = ConcernFactory(owner=cadre, received_by=cadre, enterprise=enterprise)
    services.concern_handover(concern=passed_on, actor=cadre, to_owner=other_cadre, reason="交接")
    ConcernFactory(owner=other_cadre, received_by=other_cadre, enterprise=enterprise)  # not his
    qs = Concern.objects.visible_to(cadre)
    assert "EXISTS" not in str(qs.query) and "JOIN" not in str(qs.query)
    assert set(qs) == {own, passed_on}


def test_a_page_is_read_as_its_ids_first_then_its_rows_in_the_same_order(
    login, cadre, town, town_leader, monkeypatch
):
    import outreach.views.visits as views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    host = EnterpriseFactory(district_union=town)
    for day in (3, 9, 9, 1, 20, 14, 9):
        VisitFactory(cadre=cadre, host_enterprise=host, date=f"2026-11-{day:02d}")
    expected = list(
        Visit.objects.visible_to(town_leader).order_by("-date", "-id").values_list("pk", flat=True)
    )
    client = login(town_leader)
    shown = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("outreach:visit_list"), {"page": number}).context["page_obj"]
        shown += [visit.pk for visit in page]
        ids_only = [
            q["sql"] for q in captured if q["sql"].startswith('SELECT "outreach_visit"."id" AS "pk" FROM')
        ]
        assert ids_only and " LIMIT " in ids_only[0]  # one page of ids, then its rows
    assert shown == expected


def test_the_problem_list_pages_by_deadline_through_its_ids(login, cadre, town, town_leader, monkeypatch):
    import datetime

    import outreach.views.concerns as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    enterprise = EnterpriseFactory(district_union=town)
    for day in (5, 3, 3, 8, 1):
        ConcernFactory(owner=cadre, enterprise=enterprise, due_date=datetime.date(2026, 11, day))
    expected = list(
        Concern.objects.visible_to(town_leader).order_by("due_date", "id").values_list("pk", flat=True)
    )
    client = login(town_leader)
    shown = []
    for number in (1, 2, 3):
        shown += [
            c.pk for c in client.get(reverse("outreach:concern_list"), {"page": number}).context["page_obj"]
        ]
    assert shown == expected
