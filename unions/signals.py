"""Every login, failed login and logout goes to the `outreach.security` log (never a password).

django-axes also records each attempt in AccessAttempt / AccessLog (visible in the admin).
"""

import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .middleware import touch

log = logging.getLogger("outreach.security")


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


@receiver(pre_save, sender=get_user_model(), dispatch_uid="unions_no_history_for_last_login")
def skip_history_for_last_login(sender, instance, update_fields=None, **kwargs):
    # Every login saves last_login alone: not a change worth a history row.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True
        instance._history_skipped_for_login = True


@receiver(post_save, sender=get_user_model(), dispatch_uid="unions_history_again_after_last_login")
def resume_history_after_last_login(sender, instance, **kwargs):
    # The flag lives on the instance: later saves of the same object must be recorded again.
    if getattr(instance, "_history_skipped_for_login", False):
        del instance.skip_history_when_saving
        del instance._history_skipped_for_login
