"""Every visit URL × every kind of user: who gets the page, who is refused, who never learns it exists."""

import pytest
from django.urls import reverse

from outreach.models import Visit
from outreach.tests.factories import VisitFactory, VisitPhotoFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

USERS = [
    "anonymous",
    "author",
    "companion",
    "other_cadre",
    "town_leader",
    "other_town_leader",
    "district_leader",
]


@pytest.fixture
def visit(cadre, companion, town):
    return VisitFactory(
        cadre=cadre,
        companions=[companion],
        host_enterprise=EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司"),
    )


@pytest.fixture
def people(cadre, companion, other_cadre, town_leader, other_town_leader, district_leader):
    return {
        "anonymous": None,
        "author": cadre,
        "companion": companion,
        "other_cadre": other_cadre,
        "town_leader": town_leader,
        "other_town_leader": other_town_leader,
        "district_leader": district_leader,
    }


def _client(client, people, who):
    if people[who] is not None:
        client.force_login(people[who].user)
    return client


LOGIN = "login"
# (url name, needs the visit / photo, method, {user: expected status})
SEE = {
    "author": 200,
    "companion": 200,
    "other_cadre": 404,
    "town_leader": 200,
    "other_town_leader": 404,
    "district_leader": 200,
}
EDIT = {**SEE, "town_leader": 403, "district_leader": 403}
DELETE = {**EDIT, "companion": 403}
REVIEW = {**SEE, "author": 403, "companion": 403, "town_leader": 302, "district_leader": 302}
EVERYONE = dict.fromkeys(USERS[1:], 200)

MATRIX = [
    ("outreach:my_month", None, "get", EVERYONE),
    ("outreach:visit_list", None, "get", EVERYONE),
    ("outreach:visit_create", None, "get", EVERYONE),
    ("outreach:visit_host_search", None, "get", EVERYONE),
    ("outreach:visit_detail", "visit", "get", SEE),
    ("outreach:visit_update", "visit", "get", EDIT),
    ("outreach:visit_delete", "visit", "get", DELETE),
    ("outreach:visit_review", "visit", "post", REVIEW),
    ("outreach:visit_return", "visit", "post", REVIEW),
    ("outreach:visit_photo", "photo", "get", SEE),
]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize(("name", "target", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_access_matrix(client, people, visit, who, name, target, method, expected):
    args = []
    if target == "visit":
        args = [visit.pk]
    elif target == "photo":
        args = [VisitPhotoFactory(visit=visit).pk]
    url = reverse(name, args=args)
    response = getattr(_client(client, people, who), method)(url, {"reason": "请补充职工意见。"})
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == expected[who]


@pytest.mark.parametrize("name", ["outreach:visit_review", "outreach:visit_return"])
def test_review_steps_refuse_get(login, town_leader, visit, name):
    response = login(town_leader).get(reverse(name, args=[visit.pk]))
    assert response.status_code == 405
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED


def test_list_shows_a_visit_only_to_those_who_may_see_it(client, people, visit):
    for who, expected in SEE.items():
        client.force_login(people[who].user)
        response = client.get(reverse("outreach:visit_list"))
        assert ("五洋纺织机械有限公司" in response.content.decode()) is (expected == 200), who


def test_a_deleted_visit_is_gone_for_everyone(client, people, visit):
    visit.is_deleted = True
    visit.save()
    for who in SEE:
        client.force_login(people[who].user)
        assert client.get(reverse("outreach:visit_detail", args=[visit.pk])).status_code == 404, who


def test_a_reviewed_visit_can_no_longer_be_edited_by_its_author(login, cadre, visit):
    visit.status = Visit.Status.REVIEWED
    visit.save()
    response = login(cadre).get(reverse("outreach:visit_update", args=[visit.pk]))
    assert response.status_code == 403
