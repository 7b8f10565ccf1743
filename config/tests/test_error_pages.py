"""A database outage shows a calm Chinese 503 page; other errors the 500 page; never a traceback."""

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

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


def test_the_drivers_own_error_closing_a_cursor_gives_the_503_page(quiet_client, cadre):
    # psycopg2 raises its raw OperationalError (not Django's) when a server-side cursor is
    # closed on a connection PostgreSQL has just dropped, sometimes while handling another error.
    psycopg2 = pytest.importorskip("psycopg2")
    quiet_client.force_login(cadre.user)
    for error in (psycopg2.OperationalError, psycopg2.InterfaceError):
        wrapped = RuntimeError("while closing the cursor")
        wrapped.__cause__ = error("terminating connection due to administrator command")
        for raised in (error("terminating connection due to administrator command"), wrapped):
            with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=raised):
                response = quiet_client.get(reverse("unions:enterprise_list"))
            assert response.status_code == 503, raised
            assert "数据库暂时不可用" in response.content.decode()


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


# ---- 403 and 404 pages: Chinese, with the site's menu --------------------------------------


def test_another_towns_record_gives_the_chinese_404_page_with_the_menu(client, town_leader, other_town):
    visit = VisitFactory(
        cadre=CadreFactory(unit=other_town), host_enterprise=EnterpriseFactory(district_union=other_town)
    )
    client.force_login(town_leader.user)
    response = client.get(reverse("outreach:visit_detail", args=[visit.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "Not Found" not in body
    assert 'id="mainnav"' in body and reverse("outreach:visit_list") in body  # the leader's menu
    assert town_leader.name in body
    assert "No Visit matches" not in body  # Django's internal message is not shown


def test_the_404_page_renders_for_an_anonymous_visitor(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert 'id="mainnav"' not in body  # no menu without a login
    assert "返回首页" in body


def test_the_403_page_says_why_in_chinese(client, cadre):
    # Cadres may not open the monthly report: the view's PermissionDenied message is shown.
    client.force_login(cadre.user)
    response = client.get(reverse("reports:monthly"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权" in body
    assert "只有领导" in body
    assert 'id="mainnav"' in body and "Forbidden" not in body


def test_a_403_without_a_message_shows_the_general_text(rf, cadre):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = cadre.user
    body = permission_denied(request, PermissionDenied()).content.decode()
    assert "总部" in body and "无权" in body


def test_favicon_ico_answers_without_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url.endswith("favicon.ico") and "/static/" in response.url
    assert (Path(settings.BASE_DIR) / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_every_page_links_the_favicon(client):
    body = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in body and "favicon.svg" in body
