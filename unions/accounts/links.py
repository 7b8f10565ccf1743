"""Absolute links for mails and printed sheets, from SITE_URL (else the request's own host)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .tokens import invitation_tokens


def site_url(request=None) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise ImproperlyConfigured("SITE_URL must be set to build links outside a request.")


def activation_link(user, request=None) -> str:
    """A fresh one-time link that sets the user's first password."""
    path = reverse(
        "account_activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return site_url(request) + path
