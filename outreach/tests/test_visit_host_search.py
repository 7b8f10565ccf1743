"""Host search for the one-thumb autocomplete: the cadre's district only, own towns and contacts first."""

import pytest
from django.urls import reverse

from unions.tests.factories import DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db


def _search(client, q=""):
    response = client.get(reverse("outreach:visit_host_search"), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_it_requires_login(client):
    assert client.get(reverse("outreach:visit_host_search"), {"q": "纺织"}).status_code == 302


def test_it_finds_enterprises_with_their_directory_facts(login, cadre, town):
    EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司", employees=860, members=720)
    results = _search(login(cadre), "纺织")
    assert [r["label"] for r in results] == ["五洋纺织机械有限公司"]
    assert results[0]["facts"]["employees"] == 860 and results[0]["facts"]["members"] == 720


def test_it_never_offers_a_host_outside_the_district(login, cadre, town):
    elsewhere = TownFactory(parent=DistrictFactory(name="新北区总工会"), name="罗溪镇总工会")
    EnterpriseFactory(district_union=elsewhere, name="外区纺织有限公司")
    EnterpriseFactory(district_union=town, name="本区纺织有限公司")
    assert [r["label"] for r in _search(login(cadre), "纺织")] == ["本区纺织有限公司"]
    assert _search(login(cadre), "罗溪") == []


def test_contact_enterprises_and_own_towns_come_first(login, cadre, town, other_town):
    EnterpriseFactory(district_union=other_town, name="阿尔法电子有限公司")
    mine = EnterpriseFactory(district_union=other_town, name="泽众电子有限公司")
    in_my_town = EnterpriseFactory(district_union=town, name="华电电子有限公司")
    cadre.contact_enterprises.add(mine)
    cadre.towns.add(town)
    results = [r for r in _search(login(cadre), "电子") if r["type"] == "enterprise"]
    assert [r["label"] for r in results] == [mine.name, in_my_town.name, "阿尔法电子有限公司"]
    empty = _search(login(cadre), "")
    assert {r["label"] for r in empty} == {mine.name, in_my_town.name, town.name}


def test_html_in_a_name_comes_back_as_data(login, cadre, town):
    EnterpriseFactory(district_union=town, name="<script>x</script>电子")
    response = login(cadre).get(reverse("outreach:visit_host_search"), {"q": "电子"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["label"] == "<script>x</script>电子"


def test_the_problem_forms_search_offers_enterprises_only(login, cadre, town):
    EnterpriseFactory(district_union=town, name="高新电子有限公司")
    response = login(cadre).get(reverse("outreach:visit_host_search"), {"q": "高新", "type": "enterprise"})
    assert [(r["type"], r["label"]) for r in response.json()["results"]] == [
        ("enterprise", "高新电子有限公司")
    ]
    both = {r["type"] for r in _search(login(cadre), "高新")}
    assert both == {"union", "enterprise"}
