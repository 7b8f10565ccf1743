"""A database outage shows a calm Chinese 503 page; other errors the 500 page; never a traceback."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    """A client that returns the error page instead of raising, as a browser would see it."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_outage_gives_the_friendly_503_page(quiet_client, cadre, error):
    quiet_client.force_login(cadre.user)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=error("server closed the connection unexpectedly"),
    ):
        response = quiet_client.get(reverse("unions:enterprise_list"))
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "数据库暂时不可用" in body
    assert "Traceback" not in body and "server closed the connection" not in body


def test_the_next_request_after_the_outage_succeeds(quiet_client, cadre):
    quiet_client.force_login(cadre.user)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError):
        assert quiet_client.get(reverse("home")).status_code == 503
    assert quiet_client.get(reverse("home")).status_code == 200


def test_an_unexpected_error_gives_the_500_page_without_a_traceback(quiet_client, cadre):
    quiet_client.force_login(cadre.user)
    with mock.patch("config.views.cadre_for", side_effect=RuntimeError("secret detail")):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "出错了" in body
    assert "secret detail" not in body and "Traceback" not in body


def test_the_error_page_itself_never_fails(quiet_client, cadre):
    quiet_client.force_login(cadre.user)
    with (
        mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError),
        mock.patch("config.errors.loader.render_to_string", side_effect=ValueError("missing static file")),
    ):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


def test_a_nul_character_in_the_query_string_is_a_bad_request(client, cadre):
    # PostgreSQL cannot store or compare NUL: refused up front instead of a 500 in the view.
    client.force_login(cadre.user)
    response = client.get(reverse("unions:enterprise_list"), {"q": "名\x00称"})
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
    assert client.get(reverse("unions:enterprise_list"), {"q": "名称"}).status_code == 200
