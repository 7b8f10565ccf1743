"""Every login, failed login and logout goes to the `outreach.security` log (never a password).

django-axes also records each attempt in AccessAttempt / AccessLog (visible in the admin).
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import touch

log = logging.getLogger("outreach.security")


def axes_username(request, credentials) -> str | None:
    """The user name django-axes records (AXES_USERNAME_CALLABLE).

    Axes reads the raw POSTed name, which Django's login form does not limit in length: a hostile
    100,000-character name would overflow AccessAttempt.username (varchar 255) on PostgreSQL and
    answer 500, and a NUL character cannot be stored at all. Longer than any real user name (150).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    name = (credentials or {}).get(field) if credentials else None
    if name is None and request is not None:
        name = request.POST.get(field)
    return None if name is None else str(name).replace("\x00", "")[:150]


def _address(request) -> str:
    if request is None:
        return "-"
    return get_client_ip_address(request) or "-"


@receiver(user_logged_in, dispatch_uid="unions_log_login")
def log_login(sender, request, user, **kwargs):
    # %r: a user name with control characters cannot forge extra log lines.
    log.info("login succeeded user=%r address=%s", user.get_username(), _address(request))
    if request is not None and hasattr(request, "session"):
        touch(request.session)  # so the first page after login does not rewrite the session


@receiver(user_login_failed, dispatch_uid="unions_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the user name is logged.
    log.warning("login failed user=%r address=%s", credentials.get("username"), _address(request))


@receiver(user_logged_out, dispatch_uid="unions_log_logout")
def log_logout(sender, request, user, **kwargs):
    log.info("logout user=%r address=%s", user.get_username() if user else None, _address(request))
