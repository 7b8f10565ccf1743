"""django-axes in Chinese: its AppConfig names the admin section after its label, and its
rows describe themselves in English sentences."""

from axes.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _describe_attempt(self) -> str:
    return gettext("%(username)s, %(time)s") % {
        "username": self.username,
        "time": f"{self.attempt_time:%Y-%m-%d %H:%M}",
    }


class AxesConfig(AppConfig):
    verbose_name = _("Login lock-out")

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.__str__ = _describe_attempt

        # Columns computed by methods without a label: the admin would print the method names.
        AccessAttemptAdmin.status.short_description = _("Status")
        AccessAttemptAdmin.expiration.short_description = _("Expires At")
