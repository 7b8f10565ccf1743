"""The quarterly and annual assessment (效能考评) of a cadre: the leader's appraisal and grade,
and, once signed off, the figures frozen as they stood."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unions.models import Cadre


class AssessmentGradeQuerySet(models.QuerySet):
    def offered(self) -> AssessmentGradeQuerySet:
        """The grades a leader may give today, best first."""
        return self.filter(is_active=True).order_by("order", "id")


class AssessmentGrade(models.Model):
    """A grade of the assessment (优秀 / 合格 / 基本合格 / 不合格 by default): the admin renames,
    adds or retires grades to follow the federation's own scale; a grade once given is retired,
    never deleted, and a signed-off assessment keeps the name it had at sign-off."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order (best first)"), default=0)
    min_score = models.DecimalField(
        _("suggested from score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The page suggests this grade when the score reaches this value (0–100); empty: never."),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = AssessmentGradeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment grade")
        verbose_name_plural = _("assessment grades")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__isnull=True) | Q(min_score__gte=0, min_score__lte=100),
                name="outreach_assessmentgrade_min_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def suggest(grades: list[AssessmentGrade], score: float | None) -> AssessmentGrade | None:
        """The best of the grades (best first) whose suggestion threshold the score reaches."""
        if score is None:
            return None
        return next((g for g in grades if g.min_score is not None and score >= g.min_score), None)


class Assessment(models.Model):
    WHOLE_YEAR = 0

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # 1–4 for a quarter, 0 for the whole year.
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=WHOLE_YEAR)
    appraisal = models.TextField(_("leader's appraisal"), blank=True)
    grade = models.ForeignKey(
        AssessmentGrade,
        verbose_name=_("grade"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
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
                condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False, grade__isnull=False),
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

    @property
    def grade_name(self) -> str:
        """The grade as given: frozen at sign-off, so renaming a grade later does not rewrite it.
        Queries the grade unless select_related."""
        if self.is_signed and self.figures.get("grade"):
            return self.figures["grade"]
        return self.grade.name if self.grade_id else ""

    def sign_off(self, *, by: Cadre, figures: dict) -> None:
        """Freeze the assessment with the figures as they stand now. A grade is required."""
        if self.is_signed:
            raise ValidationError(gettext("This assessment is already signed off."), code="signed")
        if not self.grade_id:
            raise ValidationError({"grade": gettext("Choose a grade before signing off.")}, code="no_grade")
        self.figures = figures | {"grade": self.grade.name}
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
