"""Settings an admin keeps in one row: the weights of the evaluation (效能考评)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EvaluationRule(models.Model):
    """效能考评: the weights of the monthly score, kept in one row the admin edits."""

    completion_weight = models.PositiveSmallIntegerField(
        _("weight of completion of the three days"), default=50
    )
    on_time_weight = models.PositiveSmallIntegerField(_("weight of problems closed on time"), default=30)
    satisfaction_weight = models.PositiveSmallIntegerField(_("weight of workers' satisfaction"), default=20)

    class Meta:
        verbose_name = _("evaluation rule")
        verbose_name_plural = _("evaluation rule")
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_weight__gt=0) | Q(on_time_weight__gt=0) | Q(satisfaction_weight__gt=0),
                name="outreach_evaluationrule_some_weight",
                violation_error_message=_("At least one weight must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Evaluation rule"))

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

    @classmethod
    def current(cls) -> EvaluationRule:
        """The rule in force (created with the default weights on first use). Queries once."""
        rule, _created = cls.objects.get_or_create(pk=1)
        return rule
