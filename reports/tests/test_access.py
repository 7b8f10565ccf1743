"""Who may open the reports: leaders and admins, for their own area only."""

import pytest
from django.urls import reverse

from unions.tests.factories import DistrictFactory, LeaderFactory, TownFactory

pytestmark = pytest.mark.django_db

LEADER_PAGES = [
    "reports:monthly",
    "reports:monthly_print",
    "reports:monthly_xlsx",
    "reports:trend",
    "reports:enterprises",
    "reports:year",
    "reports:year_xlsx",
    "reports:assessment",
    "reports:assessment_xlsx",
    "reports:cadres",
]


@pytest.mark.parametrize("name", [*LEADER_PAGES, "reports:visit_ledger_xlsx", "reports:problem_ledger_xlsx"])
def test_it_requires_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_a_plain_cadre_is_refused(client, cadre, name):
    client.force_login(cadre.user)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [*LEADER_PAGES, "reports:visit_ledger_xlsx", "reports:problem_ledger_xlsx"])
def test_a_user_without_cadre_profile_gets_the_explanation(client, django_user_model, name):
    user = django_user_model.objects.create_user("nobody", password="x" * 12)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "干部" in response.content.decode()


@pytest.mark.parametrize("name", LEADER_PAGES)
def test_a_town_leader_cannot_open_another_towns_unit(client, town_leader, other_town, district, name):
    client.force_login(town_leader.user)
    assert client.get(reverse(name), {"unit": other_town.pk}).status_code == 404
    assert client.get(reverse(name), {"unit": district.pk}).status_code == 404
    assert client.get(reverse(name), {"unit": "abc"}).status_code == 404


def test_a_town_leader_opens_the_own_town(client, town_leader, town):
    client.force_login(town_leader.user)
    response = client.get(reverse("reports:monthly"), {"unit": town.pk})
    assert response.status_code == 200
    assert response.context["unit"] == town
    assert [u.pk for u in response.context["scope_units"]] == [town.pk]


def test_a_district_leader_opens_the_district_and_each_town(
    client, district_leader, district, town, other_town
):
    client.force_login(district_leader.user)
    for unit in (district, town, other_town):
        response = client.get(reverse("reports:monthly"), {"unit": unit.pk})
        assert response.status_code == 200
        assert response.context["unit"] == unit
    assert {u.pk for u in response.context["scope_units"]} == {district.pk, town.pk, other_town.pk}


def test_a_district_leader_cannot_open_another_district(client, district_leader):
    elsewhere = TownFactory(parent=DistrictFactory(name="新北区总工会"))
    client.force_login(district_leader.user)
    assert client.get(reverse("reports:monthly"), {"unit": elsewhere.pk}).status_code == 404
    assert client.get(reverse("reports:monthly"), {"unit": elsewhere.parent_id}).status_code == 404


def test_an_admin_opens_the_report(client, admin_cadre):
    client.force_login(admin_cadre.user)
    assert client.get(reverse("reports:monthly")).status_code == 200


def test_leaders_see_the_report_in_the_menu_and_cadres_do_not(client, cadre, town_leader):
    url = reverse("reports:monthly")
    client.force_login(town_leader.user)
    assert url in client.get(reverse("home")).content.decode()
    client.force_login(cadre.user)
    assert url not in client.get(reverse("home")).content.decode()


def test_the_page_is_in_chinese(client, town_leader):
    client.force_login(town_leader.user)
    body = client.get(reverse("reports:monthly")).content.decode()
    assert "月度报表" in body and "完成率" in body


def test_a_leader_elsewhere_sees_nothing_of_this_town(client, scenario, town):
    stranger = LeaderFactory(unit=TownFactory(parent=DistrictFactory()))
    client.force_login(stranger.user)
    response = client.get(reverse("reports:monthly"), {"month": scenario.label})
    report = response.context["report"]
    assert report.visits["total"] == 0 and report.problems["total"]["raised"] == 0
    assert "许文静" not in response.content.decode()
