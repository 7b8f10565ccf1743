"""The monthly report's rendered sections are cached (reports/cache.py), and never stale: a
leader who reloads after any write, in a page, the API, the admin or a command, sees it."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import EvaluationRule, Visit
from outreach.tests.factories import ConcernFactory, VisitFactory
from outreach.tests.test_visit_form import form_data
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
MONTH = "2026-11"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture(autouse=True)
def rule(db):
    return EvaluationRule.current()  # created on first use otherwise: a write, which invalidates


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


def _figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">(.*?)</div>', html, re.S)
    assert found, f"no figure {name}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def open_report(client, **params):
    response = client.get(reverse("reports:monthly"), {"month": MONTH, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def leader_client(town_leader):
    client = Client()
    client.force_login(town_leader.user)
    return client


@pytest.fixture
def cadre_client(cadre):
    client = Client()
    client.force_login(cadre.user)
    return client


def test_a_second_opening_is_served_from_the_cache(leader_client, cadre, enterprise):
    VisitFactory(cadre=cadre, host_enterprise=enterprise)
    first = open_report(leader_client)
    with CaptureQueriesContext(connection) as again:
        second = open_report(leader_client)
    assert _figure(second, "visits-total") == _figure(first, "visits-total") == "1"
    with CaptureQueriesContext(connection) as rebuilt:
        leader_client.get(reverse("reports:monthly"), {"month": "2026-10"})  # not cached yet
    assert len(again.captured_queries) < len(rebuilt.captured_queries) / 2


def test_a_visit_recorded_in_the_form_shows_at_the_next_opening(
    leader_client, cadre_client, cadre, enterprise
):
    VisitFactory(cadre=cadre, host_enterprise=enterprise)
    assert _figure(open_report(leader_client), "visits-total") == "1"
    response = cadre_client.post(reverse("outreach:visit_create"), form_data(enterprise))
    assert response.status_code == 302
    assert _figure(open_report(leader_client), "visits-total") == "2"


def test_a_deleted_visit_and_a_write_outside_any_request_show_at_once(leader_client, cadre, enterprise):
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    VisitFactory(cadre=cadre, host_enterprise=enterprise, kind="office")
    html = open_report(leader_client)
    assert (_figure(html, "visits-total"), _figure(html, "problems-received")) == ("2", "0")
    visit.is_deleted = True
    visit.save()  # as a management command or the shell would
    assert _figure(open_report(leader_client), "visits-total") == "1"
    ConcernFactory(enterprise=enterprise, owner=cadre, received_on=datetime.date(2026, 11, 3))
    assert _figure(open_report(leader_client), "problems-received") == "1"


def test_a_cadre_moved_to_another_town_leaves_the_report(leader_client, town, other_town, cadre, enterprise):
    newcomer = CadreFactory(unit=town, name="新来的干部")
    assert "新来的干部" in open_report(leader_client)
    newcomer.unit = other_town
    newcomer.save()
    assert "新来的干部" not in open_report(leader_client)


def test_each_language_and_each_leader_get_their_own_rendering(
    leader_client, district_leader, town, cadre, enterprise
):
    VisitFactory(cadre=cadre, host_enterprise=enterprise)
    chinese = open_report(leader_client, unit=town.pk)
    leader_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = open_report(leader_client, unit=town.pk)
    assert "走访" in chinese and "Visits" in english
    # The district leader opens the same town's report: its links filter by that town.
    district = Client()
    district.force_login(district_leader.user)
    from_above = open_report(district, unit=town.pk)
    assert f"town={town.pk}" in from_above


def test_a_review_through_the_page_updates_the_report(leader_client, cadre, enterprise):
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    assert _figure(open_report(leader_client), "visits-total") == "1"
    response = leader_client.post(reverse("outreach:visit_return", args=[visit.pk]), {"reason": "请补充照片"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RETURNED
    assert _figure(open_report(leader_client), "visits-total") == "0"
