"""Every page that reads a month or an id from its query string, fed values out of range or not
numbers at all (the review found 500s for my-month/?month=9999-12 and visits/new/?host_union=abc):
a page or a 400, never a 500. A new page or parameter is covered by the walk and by PARAMS."""

import pytest
from django.test import Client

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import EnterpriseFactory

from .urlwalk import all_routes

pytestmark = pytest.mark.django_db

# Every query parameter a view or a filter of ours reads (grep request.GET and the FilterSets).
PARAMS = [
    "month",
    "year",
    "unit",
    "town",
    "cadre",
    "owner",
    "enterprise",
    "host_enterprise",
    "host_union",
    "visit",
    "kind",
    "type",
    "status",
    "category",
    "which",
    "overdue",
    "due_week",
    "page",
    "q",
    "saved",
    "format",
    "from",
    "to",
    "quarter",
    "plan",
    "cadre_unit",
    "date",
    "unread",
]
HOSTILE = ["9999-12", "0001-01", "abc", str(2**70), "-1", "2026-13", "1\x00", "１２"]
# Routes taking no path arguments and answering GET: the ones a query string steers.
POST_ONLY = ("logout", "set_language", "notices:read_all", "outreach:brief_create")
PAGES = [
    route
    for route in all_routes()
    if route.namespace != "admin" and not route.int_kwargs and route.name not in POST_ONLY
]


@pytest.fixture
def clients(cadre, district_leader, town):
    enterprise = EnterpriseFactory(district_union=town)
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    ConcernFactory(enterprise=enterprise, owner=cadre, visit=visit)
    result = []
    for who in (district_leader, cadre):
        client = Client()
        client.force_login(who.user)
        result.append(client)
    return result


def _get(client, path, params):
    response = client.get(path, params)
    # 403: a cadre on a leaders' page
    assert response.status_code in (200, 302, 400, 403, 404), f"{path}?{params}: {response.status_code}"


@pytest.mark.parametrize("route", PAGES, ids=[route.route or "/" for route in PAGES])
def test_no_query_string_breaks_a_page(clients, route):
    path = route.path()
    leader, cadre = clients
    for client in clients:
        for value in HOSTILE:
            _get(client, path, dict.fromkeys(PARAMS, value))
    # One at a time too (as the leader, who reaches every page): a page that refuses its month
    # with a 400 must not hide a 500 of the next parameter.
    for name in PARAMS:
        values = ["abc", str(2**70)] + (["9999-12", "0001-01"] if name in ("month", "year") else [])
        for value in values:
            _get(leader, path, {name: value})


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("outreach:my_month", {"month": "9999-12"}),
        ("outreach:my_month", {"month": "0001-01"}),
        ("outreach:visit_create", {"host_enterprise": "abc"}),
        ("outreach:visit_create", {"host_union": "abc"}),
        ("outreach:visit_create", {"host_union": str(2**70)}),
    ],
)
def test_the_reviewed_urls_answer_a_page(client, cadre, name, query):
    from django.urls import reverse

    client.force_login(cadre.user)
    assert client.get(reverse(name), query).status_code == 200
