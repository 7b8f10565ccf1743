import pytest
from django.urls import reverse

from outreach.services import concern_create
from outreach.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_detail_links_problems_for_their_owner_and_leader_only(client, cadre, companion, town_leader):
    visit = VisitFactory(cadre=cadre, companions=[companion])
    concern = concern_create(received_by=cadre, visit=visit, category="wages", description="工资拖欠")
    link = reverse("outreach:concern_detail", args=[concern.pk])
    url = reverse("outreach:visit_detail", args=[visit.pk])
    for person, linked in [(cadre, True), (town_leader, True), (companion, False)]:
        client.force_login(person.user)
        body = client.get(url).content.decode()
        assert "工资集体协商" in body
        assert (link in body) is linked
