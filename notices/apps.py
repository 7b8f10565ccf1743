from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """The inbox and the e-mails of outreach's notices (no models: they live in outreach).
    Above reports: the monthly report's workbook goes out as an attachment."""

    name = "notices"
    verbose_name = _("Notices")
