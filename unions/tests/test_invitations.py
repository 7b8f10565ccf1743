"""Invitations: a one-time link, valid 7 days, that sets a new cadre's first password."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from unions.accounts.invitations import invitation_send
from unions.accounts.links import activation_link
from unions.accounts.tokens import invitation_tokens
from unions.tests.factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "我的新密码-2026-春"


def uninvited_user(**kwargs):
    """A login as the import or a leader makes it: no password yet."""
    user = UserFactory(**kwargs)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def invitee(town):
    return CadreFactory(
        user=uninvited_user(username="13912345678", email="li@example.cn"), unit=town, name="李新"
    )


def _activate(client, link, password=NEW_PASSWORD):
    page = client.get(link, follow=True)
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_the_invitation_mail_is_chinese_with_text_and_html(invitee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_send(cadre=invitee)
    message = mail.outbox[0]
    assert message.to == ["li@example.cn"]
    assert "激活" in message.subject
    assert "13912345678" in message.body and "http://testserver/accounts/activate/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'href="http://testserver/accounts/activate/' in html
    invitee.refresh_from_db()
    assert invitee.invited_at is not None


def test_the_link_sets_the_first_password_and_the_cadre_logs_in(client, invitee):
    response = _activate(client, activation_link(invitee.user))
    assert response.url == reverse("login")
    invitee.user.refresh_from_db()
    assert invitee.user.check_password(NEW_PASSWORD)
    login = client.post(reverse("login"), {"username": "13912345678", "password": NEW_PASSWORD}, follow=True)
    assert "李新" in login.content.decode()


def test_the_link_works_once(client, invitee):
    link = activation_link(invitee.user)
    _activate(client, link)
    again = client.get(link, follow=True)
    assert "此激活链接已失效" in again.content.decode()
    invitee.user.refresh_from_db()
    assert invitee.user.check_password(NEW_PASSWORD)


def test_the_link_expires_after_seven_days(client, invitee, monkeypatch):
    link = activation_link(invitee.user)
    six_days = datetime.datetime.now() + datetime.timedelta(days=6, hours=23)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: six_days)
    assert "set-password" in client.get(link).url
    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    assert "此激活链接已失效" in client.get(link, follow=True).content.decode()


def test_a_password_reset_token_does_not_activate(client, invitee):
    from django.contrib.auth.tokens import default_token_generator

    link = activation_link(invitee.user)
    forged = re.sub(r"/[^/]+/$", f"/{default_token_generator.make_token(invitee.user)}/", link)
    assert "此激活链接已失效" in client.get(forged, follow=True).content.decode()


def test_an_activated_login_cannot_be_activated_again(client, cadre):
    # cadre has a password already: a link made for it (e.g. from an old sheet) does nothing.
    assert "此激活链接已失效" in client.get(activation_link(cadre.user), follow=True).content.decode()


def test_nothing_is_mailed_without_an_address(invitee):
    invitee.user.email = ""
    invitee.user.save()
    assert not invitation_send(cadre=invitee)
    assert mail.outbox == []


def test_the_admin_mails_invitations_and_downloads_the_sheet(
    client, admin_cadre, invitee, town, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from openpyxl import load_workbook

    no_mail = CadreFactory(user=uninvited_user(), unit=town, name="周无邮")
    client.force_login(admin_cadre.user)
    url = reverse("admin:unions_cadre_changelist")
    ids = [invitee.pk, no_mail.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "send_invitations", "_selected_action": ids}, follow=True)
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["li@example.cn"]]
    sheet = client.post(url, {"action": "download_activation_sheet", "_selected_action": ids})
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert {row[1] for row in rows[1:]} == {"李新", "周无邮"}
    assert all(str(row[4]).startswith("http://testserver/accounts/activate/") for row in rows[1:])
