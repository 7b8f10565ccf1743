"""The enterprise page (企业档案): facts, who checked them at which visit, visits and problems."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from outreach.services import concern_create
from outreach.services.visits import enterprise_verify
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.models import EnterpriseUnion
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="常州五洋纺织机械有限公司", employees=300, members=250)


def _url(enterprise, **params):
    url = reverse("unions:enterprise_detail", args=[enterprise.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_it_requires_login(client, enterprise):
    response = client.get(_url(enterprise))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_another_towns_enterprise_does_not_exist_for_a_town_leader(login, other_town_leader, enterprise):
    assert login(other_town_leader).get(_url(enterprise)).status_code == 404


def test_it_answers_404_for_an_unknown_enterprise(login, town_leader):
    assert login(town_leader).get(reverse("unions:enterprise_detail", args=[987654])).status_code == 404


@pytest.mark.parametrize("who", ["cadre", "town_leader", "district_leader", "hq_cadre"])
def test_those_whose_scope_holds_the_enterprise_open_it(request, login, district, enterprise, who):
    person = CadreFactory(unit=district) if who == "hq_cadre" else request.getfixturevalue(who)
    body = login(person).get(_url(enterprise)).content.decode()
    assert "常州五洋纺织机械有限公司" in body and "企业档案" in body and enterprise.credit_code in body


def test_it_shows_who_verified_what_at_which_visit(login, cadre, town_leader, enterprise):
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    enterprise_verify(enterprise=enterprise, verified_by=cadre, visit=visit, changes={"employees": 320})
    enterprise.refresh_from_db()
    enterprise_verify(enterprise=enterprise, verified_by=cadre, visit=visit, changes={})
    body = login(town_leader).get(_url(enterprise)).content.decode()
    visit_link = f'<a href="{reverse("outreach:visit_detail", args=[visit.pk])}">走访 #{visit.pk} 时核实</a>'
    assert body.count(visit_link) == 2
    assert '职工人数: <span class="text-muted">300</span> → 320' in body
    assert "已核实，信息无变化。" in body  # the second check confirmed the facts
    assert "许文静" in body  # last verified by


def test_a_visit_the_user_may_not_open_is_named_without_a_link(login, cadre, other_cadre, enterprise):
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    enterprise_verify(enterprise=enterprise, verified_by=cadre, visit=visit, changes={"members": 260})
    body = login(other_cadre).get(_url(enterprise)).content.decode()
    assert f"走访 #{visit.pk} 时核实" in body
    assert reverse("outreach:visit_detail", args=[visit.pk]) not in body


def test_it_lists_only_the_visits_and_problems_the_user_may_see(login, cadre, other_cadre, enterprise):
    mine = VisitFactory(cadre=cadre, host_enterprise=enterprise, people_met="我的走访")
    theirs = VisitFactory(cadre=other_cadre, host_enterprise=enterprise)
    concern_create(received_by=cadre, category="wages", description="我的诉求：加班费", visit=mine)
    ConcernFactory(owner=other_cadre, enterprise=enterprise, description="别人的诉求：食堂")
    ConcernFactory(
        owner=cadre,
        enterprise=EnterpriseFactory(district_union=enterprise.district_union),
        description="另一家企业的诉求",
    )
    body = login(cadre).get(_url(enterprise)).content.decode()
    assert reverse("outreach:visit_detail", args=[mine.pk]) in body
    assert reverse("outreach:visit_detail", args=[theirs.pk]) not in body
    assert "我的诉求：加班费" in body
    assert "别人的诉求" not in body and "另一家企业的诉求" not in body


def test_the_problems_come_by_received_date_newest_first(login, town_leader, cadre, enterprise):
    import datetime

    # Typed in the other way round: the visit of 30 November was typed in after that of 3 December.
    ConcernFactory(
        owner=cadre,
        enterprise=enterprise,
        description="十二月三日受理",
        received_on=datetime.date(2026, 12, 3),
    )
    ConcernFactory(
        owner=cadre,
        enterprise=enterprise,
        description="十一月三十日受理",
        received_on=datetime.date(2026, 11, 30),
    )
    ConcernFactory(
        owner=cadre,
        enterprise=enterprise,
        description="十二月一日受理",
        received_on=datetime.date(2026, 12, 1),
    )
    response = login(town_leader).get(_url(enterprise))
    assert [c.description for c in response.context["concerns"]] == [
        "十二月三日受理",
        "十二月一日受理",
        "十一月三十日受理",
    ]
    assert "受理日期 2026-11-30" in response.content.decode()


def test_the_visits_are_paginated(login, cadre, town_leader, enterprise):
    visits = VisitFactory.create_batch(12, cadre=cadre, host_enterprise=enterprise)
    client = login(town_leader)
    first = client.get(_url(enterprise)).content.decode()
    second = client.get(_url(enterprise, visits_page=2)).content.decode()
    links = [reverse("outreach:visit_detail", args=[v.pk]) for v in visits]
    assert sum(link in first for link in links) == 10 and sum(link in second for link in links) == 2
    assert "visits_page=2#visits" in first
    assert client.get(_url(enterprise, visits_page="x")).status_code == 200  # bad page: the first


def _busy_enterprise(cadre, town, size: int) -> EnterpriseUnion:
    enterprise = EnterpriseFactory(district_union=town)
    for n in range(size):
        visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
        concern_create(received_by=cadre, category="wages", description=f"诉求{n}", visit=visit)
        enterprise.refresh_from_db()
        enterprise_verify(
            enterprise=enterprise, verified_by=cadre, visit=visit, changes={"employees": 200 + n}
        )
    return enterprise


def test_the_page_costs_the_same_queries_whatever_the_enterprise_holds(
    login, cadre, town, town_leader, query_count, django_assert_num_queries
):
    client = login(town_leader)
    small = query_count(client, _url(_busy_enterprise(cadre, town, 3)))
    url = _url(_busy_enterprise(cadre, town, 14))
    with django_assert_num_queries(small):
        body = client.get(url).content.decode()
    assert (
        body.count('href="/outreach/problems/', body.index('id="problems"')) == 10
        and body.count("data-history-entry") == 10
    )


def test_the_directory_list_links_to_the_page(login, town_leader, enterprise):
    body = login(town_leader).get(reverse("unions:enterprise_list")).content.decode()
    assert f'href="{_url(enterprise)}"' in body


def test_the_reports_enterprise_list_links_to_the_page(login, town_leader, town, enterprise):
    body = login(town_leader).get(reverse("reports:enterprises"), {"unit": town.pk}).content.decode()
    assert f'href="{_url(enterprise)}"' in body


def test_the_migration_reads_the_visit_from_past_change_reasons(enterprise):
    History = EnterpriseUnion.history.model
    History.objects.filter(id=enterprise.pk).update(history_change_reason="由许文静在走访 #42 时核实")
    migration = importlib.import_module("unions.migrations.0004_fill_verified_at_visit")
    migration.forwards(apps, None)
    assert list(History.objects.filter(id=enterprise.pk).values_list("verified_at_visit", flat=True)) == [42]
