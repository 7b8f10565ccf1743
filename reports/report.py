"""The monthly report: the grouped rows of queries.py put together section by section.

The loops here run over towns, cadres and categories (a few hundred rows at most), never
over visits or problems.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from lib.months import add_months, month_end, week_spans, weeks_in_month
from outreach.models import Category, EvaluationRule, Visit
from unions.models import DistrictUnion

from . import queries
from .opinions import theme_section
from .rates import mean, problem_rates, ratio
from .trend import trend_section

KINDS = queries.KINDS
# Short column headers for the three kinds of day.
KIND_HEADERS = [
    (Visit.Kind.CHAIRMAN.value, _("Chairman day"), Visit.Kind.CHAIRMAN.label),
    (Visit.Kind.OFFICE.value, _("Office day"), Visit.Kind.OFFICE.label),
    (Visit.Kind.WORKER.value, _("Worker day"), Visit.Kind.WORKER.label),
]
PROBLEM_FIGURES = ["raised", "workers", "resolved", "closed", "on_time", "overdue", "content", "rated"]
OPINION_LIMIT = 200
# Above this many cadres a report above the grassroots shows its units' rows (each opens the
# unit's own report, down to the cadre) and links to the cadre list instead of one row per
# cadre: a district's three hundred or a province's thirty thousand rows are not read on one
# page (and took most of its time). The workbook keeps every cadre.
EACH_CADRE_SHOWN = 100
# The page lists this many contact enterprises gone three months without a visit (a province
# has tens of thousands), and says how many there are; the workbook lists them all.
GAPS_SHOWN = 50
# The page's 民情民意 lists this many visits (the theme table above it counts them all).
OPINIONS_SHOWN = 50


@dataclass
class MonthlyReport:
    KINDS = KINDS

    unit: DistrictUnion
    month: datetime.date
    today: datetime.date
    units: list[DistrictUnion] = field(default_factory=list)
    sections: dict = field(default_factory=dict)

    @property
    def month_end(self) -> datetime.date:
        return month_end(self.month)

    @property
    def towns(self) -> list[DistrictUnion]:
        """The towns, streets and zones of the scope (the unit itself when it is one)."""
        return [u for u in self.units if u.is_grassroots]

    @property
    def row_units(self) -> list[DistrictUnion]:
        """The units the sections have a row for: the report's unit (its own cadres and 直属
        enterprises) and each unit right below it, which sums its whole subtree."""
        return [u for u in self.units if u.pk == self.unit.pk or u.parent_id == self.unit.pk]

    @property
    def rows_roll_up(self) -> bool:
        """Whether a row stands for more than one unit (some unit lies two levels below): its
        cadres then are not one group of the each-cadre tables, and the row opens its report."""
        return any(u.depth > self.unit.depth + 1 for u in self.units)

    @cached_property
    def _row_ids(self) -> dict[int, int]:
        cut = len(self.unit.path) + self.unit.steplen
        heads = {u.path: u.pk for u in self.row_units}
        return {u.pk: heads.get(u.path[:cut], self.unit.pk) for u in self.units}

    def row_id(self, unit_id: int) -> int:
        """The row a unit's figures go to: the report's unit itself, or the unit right below it
        on the way down to this one (by the materialised path). A unit outside the scope keeps
        its own id (visits of the area's cadres hosted elsewhere)."""
        return self._row_ids.get(unit_id, unit_id)

    def enterprise_units(self, found: dict) -> list[DistrictUnion]:
        """The rows of the enterprise sections: each unit right below, and the report's unit
        when it is grassroots or has enterprises of its own (直属 enterprises of a district or
        city) in `found`."""
        return [u for u in self.row_units if u.pk != self.unit.pk or u.is_grassroots or u.pk in found]

    @property
    def cadres(self) -> int:
        return len(self.sections["completion"]["rows"])

    @property
    def each_cadre(self) -> bool:
        """Whether the page lists each cadre (EACH_CADRE_SHOWN)."""
        return self.unit.is_grassroots or self.cadres <= EACH_CADRE_SHOWN

    @property
    def is_empty(self) -> bool:
        return not self.sections["visits"]["total"] and not self.sections["problems"]["total"]["raised"]

    def __getattr__(self, name: str):
        try:
            return self.__dict__["sections"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def build_monthly_report(
    unit: DistrictUnion, month: datetime.date, today: datetime.date, *, for_page: bool = False
) -> MonthlyReport:
    """All sections of one unit's month. Runs a fixed number of queries (about fifteen).
    `for_page`: leave out the per-cadre visit counts when the page does not list each cadre
    (MonthlyReport.each_cadre), and list only the first GAPS_SHOWN contact gaps and
    OPINIONS_SHOWN opinions; the workbook and the API get every gap and OPINION_LIMIT opinions."""
    report = MonthlyReport(unit=unit, month=month, today=today)
    report.units = queries.scope_units(unit)
    scope = queries.Scope.of(report.units)
    completion = _completion(report, scope)
    report.sections = {"completion": completion}
    report.sections |= {
        "visits": _visits(report, scope, by_cadre=report.each_cadre or not for_page),
        "coverage": _coverage(report, scope, gaps_shown=GAPS_SHOWN if for_page else None),
        "establishment": _establishment(report, scope),
        "problems": _problems(report, scope),
        "opinions": _opinions(scope, month, OPINIONS_SHOWN if for_page else OPINION_LIMIT),
        "opinion_themes": theme_section(report, month),
        "evaluation": _evaluation(report, scope, completion),
        "plans": _plans(report, completion),
        "trend": trend_section(scope, month, [row["id"] for row in completion["rows"]]),
    }
    report.sections["children"] = _children(report)
    return report


CHILD_FIGURES = ["cadres", "complete", "visits", "raised", "closed", "on_time", "overdue"]


def _children(report: MonthlyReport) -> dict:
    """The roll-up: one row per unit right below the report's unit, each summing its whole
    subtree, and one for the unit's own cadres and the visits and problems at the unit itself.
    Sums the sections' rows (already one per such unit: MonthlyReport.row_id): no query.

    Visits by the area's cadres hosted outside it count in the total only."""
    unit = report.unit
    if unit.is_leaf():
        return {"rows": [], "own": None}
    rows = {u.pk: {"unit": u} | dict.fromkeys(CHILD_FIGURES, 0) for u in report.row_units if u.pk != unit.pk}
    own = {"unit": unit} | dict.fromkeys(CHILD_FIGURES, 0)

    def row_of(unit_id: int | None) -> dict | None:
        return own if unit_id == unit.pk else rows.get(unit_id)

    sections = report.sections
    for bucket in sections["completion"]["units"]:
        if row := row_of(bucket["unit_id"]):
            row["cadres"] += bucket["cadres"]
            row["complete"] += bucket["complete"]
    for town in sections["visits"]["by_town"]:
        if row := row_of(town["town_id"]):
            row["visits"] += town["total"]
    for town in sections["problems"]["by_town"]:
        if row := row_of(town["town_id"]):
            for key in ("raised", "closed", "on_time", "overdue"):
                row[key] += town[key]
    children = list(rows.values())  # row_units: by path
    for row in [*children, own]:
        row["rate"] = ratio(row["complete"], row["cadres"])
        row["on_time_rate"] = ratio(row["on_time"], row["closed"] + row["overdue"])
    return {"rows": children, "own": own}


def _completion(report: MonthlyReport, scope: queries.Scope) -> dict:
    weeks = weeks_in_month(report.month)
    rows = queries.completion_rows(scope, report.month)
    per_unit: dict[int, dict] = {u.pk: _completion_total(u.pk, u.name) for u in report.row_units}
    total = _completion_total(None, "")
    for row in rows:
        row["kinds_done"] = sum(1 for kind in KINDS if row[kind.value])
        row["complete"] = row["kinds_done"] == len(KINDS)
        row["weeks_total"] = weeks
        row["every_week"] = row["weeks"] >= weeks  # 每周一天下基层 in every week of the month
        unit_id = report.row_id(row["unit_id"])
        for bucket in (per_unit.setdefault(unit_id, _completion_total(unit_id, "")), total):
            bucket["cadres"] += 1
            bucket["complete"] += row["complete"]
            bucket["weekly"] += row["every_week"]
            for kind in KINDS:
                bucket[kind.value] += bool(row[kind.value])
    units_rows = [u for u in per_unit.values() if u["cadres"]]
    for bucket in [*units_rows, total]:
        bucket["rate"] = ratio(bucket["complete"], bucket["cadres"])
    spans = week_spans(report.month)
    return {
        "rows": rows,
        "units": units_rows,
        "total": total,
        "weeks": weeks,
        "weeks_first": spans[0][0],
        "weeks_last": spans[-1][1],
        # Weeks not yet begun: nobody can have gone down every week of the month before it ends.
        "weeks_ahead": sum(1 for monday, _sunday in spans if monday > report.today),
    }


def _completion_total(unit_id: int | None, name: str) -> dict:
    return {"unit_id": unit_id, "name": name, "cadres": 0, "complete": 0, "weekly": 0} | {
        kind.value: 0 for kind in KINDS
    }


PLAN_FIGURES = ["planned", "kept", "unplanned", "missed"]


def _plans(report: MonthlyReport, completion: dict) -> dict:
    """Plans against what was done, per active cadre (as the completion matrix, whose rows
    carry the month's plan figures) and in all: no query. Missed: the plans not kept whose
    date is before today."""
    today = report.today.isoformat()
    rows, total = [], dict.fromkeys(PLAN_FIGURES, 0)
    for cadre in completion["rows"]:
        row = {
            "id": cadre["id"],
            "name": cadre["name"],
            "unit_id": cadre["unit_id"],
            "unit_name": cadre["unit__name"],
        }
        row |= {key: cadre[key] for key in ("planned", "kept", "unplanned")}
        row["missed"] = sum(n for day, n in (cadre["unkept"] or {}).items() if day < today)
        rows.append(row)
        for key in PLAN_FIGURES:
            total[key] += row[key]
    return {"rows": rows, "total": total}


def _visits(report: MonthlyReport, scope: queries.Scope, by_cadre: bool = True) -> dict:
    by_town: dict[int, dict] = {
        u.pk: {"town_id": u.pk, "name": u.name, "total": 0} | {k.value: 0 for k in KINDS}
        for u in report.row_units
    }
    by_kind = Counter()
    for row in queries.visits_by_town_kind(scope, report.month):
        town = by_town.setdefault(
            report.row_id(row["town_id"]), {"town_id": row["town_id"], "name": row["town__name"], "total": 0}
        )
        town[row["kind"]] = town.get(row["kind"], 0) + row["n"]
        town["total"] += row["n"]
        by_kind[row["kind"]] += row["n"]
    return {
        "by_kind": [{"kind": k.value, "label": k.label, "n": by_kind[k.value]} for k in KINDS],
        "by_town": list(by_town.values()),
        "by_cadre": queries.visits_by_cadre(scope, report.month) if by_cadre else [],
        "total": by_kind.total(),  # the month's done visits (VisitMonth: the same rule)
        "enterprises": queries.enterprises_visited(scope, report.month),
    }


def _coverage(report: MonthlyReport, scope: queries.Scope, gaps_shown: int | None = None) -> dict:
    keys = ("total", "month", "year", "never")
    found = _rolled_up(report, queries.coverage_by_town(scope, report.month), keys)
    towns, total = [], Counter()
    for town in report.enterprise_units(found):
        row = found.get(town.pk, dict.fromkeys(keys, 0))
        row = {"town_id": town.pk, "name": town.name} | {k: row[k] for k in keys}
        towns.append(row)
        total.update({k: row[k] for k in keys})
    gaps, gaps_total = queries.contact_gaps(scope, report.month, gaps_shown)
    return {
        "towns": towns,
        "total": dict(total) or {"total": 0, "month": 0, "year": 0, "never": 0},
        "gaps": gaps,
        "gaps_total": gaps_total,
        "gap_start": add_months(report.month, -2),
    }


def _rolled_up(report: MonthlyReport, rows: list[dict], keys: tuple[str, ...]) -> dict[int, dict]:
    """The per-unit rows of the directory's enterprises summed into the report's rows
    (MonthlyReport.row_id), by row id; a sum over no enterprise (None) counts 0."""
    found: dict[int, dict] = {}
    for row in rows:
        bucket = found.setdefault(report.row_id(row["district_union_id"]), dict.fromkeys(keys, 0))
        for key in keys:
            bucket[key] += row[key] or 0
    return found


def _establishment(report: MonthlyReport, scope: queries.Scope) -> dict:
    keys = ("total", "with_union", "with_office", "members", "employees")
    found = _rolled_up(report, queries.establishment_by_town(scope), keys)
    towns, total = [], dict.fromkeys(keys, 0)
    for town in report.enterprise_units(found):
        row = found.get(town.pk, dict.fromkeys(keys, 0))
        row = {"town_id": town.pk, "name": town.name} | {k: row[k] for k in keys}
        towns.append(row)
        for k in keys:
            total[k] += row[k]
    for row in [*towns, total]:
        row["union_rate"] = ratio(row["with_union"], row["total"])
        row["office_rate"] = ratio(row["with_office"], row["total"])
        row["member_rate"] = ratio(row["members"], row["employees"])
    return {"towns": towns, "total": total}


def _problems(report: MonthlyReport, scope: queries.Scope) -> dict:
    rows = queries.problems_by_town_category(scope, report.month, report.today)
    labels = dict(Category.choices)
    by_category = {c: {"category": c, "name": labels[c]} | dict.fromkeys(PROBLEM_FIGURES, 0) for c in labels}
    by_town = {
        u.pk: {"town_id": u.pk, "name": u.name} | dict.fromkeys(PROBLEM_FIGURES, 0) for u in report.row_units
    }
    total = dict.fromkeys(PROBLEM_FIGURES, 0)
    for row in rows:
        town = by_town.setdefault(
            report.row_id(row["town_id"]),
            {"town_id": row["town_id"], "name": row["town__name"]} | dict.fromkeys(PROBLEM_FIGURES, 0),
        )
        category = by_category.setdefault(
            row["category"],
            {"category": row["category"], "name": row["category"]} | dict.fromkeys(PROBLEM_FIGURES, 0),
        )
        for key in PROBLEM_FIGURES:
            town[key] += row[key]
            category[key] += row[key]
            total[key] += row[key]
    return {
        "by_category": [problem_rates(r) for r in by_category.values()],
        "by_town": [problem_rates(r) for r in by_town.values()],
        "total": problem_rates(total),
        "overdue_now": queries.overdue_now(scope, report.today),
    }


def _opinions(scope: queries.Scope, month: datetime.date, limit: int) -> dict:
    visits = queries.opinions(scope, month, limit)
    return {"visits": visits[:limit], "more": len(visits) > limit, "limit": limit, "workbook": OPINION_LIMIT}


def evaluation_score(rule: EvaluationRule, parts: dict[str, float | None]) -> float | None:
    """效能考评: the rule's weighted mean of the parts, out of 100 (EvaluationRule.score)."""
    return rule.score(parts)


def _evaluation(report: MonthlyReport, scope: queries.Scope, completion: dict) -> dict:
    """Each cadre scored with the weights that apply to his or her unit (its own, a unit's
    above it, or the default), each unit's row saying which. Two queries."""
    rules = EvaluationRule.objects.lookup(report.units)
    by_id = {u.pk: u for u in report.units}
    rule = EvaluationRule.applying(rules, report.unit)
    owners = {
        row["owner_id"]: row for row in queries.problem_figures_by_owner(scope, report.month, report.today)
    }
    cadres, per_unit = [], defaultdict(list)
    for row in completion["rows"]:
        figures = problem_rates(owners.get(row["id"], dict.fromkeys(PROBLEM_FIGURES, 0)).copy())
        parts = {
            "completion": row["kinds_done"] / len(KINDS),
            "on_time": figures["on_time_rate"],
            "satisfaction": figures["satisfaction_rate"],
        }
        cadre = {
            "id": row["id"],
            "name": row["name"],
            "unit_id": row["unit_id"],
            "unit_name": row["unit__name"],
            "parts": parts,
            "problems": figures,
            "score": evaluation_score(
                EvaluationRule.applying(rules, by_id.get(row["unit_id"], report.unit)), parts
            ),
        }
        cadres.append(cadre)
        if cadre["score"] is not None:
            per_unit[report.row_id(row["unit_id"])].append(cadre["score"])
    towns = [
        {
            "unit_id": u["unit_id"],
            "name": u["name"],
            "cadres": u["cadres"],
            "score": mean(per_unit[u["unit_id"]]),
            "rule": EvaluationRule.applying(rules, by_id.get(u["unit_id"], report.unit)),
        }
        for u in completion["units"]
    ]
    scores = [s for unit_scores in per_unit.values() for s in unit_scores]
    return {"rule": rule, "cadres": cadres, "towns": towns, "score": mean(scores)}


def build_cadre_list(
    units: list[DistrictUnion], month: datetime.date, today: datetime.date, which: str
) -> dict:
    """The cadres behind a unit-level completion count or evaluation score: each active cadre
    whose home is one of the units, with the month's days, weeks and score, as the report
    counts them. `which`: "all", a kind of day (those who did it), "weekly" (went down every
    week), "complete" or "incomplete". A fixed number of queries (four)."""
    report = MonthlyReport(unit=units[0], month=month, today=today, units=units)
    scope = queries.Scope.of(units)
    completion = _completion(report, scope)
    evaluation = _evaluation(report, scope, completion)
    scores = {c["id"]: c for c in evaluation["cadres"]}
    keep = {
        "all": lambda row: True,
        "weekly": lambda row: row["every_week"],
        "complete": lambda row: row["complete"],
        "incomplete": lambda row: not row["complete"],
    }.get(which, lambda row: bool(row[which]))
    rows = [row | {"evaluation": scores[row["id"]]} for row in completion["rows"] if keep(row)]
    return {"rows": rows, "weeks": completion["weeks"], "rule": evaluation["rule"]}
