"""For every object URL (discovered from the URLconf: patterns with <int:...>), users of another
town get 404 and the database is unchanged. New object URLs are picked up automatically."""

import pytest
from django.test import override_settings

from unions.tests.factories import CadreFactory

from .isolation import breaches, object_routes
from .urlwalk import all_routes

pytestmark = pytest.mark.django_db

ROUTES = object_routes()
ATTACKERS = ["other_town_leader", "other_town_cadre"]


@pytest.fixture
def other_town_cadre(other_town):
    return CadreFactory(unit=other_town, name="赵刚")


@pytest.mark.parametrize("attacker", ATTACKERS)
@pytest.mark.parametrize("route", ROUTES, ids=[str(r.route) for r in ROUTES])
def test_another_town_gets_404_and_changes_nothing(request, client, cadre, route, attacker):
    client.force_login(request.getfixturevalue(attacker).user)
    assert breaches(client, route, owner=cadre) == []


# ---- the machinery itself, against a throw-away URLconf with leaky views -------------------

FIXTURE_URLS = "config.tests.isolation_fixture_urls"


def _fixture_route(name):
    with override_settings(ROOT_URLCONF=FIXTURE_URLS):
        return next(route for route in all_routes() if route.name == name)


@override_settings(ROOT_URLCONF=FIXTURE_URLS)
def test_the_machinery_passes_a_scoped_view(client, cadre, other_town_leader):
    client.force_login(other_town_leader.user)
    assert breaches(client, _fixture_route("visit_scoped"), owner=cadre) == []


@override_settings(ROOT_URLCONF=FIXTURE_URLS)
def test_the_machinery_catches_a_view_that_shows_another_towns_object(client, cadre, other_town_leader):
    client.force_login(other_town_leader.user)
    found = breaches(client, _fixture_route("visit_leaky"), owner=cadre)
    assert any("GET" in line and "200" in line for line in found)


@override_settings(ROOT_URLCONF=FIXTURE_URLS)
def test_the_machinery_catches_a_view_that_writes_before_its_404(client, cadre, other_town_leader):
    client.force_login(other_town_leader.user)
    found = breaches(client, _fixture_route("visit_sneaky"), owner=cadre)
    assert len(found) == 1 and found[0].endswith("the database changed")


def test_the_machinery_discovers_object_urls():
    with override_settings(ROOT_URLCONF=FIXTURE_URLS):
        routes = object_routes()
    fixture_routes = [r for r in routes if not r.namespace]  # the site's own follow, namespaced
    assert [r.name for r in fixture_routes] == ["visit_scoped", "visit_leaky", "visit_sneaky"]
    assert all(r.int_kwargs == ("pk",) for r in fixture_routes)


def test_the_walk_finds_the_object_urls():
    # An empty walk would pass every isolation test above: it must see the known object pages.
    names = {route.name for route in ROUTES}
    assert {"outreach:visit_detail", "outreach:concern_detail", "outreach:visit_photo"} <= names
