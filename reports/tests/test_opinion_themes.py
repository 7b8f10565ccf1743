"""The monthly report's 民情民意 by theme: counts per unit below and per month, each number
linked to its items; a merged duplicate counts once; a town's leader sees only the town."""

import datetime
import re

import pytest
from django.urls import reverse

from outreach.services import opinion_merge
from outreach.tests.factories import OpinionFactory, VisitFactory, theme
from unions.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cadre, town, other_town, town_leader, other_town_leader):
    """高新区: 2 wages (and a duplicate of one) and 1 housing in November, 1 wages in October;
    湖塘镇: 1 wages in November."""

    def item(who, leader, day, name, month=11):
        visit = VisitFactory(cadre=who, date=datetime.date(2026, month, day))
        return OpinionFactory(visit=visit, tagged_by=leader, theme=theme(name))

    made = {
        "w1": item(cadre, town_leader, 3, "工资待遇"),
        "w2": item(cadre, town_leader, 5, "工资待遇"),
        "dup": item(cadre, town_leader, 6, "工资待遇"),
        "h1": item(cadre, town_leader, 7, "住房"),
        "oct": item(cadre, town_leader, 9, "工资待遇", month=10),
        "other": item(CadreFactory(unit=other_town), other_town_leader, 12, "工资待遇"),
    }
    opinion_merge(opinion=made["dup"], original=made["w1"], actor=town_leader)
    return made


def _section(client, leader, month="2026-11"):
    client.force_login(leader.user)
    response = client.get(reverse("reports:monthly"), {"month": month})
    assert response.status_code == 200
    return response, response.context["report"].opinion_themes


def _counts(section):
    names = [t["name"] for t in section["themes"]]
    return {
        row["unit"].name: dict(zip(names, [c["n"] for c in row["cells"]], strict=True))
        for row in section["units"]
    }


def test_the_district_sees_each_town_per_theme(client, district_leader, items, town, other_town):
    response, section = _section(client, district_leader)
    assert [t["name"] for t in section["themes"]] == ["工资待遇", "住房"]
    assert _counts(section) == {
        town.name: {"工资待遇": 2, "住房": 1},
        other_town.name: {"工资待遇": 1, "住房": 0},
    }
    months = {row["month"]: row["total"] for row in section["months"]}
    assert len(months) == 12
    assert months[datetime.date(2026, 11, 1)] == 4 and months[datetime.date(2026, 10, 1)] == 1


def test_a_number_opens_its_items_and_they_their_visits(client, district_leader, items, town):
    response, section = _section(client, district_leader)
    row = next(r for r in section["units"] if r["unit"] == town)
    url = row["cells"][0]["url"]
    assert url in response.content.decode().replace("&amp;", "&")
    page = client.get(url)
    found = set(map(int, re.findall(r'data-opinion="(\d+)"', page.content.decode())))
    assert found == {items["w1"].pk, items["w2"].pk}
    body = client.get(reverse("outreach:opinion_detail", args=[items["w1"].pk])).content.decode()
    assert reverse("outreach:visit_detail", args=[items["w1"].visit_id]) in body


def test_a_town_leader_sees_only_the_town(client, town_leader, items, town):
    _response, section = _section(client, town_leader)
    assert _counts(section) == {town.name: {"工资待遇": 2, "住房": 1}}


def test_the_report_runs_the_same_queries_with_more_items(
    client, district_leader, items, cadre, town_leader, query_count
):
    client.force_login(district_leader.user)
    url, params = reverse("reports:monthly"), {"month": "2026-11"}
    query_count(client, url, params)  # warm the session and the evaluation rule
    OpinionFactory(
        visit=VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 20))
    )  # a write: no cached report
    small = query_count(client, url, params)
    for day in range(1, 9):
        OpinionFactory(
            visit=VisitFactory(cadre=cadre, date=datetime.date(2026, 11, day)), theme=theme("子女入学")
        )
    assert query_count(client, url, params) == small
