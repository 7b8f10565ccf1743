"""The quarterly and annual assessment sheet (效能考评): each cadre's score over the period from
the monthly rule (EvaluationRule.score), the leader's appraisal and grade, and the figures
frozen at sign-off; exported as a workbook in the shape of an assessment sheet.

Completion over a period is the month's part (kinds done ÷ 3) averaged over its months;
on-time and satisfaction rates are those of the problems received in the period.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from outreach.models import Assessment, AssessmentGrade, EvaluationRule
from outreach.models.assessments import period_bounds, period_label
from unions.models import Cadre, DistrictUnion

from . import queries
from .rates import mean, problem_rates
from .report import KINDS, PROBLEM_FIGURES
from .xlsx import Sheet


@dataclass
class AssessmentSheet:
    unit: DistrictUnion
    year: int
    quarter: int
    rule: EvaluationRule | None = None
    grades: list[AssessmentGrade] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    score: float | None = None

    @property
    def label(self) -> str:
        return period_label(self.year, self.quarter)


def build_assessment(unit: DistrictUnion, year: int, quarter: int, today: datetime.date) -> AssessmentSheet:
    """Every cadre of the unit's subtree (today's active ones, and those with an assessment of
    the period) with the live figures, the assessment and the grade the score suggests. Eight
    queries whatever the size."""
    sheet = AssessmentSheet(
        unit=unit,
        year=year,
        quarter=quarter,
        grades=list(AssessmentGrade.objects.offered()),
    )
    first, months = period_bounds(year, quarter)
    units = queries.scope_units(unit)
    # Each cadre is scored with the weights of his or her unit (its own, from above, or the default).
    rules = EvaluationRule.objects.lookup(units)
    by_id = {u.pk: u for u in units}
    sheet.rule = EvaluationRule.applying(rules, unit)
    scope = queries.Scope.of(units)
    kinds: dict[int, int] = {}
    for row in queries.kinds_per_cadre_month(scope, first, months):
        kinds[row["cadre_id"]] = kinds.get(row["cadre_id"], 0) + row["kinds"]
    owners = {row["owner_id"]: row for row in queries.problems_by_owner(scope, first, today, months)}
    assessments = {
        a.cadre_id: a
        for a in Assessment.objects.filter(
            cadre_id__in=scope.cadre_ids, year=year, quarter=quarter
        ).select_related("signed_by", "grade")
    }
    assessed = Assessment.objects.filter(cadre_id=OuterRef("pk"), year=year, quarter=quarter)
    cadres = (
        Cadre.objects.filter(unit_id__in=scope.unit_ids)
        .filter(Q(is_active=True) | Exists(assessed))
        .values("id", "name", "unit_id", "unit__name")
        .order_by("unit__path", "name", "id")
    )
    per_unit: dict[int, dict] = {}
    for cadre in cadres:
        problems = problem_rates(owners.get(cadre["id"], dict.fromkeys(PROBLEM_FIGURES, 0)).copy())
        rule = EvaluationRule.applying(rules, by_id.get(cadre["unit_id"], unit))
        live = cadre_figures(rule, kinds.get(cadre["id"], 0), months, problems)
        assessment = assessments.get(cadre["id"])
        shown = assessment.figures if assessment and assessment.is_signed else live
        suggested = AssessmentGrade.suggest(sheet.grades, live["score"])
        sheet.rows.append(
            cadre | {"live": live, "figures": shown, "assessment": assessment, "suggested": suggested}
        )
        unit_row = per_unit.setdefault(
            cadre["unit_id"],
            {
                "unit_id": cadre["unit_id"],
                "name": cadre["unit__name"],
                "cadres": 0,
                "scores": [],
                "rule": rule,
            },
        )
        unit_row["cadres"] += 1
        if shown.get("score") is not None:
            unit_row["scores"].append(shown["score"])
    sheet.units = [u | {"score": mean(u["scores"])} for u in per_unit.values()]
    sheet.score = mean([s for u in per_unit.values() for s in u["scores"]])
    return sheet


def cadre_figures(rule: EvaluationRule, kinds_done: int, months: int, problems: dict) -> dict:
    """The figures an assessment shows and freezes (plain numbers, stored as JSON)."""
    parts = {
        "completion": kinds_done / (len(KINDS) * months),
        "on_time": problems["on_time_rate"],
        "satisfaction": problems["satisfaction_rate"],
    }
    score = rule.score(parts)
    return parts | {
        "kinds_done": kinds_done,
        "months": months,
        "problems": problems["raised"],
        "score": None if score is None else round(score, 1),
    }


# --- The workbook: an assessment sheet, one row per cadre ---


def assessment_workbook(sheet: AssessmentSheet) -> bytes:
    with translation.override("zh-hans"):
        wb = Workbook()
        wb.remove(wb.active)
        ws = Sheet(wb, _("Assessment"))
        ws.row(
            [_("效能考评 · %(unit)s · %(period)s") % {"unit": sheet.unit.name, "period": sheet.label}],
            bold=True,
        )
        ws.header(
            [
                _("Unit"),
                _("Cadre"),
                _("Completion"),
                _("On-time rate"),
                _("Satisfaction rate"),
                _("Score"),
                _("Grade"),
                _("Leader's appraisal"),
                _("Signed off by"),
                _("Signed off at"),
            ]
        )
        for row in sheet.rows:
            a, f = row["assessment"], row["figures"]
            signed = a is not None and a.is_signed
            ws.row(
                [
                    row["unit__name"],
                    row["name"],
                    f["completion"],
                    f["on_time"],
                    f["satisfaction"],
                    f["score"],
                    a.grade_name if a else "",
                    a.appraisal if a else "",
                    a.signed_by.name if signed else _("not signed off"),
                    f"{a.signed_at:%Y-%m-%d}" if signed else "",
                ],
                percent=[2, 3, 4],
            )
        ws.gap()
        ws.header([_("Unit"), _("Number of cadres"), _("Score")])
        for unit in sheet.units:
            ws.row([unit["name"], unit["cadres"], None if unit["score"] is None else round(unit["score"], 1)])
        ws.row(
            [_("Total"), len(sheet.rows), None if sheet.score is None else round(sheet.score, 1)], bold=True
        )
        ws.fit()
        ws.ws.freeze_panes = "A3"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
