"""Every URL needs a login, except an explicit allow-list: a view that forgets fails here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {
    "login",
    "set_language",
    "javascript-catalog",
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin guards itself (tested in unions/tests/test_admin.py)
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)


def _concrete(route: str) -> str:
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path|uuid):?\w*>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


ALL_URLS = sorted(set(_walk(get_resolver().url_patterns)))


@pytest.mark.parametrize(("name", "route"), ALL_URLS)
def test_every_url_requires_login(client, name, route):
    if name in PUBLIC or name.endswith(":logout") or name == "logout":
        pytest.skip("public by design")
    response = client.get(_concrete(route))
    assert response.status_code in (302, 405), f"{name} ({route}) answered {response.status_code}"
    if response.status_code == 302:
        assert "/accounts/login/" in response.url, f"{name} redirects elsewhere: {response.url}"
