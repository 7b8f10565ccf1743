"""Every URL of every namespace needs a login, for GET and POST, except an explicit allow-list:
a view that forgets it fails here. And every POST needs a CSRF token."""

import pytest
from django.test import Client

from .urlwalk import all_routes, login_redirect_prefix

pytestmark = pytest.mark.django_db

# Public by design. Anything else that answers an anonymous user fails the suite.
PUBLIC = {
    "login",
    "logout",  # logging out needs no login (POST only)
    "set_language",
    "favicon",  # a redirect to the static icon
    # The installable app's manifest and service worker: no data (browsers fetch the manifest without cookies).
    "manifest",
    "service_worker",
    # Forgotten password and the invitation: for people who cannot log in (token-checked).
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "account_activate",
    "admin:login",
    "admin:logout",
    # Django's "view on site" redirect: reveals only an object's public URL, which is itself guarded.
    "admin:view_on_site",
}

ROUTES = all_routes()
IDS = [route.route or "/" for route in ROUTES]
GUARDED = [route for route in ROUTES if route.name not in PUBLIC]


def test_the_walk_sees_every_app():
    namespaces = {route.namespace for route in ROUTES}
    assert {"", "admin", "unions"} <= namespaces


def test_every_view_outside_the_admin_has_a_name():
    # unnamed patterns cannot be reversed, linked or listed in PUBLIC: name them
    assert [str(r) for r in ROUTES if r.name.endswith("?") and r.namespace != "admin"] == []


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("route", GUARDED, ids=[route.route or "/" for route in GUARDED])
def test_every_url_requires_login(client, route, method):
    response = getattr(client, method)(route.path())
    if route.namespace == "api" and route.name != "api:docs":
        # The JSON API tells a program to authenticate instead of sending it to the login page.
        assert response.status_code == 401, f"{route} {method.upper()} answered {response.status_code}"
        assert response["WWW-Authenticate"].startswith("Bearer")
        return
    assert response.status_code in (302, 405), f"{route} {method.upper()} answered {response.status_code}"
    if response.status_code == 302:
        assert response.url.startswith(login_redirect_prefix(route)), f"{route} redirects to {response.url}"


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_every_post_without_a_csrf_token_is_refused(admin_cadre, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_cadre.user)  # a superuser reaches every view
    response = client.post(route.path(), {"name": "x"})
    assert response.status_code == 403, f"{route} accepted a POST without a CSRF token"
