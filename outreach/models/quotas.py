"""Yearly quotas of the practice (强化考核): how many days a cadre of a unit and role owes a year."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unions.models import Cadre, DistrictUnion

from .inherited import InheritedQuerySet, InheritedSetting

# Without a quota in the admin: three days a month and a grassroots day in 48 weeks.
DEFAULT_DAYS, DEFAULT_WEEKS = 36, 48


class YearQuota(InheritedSetting, models.Model):
    """The days a cadre of `unit` in `role` should do in a year. A unit's quota applies to the
    units below it unless they have their own (the nearest one above wins: YearQuota.applying
    on YearQuota.objects.lookup, the built-in values without any)."""

    INHERIT_KEY = ("role",)

    unit = models.ForeignKey(
        DistrictUnion, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="year_quotas"
    )
    role = models.CharField(_("role"), max_length=10, choices=Cadre.Role)
    days = models.PositiveSmallIntegerField(
        _("「一天」 days a year"), default=DEFAULT_DAYS, help_text=_("Days of the three kinds, together.")
    )
    grassroots_weeks = models.PositiveSmallIntegerField(
        _("weeks with a grassroots day"),
        default=DEFAULT_WEEKS,
        help_text=_("每周一天下基层: weeks of the year."),
    )

    objects = InheritedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("year quota")
        verbose_name_plural = _("year quotas")
        ordering = ["unit_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="outreach_yearquota_unique_unit_role"),
            models.CheckConstraint(
                condition=Q(role__in=["cadre", "leader", "admin"]), name="outreach_yearquota_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(grassroots_weeks__lte=53), name="outreach_yearquota_weeks_in_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}: {self.days} / {self.grassroots_weeks}"

    @property
    def value_label(self) -> str:
        return f"{self.days} / {self.grassroots_weeks}"
