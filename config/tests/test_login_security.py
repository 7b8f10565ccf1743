"""Login hardening: lock-out, login log, password rules, idle timeout, deactivated accounts."""

import datetime
import logging
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lib.lockout import client_address
from lib.security_log import axes_username

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
axes_on = override_settings(AXES_ENABLED=True)


def _fail(client, username, address="192.0.2.1"):
    return client.post(
        reverse("login"), {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=address
    )


def _login(client, username, address="192.0.2.1"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=address)


# ---- lock-out (django-axes) ------------------------------------------------------------


@axes_on
def test_it_locks_a_user_out_after_five_failures(client, cadre):
    for _ in range(4):
        assert _fail(client, cadre.user.username).status_code == 200
    assert _fail(client, cadre.user.username).status_code == 429  # the fifth failure locks
    response = _login(client, cadre.user.username)  # now even the right password is refused
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "30 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


@axes_on
def test_five_failures_for_one_user_do_not_stop_another_at_the_same_address(client, cadre, other_cadre):
    # An office behind NAT or the proxy shares one address: one person's typos lock only him or her.
    for _ in range(5):
        _fail(client, cadre.user.username, address="192.0.2.99")
    assert _login(client, cadre.user.username, address="192.0.2.99").status_code == 429
    assert _login(client, other_cadre.user.username, address="192.0.2.99").status_code == 302


@axes_on
def test_many_user_names_tried_from_one_address_do_not_lock_the_office(client, cadre):
    for n in range(12):
        _fail(client, f"guess{n}", address="192.0.2.99")
    assert _login(client, cadre.user.username, address="192.0.2.99").status_code == 302


@axes_on
@override_settings(AXES_USERNAME_FAILURE_LIMIT=8)
def test_a_user_locked_at_one_address_still_logs_in_from_another_until_the_user_name_limit(client, cadre):
    name = cadre.user.username
    for _ in range(5):
        _fail(client, name, address="192.0.2.1")
    assert _login(client, name, address="192.0.2.1").status_code == 429
    assert _login(client, name, address="198.51.100.7").status_code == 302
    client.post(reverse("logout"))
    # On record: 6 failures at the first address (the refused login during the lock counts too);
    # 2 more from elsewhere reach the user-name limit, and the name is locked at every address.
    assert _fail(client, name, address="203.0.113.1").status_code == 200
    assert _fail(client, name, address="203.0.113.2").status_code == 429
    assert _login(client, name, address="198.51.100.8").status_code == 429


def test_the_user_name_limit_defaults_to_twenty():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_USERNAME_FAILURE_LIMIT == 20


# ---- the client's address behind the proxy ---------------------------------------------


def _address_of(rf, *, remote="127.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(rf.get("/", **meta))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_is_the_entry_the_proxy_appended(rf):
    assert _address_of(rf, forwarded="203.0.113.9") == "203.0.113.9"
    # A client that sends its own X-Forwarded-For cannot pick its address: nginx appends the real one.
    assert _address_of(rf, forwarded="10.9.9.9, 203.0.113.9") == "203.0.113.9"
    assert _address_of(rf, forwarded="") == "127.0.0.1"  # not through the proxy
    assert _address_of(rf, forwarded="not-an-address") == "127.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_address_is_the_second_entry_from_the_right(rf):
    assert _address_of(rf, forwarded="10.9.9.9, 203.0.113.9, 192.0.2.50") == "203.0.113.9"
    assert _address_of(rf, forwarded="192.0.2.50") == "127.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored(rf):
    assert _address_of(rf, remote="192.0.2.7", forwarded="203.0.113.9") == "192.0.2.7"


@axes_on
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forged_forwarded_for_entry_does_not_escape_the_lock(client, cadre, other_cadre, caplog):
    caplog.set_level(logging.INFO, logger="outreach.security")
    name = cadre.user.username
    for n in range(5):  # a new forged first entry each time; the proxy appends the real address
        client.post(
            reverse("login"),
            {"username": name, "password": "wrong-guess"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    response = client.post(
        reverse("login"),
        {"username": name, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.9",
    )
    assert response.status_code == 429
    # a colleague at another address, behind the same proxy, is not affected
    response = client.post(
        reverse("login"),
        {"username": other_cadre.user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert response.status_code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "outreach.security"]
    assert any("login failed" in line and "address=203.0.113.9" in line for line in lines)


@axes_on
def test_four_failures_do_not_lock_and_a_success_clears_them(client, cadre):
    for _ in range(4):
        _fail(client, cadre.user.username)
    assert _login(client, cadre.user.username).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _fail(client, cadre.user.username)
    assert _login(client, cadre.user.username).status_code == 302


@axes_on
def test_the_lock_lifts_after_the_cool_off(client, cadre):
    for _ in range(5):
        _fail(client, cadre.user.username)
    assert _login(client, cadre.user.username).status_code == 429
    # time travel: the failures happened 31 minutes ago
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - datetime.timedelta(minutes=31)
        )
    assert _login(client, cadre.user.username).status_code == 302


@axes_on
def test_every_attempt_is_logged_without_the_password(client, cadre, caplog):
    caplog.set_level(logging.INFO, logger="outreach.security")
    _fail(client, cadre.user.username)
    assert AccessAttempt.objects.get(username=cadre.user.username).failures_since_start == 1
    _login(client, cadre.user.username)
    assert AccessFailureLog.objects.filter(username=cadre.user.username).count() == 1
    assert AccessLog.objects.filter(username=cadre.user.username).count() == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "outreach.security"]
    assert any("login failed" in line and cadre.user.username in line for line in lines)
    assert any("login succeeded" in line and "192.0.2.1" in line for line in lines)
    assert all("wrong-guess" not in line and PASSWORD not in line for line in lines)


@axes_on
def test_a_huge_user_name_is_recorded_shortened_not_a_500(client):
    response = _fail(client, "名" * 100_000)
    assert response.status_code == 200
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == "名" * 150
    assert axes_username(None, {"username": "a\x00b"}) == "ab"  # NUL cannot be stored in PostgreSQL


def test_a_hostile_user_name_cannot_forge_log_lines(client, caplog):
    caplog.set_level(logging.INFO, logger="outreach.security")
    _fail(client, "x\nlogin succeeded user='admin'")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "outreach.security"]
    assert "\n" not in line


# ---- password rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Aq7#kd9", "至少"),
        ("short-pw-11", "至少"),
        ("qwerty123456", "太常见"),
        ("839201746513", "只包含数字"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert message in " ".join(excinfo.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("红旗渠-working-2026")


def test_the_admin_cannot_set_a_short_password(client, admin_cadre, django_user_model):
    client.force_login(admin_cadre.user)
    data = {
        "username": "newcadre",
        "password1": "Short-pw-1",
        "password2": "Short-pw-1",
        "usable_password": "true",
    }
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 200
    assert "至少" in response.content.decode()
    assert not django_user_model.objects.filter(username="newcadre").exists()


# ---- idle timeout -----------------------------------------------------------------------


def _at(minutes):
    start = timezone.now()
    return mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=minutes))


@override_settings(SESSION_REFRESH_SECONDS=60)
def test_an_idle_session_ends_after_30_minutes(client, cadre):
    client.force_login(cadre.user)
    with _at(29):
        assert client.get(reverse("home")).status_code == 200
    with _at(29 + 31):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@override_settings(SESSION_REFRESH_SECONDS=60)
def test_an_active_session_stays_alive(client, cadre):
    client.force_login(cadre.user)
    for minutes in (20, 40, 60, 80):
        with _at(minutes):
            assert client.get(reverse("home")).status_code == 200


@override_settings(SESSION_REFRESH_SECONDS=60)
@override_settings(SESSION_COOKIE_AGE=5 * 60)
def test_the_idle_timeout_is_configurable(client, cadre):
    client.force_login(cadre.user)
    with _at(6):
        assert client.get(reverse("home")).status_code == 302


@override_settings(SESSION_REFRESH_SECONDS=60)
def test_a_page_view_within_a_minute_does_not_rewrite_the_session(client, cadre):
    client.force_login(cadre.user)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []
    with _at(2), CaptureQueriesContext(connection) as queries:  # a minute later the expiry moves on
        client.get(reverse("home"))
    assert any("django_session" in q["sql"] and q["sql"].startswith("UPDATE") for q in queries)


# ---- deactivated accounts ---------------------------------------------------------------


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, cadre):
    client.force_login(cadre.user)
    assert client.get(reverse("home")).status_code == 200
    cadre.user.is_active = False
    cadre.user.save()
    response = client.get(reverse("unions:enterprise_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_deactivated_user_cannot_log_in(client, cadre):
    cadre.user.is_active = False
    cadre.user.save()
    response = _login(client, cadre.user.username)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_deactivated_cadre_loses_access(client, cadre):
    client.force_login(cadre.user)
    assert client.get(reverse("unions:enterprise_list")).status_code == 200
    cadre.is_active = False
    cadre.save()
    response = client.get(reverse("unions:enterprise_list"))
    assert response.status_code == 403
    assert "干部" in response.content.decode()
