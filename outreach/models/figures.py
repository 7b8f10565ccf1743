"""Monthly figures kept beside the raw rows, so that a report reads a few rows per unit
instead of re-counting every visit and problem of its area.

Each table is a summary of raw rows and nothing else: outreach.figures rebuilds the rows of
the (cadre, month), (owner, month) or town that a write touches, from the raw rows, in the
same transaction as the write (exact by construction); `manage.py verify_figures` recounts
everything and compares. Rows exist only where a figure is not zero.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unions.models import Cadre, DistrictUnion

KIND_FIELDS = ["chairman", "office", "worker"]


class CadreMonth(models.Model):
    """A cadre's done days of a month (submitted or reviewed, not deleted), wherever hosted,
    and the month's plans against what was done."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="month_figures"
    )
    month = models.DateField(_("month"))
    chairman = models.PositiveIntegerField(_("chairman days"), default=0)
    office = models.PositiveIntegerField(_("office days"), default=0)
    worker = models.PositiveIntegerField(_("worker days"), default=0)
    # The month's weeks (lib.months.week_spans: the week of its Thursday) with a done day.
    weeks = models.PositiveSmallIntegerField(_("weeks with a grassroots day"), default=0)
    # Monday-to-Sunday weeks with a done day in this month's year, counted in the month of
    # their Monday (a week across New Year: in January for its January days): the year's
    # weeks are the sum over its months.
    year_weeks = models.PositiveSmallIntegerField(_("weeks of the year starting this month"), default=0)
    # Plans against what was done (the rules: outreach.models.visits plan_kept, plan_missed,
    # done_unplanned): the plans for this month (by their planned date), those kept, the done
    # days of this month that were never planned, and the dates of the plans not kept
    # ({"YYYY-MM-DD": n}: missed once the date has passed, counted at read time as overdue).
    planned = models.PositiveIntegerField(_("days planned"), default=0)
    kept = models.PositiveIntegerField(_("done as planned"), default=0)
    unplanned = models.PositiveIntegerField(_("done unplanned"), default=0)
    unkept = models.JSONField(_("dates of the plans not kept"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cadre's month")
        verbose_name_plural = _("cadres' months")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "month"], name="outreach_cadremonth_unique"),
        ]
        indexes = [models.Index(fields=["month", "cadre"], name="outreach_cadremonth_month")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.month:%Y-%m}"


class VisitMonth(models.Model):
    """Done days of a month per town where they took place and author."""

    month = models.DateField(_("month"))
    town = models.ForeignKey(
        DistrictUnion, verbose_name=_("town / zone"), on_delete=models.CASCADE, related_name="+"
    )
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="+")
    chairman = models.PositiveIntegerField(_("chairman days"), default=0)
    office = models.PositiveIntegerField(_("office days"), default=0)
    worker = models.PositiveIntegerField(_("worker days"), default=0)

    class Meta:
        verbose_name = _("days of a town's month")
        verbose_name_plural = _("days of towns' months")
        constraints = [
            models.UniqueConstraint(fields=["month", "town", "cadre"], name="outreach_visitmonth_unique"),
        ]
        # The report's "hosted in my towns or by my cadres" over one month or twelve: one
        # index for each half (reports.queries.visit_month_parts), each read alone (the figures
        # included: PostgreSQL's index-only scan).
        indexes = [
            models.Index(
                fields=["cadre", "month"], include=["town", *KIND_FIELDS], name="outreach_visitmonth_cadre"
            ),
            models.Index(fields=["town", "month"], include=KIND_FIELDS, name="outreach_visitmonth_town"),
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.cadre_id} {self.month:%Y-%m}"


class ProblemMonth(models.Model):
    """Problems received in a month (by their received date) per town, owner and category,
    with where they stand now. Overdue changes with the calendar, not with a write: the row
    keeps its pending problems' deadlines (`pending_due`, {"YYYY-MM-DD": n}) and the report
    counts those before today."""

    month = models.DateField(_("month"))
    town = models.ForeignKey(
        DistrictUnion, verbose_name=_("town / zone"), on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(Cadre, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=20)
    raised = models.PositiveIntegerField(_("received"), default=0)
    workers = models.PositiveIntegerField(_("workers affected"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    on_time = models.PositiveIntegerField(_("closed on time"), default=0)
    content = models.PositiveIntegerField(_("satisfied"), default=0)
    rated = models.PositiveIntegerField(_("rated"), default=0)
    pending_due = models.JSONField(_("deadlines of the pending problems"), default=dict, blank=True)

    class Meta:
        verbose_name = _("problems of a month")
        verbose_name_plural = _("problems of months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "town", "owner", "category"], name="outreach_problemmonth_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "month"], name="outreach_problemmonth_owner"),
            models.Index(fields=["town", "month"], name="outreach_problemmonth_town"),
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.owner_id} {self.category} {self.month:%Y-%m}"


class CoverageMonth(models.Model):
    """分片包镇 coverage of a town's active enterprises (today's directory) at a month's end:
    visited that month, that year and ever. A row for each month in which one of them had a
    done day; a month without a row has the figures of the town's row before it (none that
    month, the year's if in the same year, the same ever)."""

    town = models.ForeignKey(
        DistrictUnion, verbose_name=_("town / zone"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    visited = models.PositiveIntegerField(_("visited this month"), default=0)
    year = models.PositiveIntegerField(_("visited this year"), default=0)
    ever = models.PositiveIntegerField(_("visited ever"), default=0)

    class Meta:
        verbose_name = _("coverage of a month")
        verbose_name_plural = _("coverage of months")
        constraints = [
            models.UniqueConstraint(fields=["town", "month"], name="outreach_coveragemonth_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.month:%Y-%m}"
