"""Every number of the report links to the list behind it."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from reports.links import concern_list_url, visit_list_url

pytestmark = pytest.mark.django_db


def test_link_helpers_build_the_list_filters():
    assert visit_list_url(month="2026-11", kind="worker", town=7, cadre=None) == (
        "/outreach/visits/?month=2026-11&kind=worker&town=7&status=done"
    )
    assert concern_list_url(month="2026-11", overdue=1, category="wages") == (
        "/outreach/problems/?month=2026-11&overdue=1&category=wages"
    )
    assert visit_list_url() == "/outreach/visits/?status=done"


def links(body: str, path: str) -> list[dict]:
    found = []
    for href in re.findall(r'href="([^"]+)"', body):
        parts = urlsplit(unescape(href))
        if parts.path == path:
            found.append({k: v[0] for k, v in parse_qs(parts.query).items()})
    return found


def test_the_page_links_its_numbers_to_the_filtered_lists(client, scenario, town, district_leader, cadre):
    client.force_login(district_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": scenario.label}).content.decode()
    visit_links = links(body, "/outreach/visits/")
    done = {"status": "done"}
    assert {"month": scenario.label, "kind": "worker", "cadre": str(cadre.pk), **done} in visit_links
    assert {"month": scenario.label, "town": str(town.pk), "kind": "office", **done} in visit_links
    assert {"month": scenario.label, **done} in visit_links
    problem_links = links(body, "/outreach/problems/")
    assert {"month": scenario.label, "town": str(town.pk), "status": "closed"} in problem_links
    assert {"month": scenario.label, "category": "wages", "overdue": "1"} in problem_links
    assert {"overdue": "1"} in problem_links
    enterprise_links = links(body, reverse("reports:enterprises"))
    assert {
        "unit": str(district_leader.unit_id),
        "month": scenario.label,
        "town": str(town.pk),
        "which": "never",
    } in (enterprise_links)


def test_a_town_report_opened_by_the_district_keeps_the_town_in_its_links(
    client, scenario, town, district_leader
):
    client.force_login(district_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": scenario.label, "unit": town.pk}).content.decode()
    assert {"month": scenario.label, "town": str(town.pk), "status": "done"} in links(
        body, "/outreach/visits/"
    )


def test_the_enterprise_list_behind_never_visited(client, scenario, town, town_leader):
    client.force_login(town_leader.user)
    response = client.get(
        reverse("reports:enterprises"), {"month": scenario.label, "which": "never", "town": town.pk}
    )
    assert response.status_code == 200
    names = [e.name for e in response.context["page_obj"]]
    assert names == ["天合光能配件厂"]


def test_the_enterprise_list_stays_in_scope(client, scenario, other_town, town_leader):
    client.force_login(town_leader.user)
    # Another town is not in the leader's area: 404, as the cadre list answers.
    response = client.get(reverse("reports:enterprises"), {"which": "all", "town": other_town.pk})
    assert response.status_code == 404
    assert client.get(reverse("reports:enterprises"), {"town": "x"}).status_code == 404
    response = client.get(reverse("reports:enterprises"), {"which": "nonsense", "month": "bad"})
    assert response.status_code == 200 and response.context["month_error"]


def test_a_number_opens_a_list_with_exactly_the_counted_visits(client, scenario, district_leader, cadre):
    """The drill-down from the completion matrix lists the done visits the cell counts, not drafts."""
    year, month = map(int, scenario.label.split("-"))
    draft = VisitFactory(cadre=cadre, kind="worker", status="draft", date=datetime.date(year, month, 2))
    client.force_login(district_leader.user)
    body = client.get(reverse("reports:monthly"), {"month": scenario.label}).content.decode()
    cell = next(
        link
        for link in links(body, "/outreach/visits/")
        if link.get("cadre") == str(cadre.pk) and link.get("kind") == "worker"
    )
    listed = list(client.get(reverse("outreach:visit_list"), cell).context["page_obj"])
    counted = Visit.objects.alive().done().in_month(year, month).filter(cadre=cadre, kind="worker")
    assert listed and draft not in listed
    assert sorted(v.pk for v in listed) == sorted(counted.values_list("pk", flat=True))
