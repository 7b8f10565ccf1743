"""The weights of the evaluation (效能考评), set at any level of the tree and inherited downwards."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.fields import optional_fk
from unions.models import DistrictUnion

from .inherited import InheritedQuerySet, InheritedSetting


class EvaluationRule(InheritedSetting, models.Model):
    """效能考评: the weights of the monthly score. The row without a unit is the default of the
    whole installation (the superuser's); a unit's row applies to its cadres and to those of
    every unit below it that has none of its own (EvaluationRule.applying)."""

    unit = optional_fk(
        DistrictUnion,
        _("unit"),
        related_name="evaluation_rules",
        help_text=_(
            "The weights apply to this unit and every unit below it. Empty: the default of every unit."
        ),
    )
    completion_weight = models.PositiveSmallIntegerField(
        _("weight of completion of the three days"), default=50
    )
    on_time_weight = models.PositiveSmallIntegerField(_("weight of problems closed on time"), default=30)
    satisfaction_weight = models.PositiveSmallIntegerField(_("weight of workers' satisfaction"), default=20)

    objects = InheritedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation rule")
        verbose_name_plural = _("evaluation rules")
        ordering = ["unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_weight__gt=0) | Q(on_time_weight__gt=0) | Q(satisfaction_weight__gt=0),
                name="outreach_evaluationrule_some_weight",
                violation_error_message=_("At least one weight must be above zero."),
            ),
            # One rule per unit, and one default (NULL counts as a value here).
            models.UniqueConstraint(
                Coalesce("unit", Value(0), output_field=models.IntegerField()),
                name="outreach_evaluationrule_unique_unit",
                violation_error_message=_("This unit already has its weights: change that row instead."),
            ),
        ]

    def __str__(self) -> str:
        if self.unit_id is None:
            return str(_("Evaluation rule (default)"))
        return str(_("Evaluation rule of %(unit)s") % {"unit": self.unit.name})

    def score(self, parts: dict[str, float | None]) -> float | None:
        """效能考评: the weighted mean of the parts (completion, on_time, satisfaction; each 0–1),
        in points out of 100. A part without data (no problem to judge) is left out and the
        other weights share its place. The month, the quarter and the year use this rule."""
        weights = {
            "completion": self.completion_weight,
            "on_time": self.on_time_weight,
            "satisfaction": self.satisfaction_weight,
        }
        used = {k: w for k, w in weights.items() if parts.get(k) is not None and w}
        if not used:
            return None
        return 100 * sum(parts[k] * w for k, w in used.items()) / sum(used.values())

    @property
    def value_label(self) -> str:
        return f"{self.completion_weight} · {self.on_time_weight} · {self.satisfaction_weight}"

    @classmethod
    def current(cls) -> EvaluationRule:
        """The default rule, for every unit that sets none (created with the built-in weights
        on first use). Queries once or twice."""
        rule, _created = cls.objects.get_or_create(unit=None)
        return rule
