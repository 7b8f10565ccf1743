"""The quarterly and annual assessment (效能考评) of a cadre: the leader's appraisal and grade,
and, once signed off, the figures frozen as they stood."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unions.models import Cadre


class Assessment(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (优秀)")
        GOOD = "good", _("Competent (合格)")
        FAIR = "fair", _("Basically competent (基本合格)")
        POOR = "poor", _("Not competent (不合格)")

    WHOLE_YEAR = 0

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # 1–4 for a quarter, 0 for the whole year.
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=WHOLE_YEAR)
    appraisal = models.TextField(_("leader's appraisal"), blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade, blank=True)
    # The figures as they stood at sign-off (completion, on-time, satisfaction, score, days):
    # later edits of visits or problems do not move a signed-off assessment.
    figures = models.JSONField(_("figures at sign-off"), default=dict, blank=True, editable=False)
    signed_by = models.ForeignKey(
        Cadre,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "-quarter", "cadre_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year", "quarter"], name="outreach_assessment_unique_period"
            ),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="outreach_assessment_quarter_valid"),
            models.CheckConstraint(
                condition=Q(grade__in=["", "excellent", "good", "fair", "poor"]),
                name="outreach_assessment_grade_valid",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | (Q(signed_by__isnull=False) & ~Q(grade="")),
                name="outreach_assessment_signed_has_grade",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def sign_off(self, *, by: Cadre, figures: dict) -> None:
        """Freeze the assessment with the figures as they stand now. A grade is required."""
        if self.is_signed:
            raise ValidationError(gettext("This assessment is already signed off."), code="signed")
        if not self.grade:
            raise ValidationError({"grade": gettext("Choose a grade before signing off.")}, code="no_grade")
        self.figures = figures
        self.signed_by = by
        self.signed_at = timezone.now()
        self._change_reason = gettext("Signed off")


def period_bounds(year: int, quarter: int) -> tuple[datetime.date, int]:
    """The first day and the number of months of a quarter (1–4) or of the whole year (0)."""
    if quarter:
        return datetime.date(year, 3 * quarter - 2, 1), 3
    return datetime.date(year, 1, 1), 12


def period_label(year: int, quarter: int) -> str:
    if quarter:
        return gettext("%(year)d, quarter %(quarter)d") % {"year": year, "quarter": quarter}
    return gettext("%(year)d, the whole year") % {"year": year}
