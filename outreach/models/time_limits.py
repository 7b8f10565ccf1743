"""限时办结: the problems' categories and how many working days each may stay open, set at
any level of the tree and inherited downwards (outreach.models.inherited)."""

from __future__ import annotations

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from unions.models import DistrictUnion

from .inherited import InheritedQuerySet, InheritedSetting


class Category(models.TextChoices):
    ANSWERED = "answered", _("Question answered on site")
    CONCERN = "concern", _("Worker concern")
    DISPUTE = "dispute", _("Dispute (矛盾纠纷)")
    HARDSHIP = "hardship", _("Hardship aid (困难帮扶)")
    LEGAL_AID = "legal_aid", _("Legal aid (法律援助)")
    WAGES = "wages", _("Wages and collective negotiation")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", _("Other")


# The time limit of a category that no row sets.
DEFAULT_TIME_LIMIT = 5


class CategoryTimeLimit(InheritedSetting, models.Model):
    """限时办结: how many working days a problem of a category may stay open. The rows without a
    unit are the defaults of the whole installation; a unit's row applies to the problems of
    the unit and of every unit below it that has none of its own (CategoryTimeLimit.applying,
    by the problem's town)."""

    INHERIT_KEY = ("category",)

    unit = optional_fk(
        DistrictUnion,
        _("unit"),
        related_name="time_limits",
        help_text=_(
            "The time limit applies to this unit and every unit below it. Empty: the default of every unit."
        ),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    working_days = models.PositiveSmallIntegerField(_("time limit (working days)"))

    objects = InheritedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["unit__path", "category"]
        constraints = [
            # One limit per unit and category, and one default per category (NULL counts here).
            models.UniqueConstraint(
                Coalesce("unit", Value(0), output_field=models.IntegerField()),
                "category",
                name="outreach_categorytimelimit_unique_unit_category",
                violation_error_message=_(
                    "This unit already has a time limit for this category: change that row instead."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.working_days}"

    @property
    def value_label(self) -> str:
        return ngettext("%(days)d working day", "%(days)d working days", self.working_days) % {
            "days": self.working_days
        }

    @classmethod
    def applying(cls, rows: dict, unit: DistrictUnion, category: str) -> CategoryTimeLimit:
        """The limit of the category for problems of the unit (see InheritedSetting.applying);
        without any row, DEFAULT_TIME_LIMIT. No query."""
        return super().applying(rows, unit, category, working_days=DEFAULT_TIME_LIMIT)
