"""The monthly report at any level of the tree: a city leader's report has one row per district
(each the sum of its subtree), each opening the same report one level down; another branch is
404; the queries do not grow with the number of units below."""

import pytest
from django.urls import reverse

from lib.months import current_month
from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from reports import cache as report_cache
from unions.models import EnterpriseUnion
from unions.tests.factories import CadreFactory, CityFactory, DistrictFactory, LeaderFactory, TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(district, town, other_town):
    city = CityFactory(name="常州市总工会", code="320400")
    district.parent = city
    district.save()
    city.refresh_from_db()
    return city


@pytest.fixture
def xinbei(city):
    xinbei = DistrictFactory(name="新北区总工会", code="320411", parent=city)
    TownFactory(name="三井街道总工会", level="street", parent=xinbei, code="320411001000")
    return xinbei


def _done(cadre, n, day=1, **host):
    month = current_month()
    for i in range(n):
        VisitFactory(cadre=cadre, date=month.replace(day=day + i % 3), status=Visit.Status.SUBMITTED, **host)


def _rows(response) -> dict[str, dict]:
    rows = response.context["report"].children["rows"]
    return {row["unit"].name: row for row in rows}


def test_a_city_leader_sees_one_row_per_district_with_its_whole_subtree(
    client, city, xinbei, district, town, other_town
):
    _done(CadreFactory(unit=town), 3)
    _done(CadreFactory(unit=other_town), 2)
    _done(CadreFactory(unit=district), 1, host_union=town, host_enterprise=None)
    xinbei_town = xinbei.children.get()
    _done(CadreFactory(unit=xinbei_town), 4)
    client.force_login(LeaderFactory(unit=city).user)
    response = client.get(reverse("reports:monthly"))
    assert response.status_code == 200
    rows = _rows(response)
    assert list(rows) == ["武进区总工会", "新北区总工会"]
    assert (rows["武进区总工会"]["visits"], rows["武进区总工会"]["cadres"]) == (6, 3)
    assert (rows["新北区总工会"]["visits"], rows["新北区总工会"]["cadres"]) == (4, 1)
    assert response.context["report"].visits["total"] == 10
    page = response.content.decode()
    assert f"unit={district.pk}" in page and f"unit={xinbei.pk}" in page


def test_the_district_row_opens_the_district_report_with_a_row_per_town(client, city, xinbei, district, town):
    _done(CadreFactory(unit=town), 2)
    client.force_login(LeaderFactory(unit=city).user)
    response = client.get(reverse("reports:monthly"), {"unit": district.pk})
    assert response.status_code == 200
    rows = _rows(response)
    assert rows["高新区总工会"]["visits"] == 2
    assert "新北区总工会" not in rows
    # The district's figures link to its own visits, not to everything the city leader sees.
    assert response.context["visit_base"]["town"] == district.pk


def test_a_district_leader_cannot_open_the_city_or_the_other_district(client, city, xinbei, district):
    client.force_login(LeaderFactory(unit=district).user)
    for unit in (city, xinbei):
        assert client.get(reverse("reports:monthly"), {"unit": unit.pk}).status_code == 404


def test_a_grassroots_report_has_no_rows_below(client, city, town):
    client.force_login(LeaderFactory(unit=city).user)
    response = client.get(reverse("reports:monthly"), {"unit": town.pk})
    assert response.status_code == 200
    assert response.context["report"].children["rows"] == []
    assert 'data-table="children"' not in response.content.decode()


def test_the_city_report_queries_do_not_grow_with_districts_and_towns(
    client, city, xinbei, district, town, query_count, django_assert_num_queries
):
    client.force_login(LeaderFactory(unit=city).user)
    url = reverse("reports:monthly")
    _done(CadreFactory(unit=town), 3)
    query_count(client, url)  # the first request of a session also reads the login's details
    report_cache.invalidate()  # both requests measured build the report (none is served cached)
    small = query_count(client, url)
    for n in range(3):
        more = DistrictFactory(parent=city, code=f"3204{50 + n}")
        _done(CadreFactory(unit=TownFactory(parent=more)), 3)
    report_cache.invalidate()
    with django_assert_num_queries(small):
        response = client.get(url)
    assert len(response.context["report"].children["rows"]) == 5


def test_the_year_view_of_a_city_has_one_row_per_district(client, city, xinbei, district, town):
    _done(CadreFactory(unit=town), 3)
    _done(CadreFactory(unit=xinbei.children.get()), 2)
    client.force_login(LeaderFactory(unit=city).user)
    response = client.get(reverse("reports:year"), {"year": current_month().year})
    assert response.status_code == 200
    rows = {row["unit"].name: row for row in response.context["report"].children}
    assert (rows["武进区总工会"]["days"], rows["新北区总工会"]["days"]) == (3, 2)
    assert f"unit={xinbei.pk}" in response.content.decode()


def test_every_section_of_the_city_report_has_one_row_per_district(
    client, city, xinbei, district, town, other_town
):
    """Completion, visits, problems, coverage, establishment and evaluation: a row per district
    summing its towns, not a row per town; a district row's numbers open the lists of its whole
    subtree, the city's own row its own cadres only."""
    _done(CadreFactory(unit=town), 3)
    _done(CadreFactory(unit=other_town), 2)
    _done(CadreFactory(unit=district), 1, host_union=town, host_enterprise=None)
    _done(CadreFactory(unit=xinbei.children.get()), 4)
    client.force_login(LeaderFactory(unit=city).user)
    response = client.get(reverse("reports:monthly"))
    report = response.context["report"]
    districts = [district.pk, xinbei.pk]
    assert report.rows_roll_up
    completion = {u["unit_id"]: u["cadres"] for u in report.completion["units"]}
    assert completion == {city.pk: 1, district.pk: 3, xinbei.pk: 1}  # the city's own: its leader
    assert [u["unit_id"] for u in report.evaluation["towns"]] == list(completion)
    visits = {row["town_id"]: row["total"] for row in report.visits["by_town"]}
    assert visits == {city.pk: 0, district.pk: 6, xinbei.pk: 4}
    assert {row["town_id"] for row in report.problems["by_town"]} == {city.pk, *districts}
    coverage = {row["town_id"]: row["total"] for row in report.coverage["towns"]}
    establishment = {row["town_id"]: row["total"] for row in report.establishment["towns"]}
    assert list(coverage) == list(establishment) == districts
    assert (
        coverage[district.pk]
        == EnterpriseUnion.objects.active().filter(district_union__path__startswith=district.path).count()
        > 0
    )
    # The district row's links: the district's whole subtree.
    page = response.content.decode()
    assert f"?month={report.month:%Y-%m}&amp;unit={district.pk}" in page
    cadres = client.get(reverse("reports:cadres"), {"unit": city.pk, "members": district.pk})
    assert len(cadres.context["figures"]["rows"]) == 3
    own = client.get(reverse("reports:cadres"), {"unit": city.pk, "members": city.pk})
    assert len(own.context["figures"]["rows"]) == 1
    enterprises = client.get(reverse("reports:enterprises"), {"unit": city.pk, "town": district.pk})
    assert enterprises.context["page_obj"].paginator.count == coverage[district.pk]


def test_a_district_report_keeps_a_row_per_town(client, city, district, town, other_town):
    _done(CadreFactory(unit=town), 2)
    client.force_login(LeaderFactory(unit=district).user)
    report = client.get(reverse("reports:monthly")).context["report"]
    assert not report.rows_roll_up
    assert {row["town_id"] for row in report.visits["by_town"]} == {district.pk, town.pk, other_town.pk}
