"""Self-service: my account, password change, password reset by e-mail, forced change."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from unions.models import Cadre

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "新的密码-足够长-2026"


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- my account --------------------------------------------------------------------------


def test_account_requires_login(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_account_shows_and_saves_the_details(login, cadre):
    client = login(cadre)
    page = client.get(reverse("account"))
    assert "我的账号" in page.content.decode()
    response = client.post(
        reverse("account"), {"name": "许文静", "phone": "13900001111", "email": "xu@example.cn"}
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    cadre.user.refresh_from_db()
    assert (cadre.phone, cadre.user.email) == ("13900001111", "xu@example.cn")
    assert cadre.history.first().phone == "13900001111"


def test_account_refuses_a_bad_phone_and_keeps_the_form(login, cadre):
    client = login(cadre)
    response = client.post(reverse("account"), {"name": "许文静改", "phone": "call me", "email": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写数字组成的电话号码" in body
    assert "许文静改" in body
    cadre.refresh_from_db()
    assert cadre.name == "许文静"


def test_account_refuses_another_logins_address(login, cadre, other_cadre):
    other_cadre.user.email = "wang@example.cn"
    other_cadre.user.save()
    response = login(cadre).post(
        reverse("account"), {"name": "许文静", "phone": "", "email": "WANG@example.cn"}
    )
    assert response.status_code == 400
    assert "已有其他账号使用此电子邮箱" in response.content.decode()


# --- password change and the forced change -------------------------------------------------


def test_password_change_is_in_chinese_and_works(login, cadre):
    client = login(cadre)
    assert "修改密码" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("password_change_done")
    cadre.user.refresh_from_db()
    assert cadre.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # still logged in


def test_a_forced_change_comes_before_any_page(login, cadre):
    cadre.must_change_password = True
    cadre.save()
    client = login(cadre)
    response = client.get(reverse("outreach:my_month"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("password_change"))
    page = client.get(response.url)
    assert "您的密码由管理员设置" in page.content.decode()
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    cadre.refresh_from_db()
    assert not cadre.must_change_password
    assert client.get(reverse("outreach:my_month")).status_code == 200


def test_a_password_set_in_the_admin_must_be_changed(client, admin_cadre, cadre):
    client.force_login(admin_cadre.user)
    url = reverse("admin:auth_user_password_change", args=[cadre.user.pk])
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.must_change_password
    client.force_login(cadre.user)
    assert client.get(reverse("home")).url.startswith(reverse("password_change"))


def test_a_login_added_in_the_admin_with_a_password_must_change_it(client, admin_cadre, town):
    client.force_login(admin_cadre.user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcadre",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "cadre-TOTAL_FORMS": "1",
            "cadre-INITIAL_FORMS": "0",
            "cadre-MIN_NUM_FORMS": "0",
            "cadre-MAX_NUM_FORMS": "1",
            "cadre-0-name": "新干部",
            "cadre-0-unit": town.pk,
            "cadre-0-role": "cadre",
            "cadre-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Cadre.objects.get(user__username="newcadre").must_change_password


# --- password reset ------------------------------------------------------------------------


@pytest.fixture
def cadre_with_email(cadre):
    cadre.user.email = "xu@example.cn"
    cadre.user.save()
    return cadre


def test_reset_mails_a_chinese_link_that_sets_the_password_once(client, cadre_with_email):
    response = client.post(reverse("password_reset"), {"email": "xu@example.cn"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "重新设置密码" in message.subject
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    link = _link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    cadre_with_email.user.refresh_from_db()
    assert cadre_with_email.user.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True)
    assert "此链接已失效" in again.content.decode()


def test_reset_answers_the_same_for_known_and_unknown_addresses(client, cadre_with_email):
    known = client.post(reverse("password_reset"), {"email": "xu@example.cn"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.cn"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _without_csrf(known) == _without_csrf(unknown)
    assert len(mail.outbox) == 1


def test_reset_is_rate_limited_per_address_and_per_email(client, cadre_with_email, settings):
    settings.PASSWORD_RESET_RATE = 3
    answers = [client.post(reverse("password_reset"), {"email": "xu@example.cn"}).url for _ in range(5)]
    assert set(answers) == {reverse("password_reset_done")}  # the refused ones look the same
    assert len(mail.outbox) == 3
    # Another address from elsewhere is refused for the same e-mail too.
    client.post(reverse("password_reset"), {"email": "xu@example.cn"}, REMOTE_ADDR="10.0.0.9")
    assert len(mail.outbox) == 3


def test_reset_link_expires_after_seven_days(client, cadre_with_email, monkeypatch):
    client.post(reverse("password_reset"), {"email": "xu@example.cn"})
    link = _link(mail.outbox[0])
    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert "此链接已失效" in client.get(link, follow=True).content.decode()


def test_reset_clears_a_forced_change(client, cadre_with_email):
    cadre_with_email.must_change_password = True
    cadre_with_email.save()
    client.post(reverse("password_reset"), {"email": "xu@example.cn"})
    set_url = client.get(_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    cadre_with_email.refresh_from_db()
    assert not cadre_with_email.must_change_password


def test_account_page_queries_are_constant(login, cadre, query_count, django_assert_num_queries):
    client = login(cadre)
    count = query_count(client, reverse("account"))
    with django_assert_num_queries(count):
        client.get(reverse("account"))
    assert count <= 8
