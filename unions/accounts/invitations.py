"""Invitations: a one-time link that sets a new cadre's first password, by mail or on paper."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Cadre
from .links import activation_link

log = logging.getLogger(__name__)


def can_invite(cadre: Cadre) -> bool:
    """An active cadre whose login has no password yet (never activated). Needs user."""
    return cadre.is_active and cadre.user.is_active and not cadre.is_activated


def invitation_send(*, cadre: Cadre, request=None) -> bool:
    """Mails the activation link to one cadre; False (nothing sent) without an address or when
    the cadre cannot be invited. See invitations_send."""
    return invitations_send(cadres=[cadre], request=request) == 1


def invitations_send(*, cadres: Iterable[Cadre], request=None) -> int:
    """Mails the activation link (Chinese, plain text and HTML) to every cadre with an e-mail
    address whose login has no password yet, after the transaction commits; returns how many.

    The others get their link on the unit's activation sheet. One UPDATE records the sending
    (invited_at), one SMTP connection sends them all.
    """
    cadres = [cadre for cadre in cadres if cadre.user.email and can_invite(cadre)]
    if not cadres:
        return 0
    messages = [_message(cadre, request) for cadre in cadres]
    Cadre.objects.filter(pk__in=[cadre.pk for cadre in cadres]).update(invited_at=timezone.now())
    # A rolled-back import or form sends nothing.
    transaction.on_commit(lambda: _send(messages))
    return len(messages)


def _message(cadre: Cadre, request) -> EmailMultiAlternatives:
    context = {"cadre": cadre, "link": activation_link(cadre.user, request), "days": _valid_days()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
        html = render_to_string("accounts/invitation_email.html", context)
    message = EmailMultiAlternatives(subject, body, to=[cadre.user.email])
    message.attach_alternative(html, "text/html")
    return message


def _send(messages: list[EmailMultiAlternatives]) -> None:
    try:
        get_connection().send_messages(messages)
    except OSError:  # the mail server is down (smtplib's errors are OSErrors): re-invite or print the sheet
        log.exception("Sending %d invitation mails failed", len(messages))


def activation_sheet(cadres: Iterable[Cadre], request=None) -> list[tuple[Cadre, str]]:
    """(cadre, fresh link) for each cadre not yet activated, to print or download for hand-out.

    Marks them invited. A link works once, for PASSWORD_RESET_TIMEOUT; older sheets stay valid
    until the cadre sets a password.
    """
    rows = [(cadre, activation_link(cadre.user, request)) for cadre in cadres if can_invite(cadre)]
    Cadre.objects.filter(pk__in=[cadre.pk for cadre, _link in rows]).update(invited_at=timezone.now())
    return rows


def _valid_days() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)
