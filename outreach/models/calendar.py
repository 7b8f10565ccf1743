"""The admin's corrections to China's working-day calendar (lib.workdays holds the rule)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WorkingDayOverrideQuerySet(models.QuerySet):
    def as_map(self, since: datetime.date | None = None) -> dict[datetime.date, bool]:
        """{date: is_working_day} for lib.workdays, from `since` on. Queries once (a table of
        a few dozen rows a year, so a deadline's whole horizon is fetched at once)."""
        qs = self if since is None else self.filter(date__gte=since)
        return dict(qs.values_list("date", "is_working_day"))


class WorkingDayOverride(models.Model):
    """A day the admin declares a working day or a day off, over the official calendar: for
    a year the calendar package does not know yet, or a local exception."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a working day (e.g. a make-up day, 调休). Unticked: a day off."),
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    objects = WorkingDayOverrideQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date:%Y-%m-%d} {kind}"
