"""The leader's review queue: submitted visits of the area, oldest first; several reviewed at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import Notice, Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _submitted(cadre, name, days_ago):
    host = EnterpriseFactory(district_union=cadre.unit, name=name)
    return VisitFactory(
        cadre=cadre, host_enterprise=host, submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def queue(cadre, other_cadre):
    return [
        _submitted(cadre, "五洋纺织", 3),
        _submitted(other_cadre, "科能电子", 5),
        _submitted(cadre, "常林", 1),
    ]


def test_it_is_for_leaders_only(login, cadre, client):
    assert client.get(reverse("outreach:review_queue")).status_code == 302
    assert login(cadre).get(reverse("outreach:review_queue")).status_code == 403


def test_the_queue_lists_the_areas_submitted_visits_oldest_first(
    login, queue, town_leader, other_town_leader, other_town
):
    mine = _submitted(town_leader, "领导自己的", 9)
    elsewhere = _submitted(other_town_leader, "别的镇", 9)
    VisitFactory(cadre=queue[0].cadre, status=Visit.Status.DRAFT)
    response = login(town_leader).get(reverse("outreach:review_queue"))
    body = response.content.decode()
    assert [v.pk for v in response.context["queue"]] == [queue[1].pk, queue[0].pk, queue[2].pk]
    assert "3 条走访等待我审核" in body
    assert mine.host_enterprise.name not in body and elsewhere.host_enterprise.name not in body


def test_the_leader_home_shows_the_queue_and_the_menu_its_count(login, queue, town_leader):
    body = login(town_leader).get(reverse("home")).content.decode()
    assert "3 条走访等待我审核" in body and "科能电子" in body
    assert 'id="nav-review-queue"' in body and ">3</span>" in body


def test_bulk_review_marks_the_ticked_visits_and_tells_their_authors(login, queue, town_leader, cadre):
    ticked = [f"{v.pk}-{v.version}" for v in queue[:2]]
    response = login(town_leader).post(reverse("outreach:review_queue"), {"visit": ticked}, follow=True)
    assert "2 条走访已标为已审核" in response.content.decode()
    statuses = {v.pk: v.status for v in Visit.objects.filter(pk__in=[v.pk for v in queue])}
    assert statuses == {queue[0].pk: "reviewed", queue[1].pk: "reviewed", queue[2].pk: "submitted"}
    assert Notice.objects.filter(kind=Notice.Kind.VISIT_REVIEWED).count() == 2
    assert Visit.objects.get(pk=queue[0].pk).reviewer == town_leader


def test_a_visit_changed_meanwhile_is_skipped_and_named(login, queue, town_leader, district_leader):
    shown = [f"{v.pk}-{v.version}" for v in queue]
    services.visit_return(visit=queue[1], reviewer=district_leader, reason="请补充")
    changed = Visit.objects.get(pk=queue[2].pk)
    services.visit_save(visit=changed, editor=changed.cadre, action="submit")  # resubmitted: new version
    response = login(town_leader).post(reverse("outreach:review_queue"), {"visit": shown}, follow=True)
    body = response.content.decode()
    assert "1 条走访已标为已审核" in body and "已跳过" in body
    assert "科能电子" in body.split("已跳过")[1] and "常林" in body.split("已跳过")[1]
    assert Visit.objects.get(pk=queue[1].pk).status == "returned"
    assert Visit.objects.get(pk=queue[2].pk).status == "submitted"


def test_nothing_ticked_or_tampered_values_change_nothing(login, queue, town_leader, other_town_leader):
    client = login(town_leader)
    elsewhere = _submitted(other_town_leader, "别的镇", 2)
    for data in ({}, {"visit": ["abc", "1-x", "99999999999999-1"]}, {"visit": [f"{elsewhere.pk}-1"]}):
        response = client.post(reverse("outreach:review_queue"), data)
        assert response.status_code == 302
    assert not Visit.objects.filter(status="reviewed").exists()


def test_the_queue_and_the_home_query_the_same_whatever_the_number(
    login, queue, town_leader, cadre, django_assert_num_queries
):
    client = login(town_leader)
    for url in (reverse("outreach:review_queue"), reverse("home")):
        client.get(url)
        with django_assert_num_queries(30, exact=False) as small:
            client.get(url)
        for i in range(8):
            _submitted(cadre, f"企业{i}", 2)
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(url)


def test_a_long_queue_is_counted_up_to_the_cap(login, monkeypatch, queue, town_leader):
    """The heading counts at most lib.pagination.COUNT_CAP rows: past it, "more than"."""
    monkeypatch.setattr("lib.pagination.COUNT_CAP", 2)
    client = login(town_leader)
    for url in (reverse("outreach:review_queue"), reverse("home")):
        body = client.get(url).content.decode()
        assert "超过 2 条走访等待我审核" in body and "3 条走访等待我审核" not in body
    monkeypatch.setattr("lib.pagination.COUNT_CAP", 3)
    body = client.get(reverse("home")).content.decode()
    assert "3 条走访等待我审核" in body and "超过" not in body
