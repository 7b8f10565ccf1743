"""Drill-down: the report's unit-level completion counts and evaluation scores open the cadres
behind them; each 民情民意 item opens its visit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.tests.factories import VisitFactory
from reports.links import cadre_list_url
from unions.models import Cadre
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

KINDS = {"chairman", "office", "worker"}


def listed(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'<tr data-cadre="(\d+)">', response.content.decode())}


def kinds_done(scenario, cadre_id) -> set[str]:
    return {v.kind for v in scenario.done_in_month(cadre_ids={cadre_id})}


def test_unit_completion_counts_open_the_cadres_behind_them(
    client, scenario, district, town, district_leader
):
    client.force_login(district_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": scenario.label}).content.decode()
    members = set(Cadre.objects.filter(unit=town, is_active=True).values_list("pk", flat=True))
    expected = {
        "all": members,
        "complete": {c for c in members if kinds_done(scenario, c) == KINDS},
        "incomplete": {c for c in members if kinds_done(scenario, c) != KINDS},
        "worker": {c for c in members if "worker" in kinds_done(scenario, c)},
    }
    assert expected["complete"] and expected["incomplete"]  # the scenario has both
    for which, cadres in expected.items():
        params = {"unit": district.pk, "month": scenario.label, "members": town.pk}
        url = cadre_list_url(**params, which=None if which == "all" else which)
        if which != "incomplete":  # the report shows no "incomplete" count
            assert f'href="{url.replace("&", "&amp;")}"' in body
        assert listed(client, url) == cadres


def test_the_total_opens_every_cadre_of_the_area(client, scenario, district, district_leader):
    client.force_login(district_leader.user)
    url = cadre_list_url(unit=district.pk, month=scenario.label)
    everyone = set(
        Cadre.objects.filter(is_active=True, unit__in=[district, *district.children.all()]).values_list(
            "pk", flat=True
        )
    )
    assert listed(client, url) == everyone


def test_the_unit_score_opens_its_cadres_with_their_scores(client, scenario, town, town_leader, cadre):
    client.force_login(town_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": scenario.label}).content.decode()
    row = re.search(rf'<tr data-eval-unit="{town.pk}">(.*?)</tr>', body, re.S).group(1)
    score_url = re.findall(r'href="([^"]+)"', row)[-1].replace("&amp;", "&")
    response = client.get(score_url)
    page = response.content.decode()
    assert {int(pk) for pk in re.findall(r'<tr data-cadre="(\d+)">', page)} == set(
        Cadre.objects.filter(unit=town, is_active=True).values_list("pk", flat=True)
    )
    cadre_row = re.search(rf'<tr data-cadre="{cadre.pk}">(.*?)</tr>', page, re.S).group(1)
    assert (
        '<td class="text-end fw-semibold" data-score>' in cadre_row
        and "—" not in cadre_row.split("data-score>")[1]
    )


def test_it_is_scoped_to_the_leaders_area(client, scenario, town, other_town, town_leader):
    client.force_login(town_leader.user)
    url = reverse("reports:cadres")
    assert client.get(url, {"unit": other_town.pk}).status_code == 404
    assert client.get(url, {"unit": town.pk, "members": other_town.pk}).status_code == 404
    assert client.get(url, {"unit": town.pk, "members": "abc"}).status_code == 404
    response = client.get(url, {"unit": town.pk, "month": "2026-99", "which": "<nope>"})
    assert (
        response.status_code == 200 and response.context["month_error"] and response.context["which"] == "all"
    )


def test_its_queries_do_not_grow_with_the_cadres(client, town, town_leader, django_assert_num_queries):
    enterprise = EnterpriseFactory(district_union=town)

    def add(n):
        for cadre in CadreFactory.create_batch(n, unit=town):
            for kind in KINDS:
                VisitFactory(cadre=cadre, kind=kind, host_enterprise=enterprise)

    client.force_login(town_leader.user)
    url = cadre_list_url(unit=town.pk, month="2026-11", members=town.pk)
    client.get(url)  # warm the session
    add(3)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(listed(client, url)) == 14  # with the leader


def test_each_opinion_opens_its_visit(client, scenario, town_leader):
    client.force_login(town_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": scenario.label}).content.decode()
    items = re.findall(r'<div class="list-group-item" data-opinion="(\d+)">(.*?)</div>\s*</div>', body, re.S)
    assert items
    for pk, item in items:
        url = reverse("outreach:visit_detail", args=[int(pk)])
        assert f'href="{url}"' in item
        assert client.get(url).status_code == 200
