"""The visit list: scope, filters (the shared GET contract), free text, paging, empty states, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _names(response):
    return [v.host.name for v in response.context["page_obj"]]


@pytest.fixture
def visits(cadre, other_cadre, town, other_town, companion):
    return {
        "wuyang": VisitFactory(
            cadre=cadre,
            kind="office",
            date=datetime.date(2026, 10, 9),
            host_enterprise=EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司"),
            companions=[companion],
        ),
        "keneng": VisitFactory(
            cadre=other_cadre,
            kind="worker",
            status=Visit.Status.DRAFT,
            host_enterprise=EnterpriseFactory(district_union=town, name="科能电子有限公司"),
            worker_opinions="希望开通夜班班车",
        ),
        "hutang": VisitFactory(
            cadre=CadreFactory(unit=other_town),
            kind="chairman",
            host_enterprise=None,
            host_union=other_town,
        ),
    }


def test_it_requires_login(client):
    response = client.get(reverse("outreach:visit_list"))
    assert response.status_code == 302


def test_a_district_leader_sees_the_whole_district(login, district_leader, visits):
    response = login(district_leader).get(reverse("outreach:visit_list"))
    assert sorted(_names(response)) == sorted(["五洋纺织机械有限公司", "科能电子有限公司", "湖塘镇总工会"])


def test_a_town_leader_sees_only_the_town(login, town_leader, visits):
    response = login(town_leader).get(reverse("outreach:visit_list"))
    assert sorted(_names(response)) == ["五洋纺织机械有限公司", "科能电子有限公司"]


def test_a_cadre_sees_own_and_accompanied_visits(login, companion, visits):
    assert _names(login(companion).get(reverse("outreach:visit_list"))) == ["五洋纺织机械有限公司"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"month": "2026-10"}, ["五洋纺织机械有限公司"]),
        ({"kind": "worker"}, ["科能电子有限公司"]),
        ({"status": "draft"}, ["科能电子有限公司"]),
        ({"q": "夜班班车"}, ["科能电子有限公司"]),
        ({"q": "五洋"}, ["五洋纺织机械有限公司"]),
    ],
)
def test_it_filters(login, district_leader, visits, params, expected):
    assert _names(login(district_leader).get(reverse("outreach:visit_list"), params)) == expected


def test_it_filters_by_town_cadre_and_enterprise(login, district_leader, visits, other_town, cadre):
    client = login(district_leader)
    url = reverse("outreach:visit_list")
    assert _names(client.get(url, {"town": other_town.pk})) == ["湖塘镇总工会"]
    assert _names(client.get(url, {"cadre": cadre.pk})) == ["五洋纺织机械有限公司"]
    enterprise = visits["keneng"].host_enterprise
    response = client.get(url, {"enterprise": enterprise.pk})
    assert _names(response) == ["科能电子有限公司"]
    assert "科能电子有限公司" in response.content.decode()


def test_a_bad_month_says_so_and_does_not_crash(login, district_leader, visits):
    response = login(district_leader).get(reverse("outreach:visit_list"), {"month": "2026-13"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["month"]


def test_a_town_outside_the_scope_is_not_a_choice(login, town_leader, visits, other_town):
    response = login(town_leader).get(reverse("outreach:visit_list"), {"town": other_town.pk})
    assert response.context["filter"].form.errors["town"]
    assert "湖塘镇总工会" not in _names(response)


def test_empty_states(login, cadre, town_leader, visits):
    fresh = CadreFactory(unit=cadre.unit)
    page = login(fresh).get(reverse("outreach:visit_list")).content.decode()
    assert reverse("outreach:visit_create") in page
    response = login(town_leader).get(reverse("outreach:visit_list"), {"q": "没有这个词"})
    assert response.context["page_obj"].paginator.count == 0
    assert response.context["is_filtered"]


def test_it_pages(login, town_leader, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    VisitFactory.create_batch(25, cadre=cadre, host_enterprise=enterprise)
    client = login(town_leader)
    assert len(client.get(reverse("outreach:visit_list")).context["page_obj"]) == 20
    assert len(client.get(reverse("outreach:visit_list"), {"page": 2}).context["page_obj"]) == 5
    assert len(client.get(reverse("outreach:visit_list"), {"page": "x"}).context["page_obj"]) == 20


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_the_same_at_5_and_50_visits(
    login, district_leader, town, other_town, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            place = town if i % 2 else other_town
            VisitFactory(
                cadre=CadreFactory(unit=place),
                host_enterprise=EnterpriseFactory(district_union=place),
                companions=[CadreFactory(unit=place)],
            )

    client = login(district_leader)
    url = reverse("outreach:visit_list")
    add(5)
    small = _count(client, url)
    add(45)
    assert _count(client, url) == small
    assert _count(client, url, {"q": "车间", "month": "2026-11"}) == small
    with django_assert_num_queries(small):
        client.get(url)


@pytest.mark.parametrize("param", ["town", "cadre", "enterprise"])
def test_an_id_past_the_integer_range_is_refused_not_a_500(client, town_leader, param):
    client.force_login(town_leader.user)
    response = client.get(reverse("outreach:visit_list"), {param: str(2**70)})
    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.parametrize(
    ("field", "words"),
    [("reflections", "体会很深"), ("worker_opinions", "夜班热饭"), ("suggestions", "技能补贴")],
)
def test_the_search_finds_words_of_the_reflections_opinions_and_suggestions(
    login, town_leader, cadre, town, field, words
):
    VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town, name="其他企业"))
    VisitFactory(
        cadre=cadre,
        host_enterprise=EnterpriseFactory(district_union=town, name="常州恒力精密机械有限公司"),
        **{field: f"……{words}……"},
    )
    response = login(town_leader).get(reverse("outreach:visit_list"), {"q": words})
    assert _names(response) == ["常州恒力精密机械有限公司"]
