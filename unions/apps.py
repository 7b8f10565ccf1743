from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "unions"
    verbose_name = _("Union directory")

    def ready(self):
        from . import signals  # noqa: F401 - connects the login log receivers
