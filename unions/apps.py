from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "unions"
    verbose_name = _("Union directory")

    def ready(self):
        # Connect the receivers: the login log (project-wide, in lib) and the user history rule.
        import lib.security_log  # noqa: F401
        from lib import lookups

        lookups.register()  # long id lists as one array on PostgreSQL

        from . import signals  # noqa: F401
