"""Whom a failed login counts against (django-axes): the pair (user name, address) first, the user
name alone after more failures, with the client's address read correctly behind the proxy.

Locking an address alone would let one person lock a whole office out: behind NAT or the
reverse proxy every cadre of the office shares it.
"""

from __future__ import annotations

import ipaddress

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

PAIR = ["username", "ip_address"]


def client_address(request) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE; the security log shows the same).

    gunicorn listens on 127.0.0.1, so REMOTE_ADDR is the proxy. Each of the TRUSTED_PROXY_COUNT
    proxies appends the address it saw to X-Forwarded-For; entries left of those came from the
    client and may be forged. So the client is the TRUSTED_PROXY_COUNT-th entry from the right.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:  # did not come through the whole chain (e.g. a local health check)
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:  # not an address: never stored (AccessAttempt.ip_address is an IP field)
        return remote


def username_failures(username: str, request=None) -> int:
    """Failed logins for this user name from any address within the cool-off time (one query)."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        attempts = attempts.filter(attempt_time__gte=now - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """AXES_LOCKOUT_PARAMETERS: what the failures are counted by, against AXES_FAILURE_LIMIT.

    Normally the pair (user name, address): a colleague's mistyped password does not stop anyone
    else in the office, nor this user from another address. Once the user name has
    AXES_USERNAME_FAILURE_LIMIT failures from anywhere (guessing one password from many places),
    the user name alone is locked. Queries the database once (axes calls this per check).
    """
    if isinstance(request_or_attempt, AccessBase):
        username, request = request_or_attempt.username, None
    else:
        username, request = get_client_username(request_or_attempt, credentials), request_or_attempt
    if username and username_failures(username, request) >= settings.AXES_USERNAME_FAILURE_LIMIT:
        return ["username"]
    return [PAIR]
