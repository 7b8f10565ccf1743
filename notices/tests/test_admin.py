"""The admin shows each notice's e-mail: a failed delivery stays waiting, with its error."""

import pytest
from django.urls import reverse

from outreach.tests.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_a_failed_delivery_is_listed_with_its_error(client, admin_cadre, cadre):
    NoticeFactory(recipient=cadre, mail_attempts=2, mail_error="ConnectionRefusedError: [Errno 111]")
    NoticeFactory(recipient=cadre, mail_state="sent")
    client.force_login(admin_cadre.user)
    body = client.get(reverse("admin:outreach_notice_changelist"), {"mail_state": "pending"}).content.decode()
    assert "ConnectionRefusedError" in body and "待发送" in body and "许文静" in body
    assert client.get(reverse("admin:outreach_noticepreference_changelist")).status_code == 200
