"""A leader of a large area (a city, a province) gets a short cadre filter: the cadres of the
unit chosen, and the one already chosen; every cadre of the area is still accepted."""

import re

import pytest
from django.urls import reverse

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

HINT = "本范围干部超过 2 名"


@pytest.fixture
def long_list(monkeypatch):
    monkeypatch.setattr("outreach.filters.CADRE_OPTIONS_SHOWN", 2)


def _options(response, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    return set(re.findall(r'<option value="(\d+)"', select.group(1)))


@pytest.fixture
def people(town, other_town, cadre, other_cadre):
    away = CadreFactory(unit=other_town, name="周海")
    return {"here": {str(cadre.pk), str(other_cadre.pk)}, "away": away}


@pytest.mark.parametrize(
    ("url", "name"), [("outreach:visit_list", "cadre"), ("outreach:concern_list", "owner")]
)
def test_a_long_area_lists_the_cadres_of_the_unit_chosen(
    login, district_leader, town, people, long_list, url, name
):
    client = login(district_leader)
    first = client.get(reverse(url))
    assert _options(first, name) == set()
    assert HINT in first.content.decode()
    chosen = client.get(reverse(url), {"town": town.pk})
    assert _options(chosen, name) == people["here"]  # the town's cadres, not the other town's


def test_a_report_link_to_any_cadre_of_the_area_still_filters(login, district_leader, people, long_list):
    away = people["away"]
    mine = VisitFactory(cadre=away)
    VisitFactory()  # someone else's
    response = login(district_leader).get(reverse("outreach:visit_list"), {"cadre": away.pk})
    assert [v.pk for v in response.context["page_obj"]] == [mine.pk]
    assert _options(response, "cadre") == {str(away.pk)}
    assert f'<option value="{away.pk}" selected>' in response.content.decode()
    problem = ConcernFactory(owner=away)
    response = login(district_leader).get(reverse("outreach:concern_list"), {"owner": away.pk})
    assert [c.pk for c in response.context["page_obj"]] == [problem.pk]


def test_a_short_area_lists_every_cadre(login, district_leader, people):
    response = login(district_leader).get(reverse("outreach:visit_list"))
    assert _options(response, "cadre") >= {*people["here"], str(people["away"].pk)}
    assert "本范围干部超过" not in response.content.decode()
