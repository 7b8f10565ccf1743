"""The year of the practice (强化考核): per cadre and per unit, 12 months × the three kinds of
day, the weekly grassroots days, and the days done against the yearly quota.

The figures come from one grouped query (queries.year_rows); the loops here run over cadres
and units, never over visits. Every number carries the URL of the visit list behind it.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lib.workdays import is_working_day
from outreach.models import WorkingDayOverride, YearQuota
from unions.models import Cadre, DistrictUnion

from . import queries
from .links import visit_list_url
from .rates import ratio
from .report import KIND_HEADERS, KINDS
from .xlsx import Sheet

MONTHS = range(1, 13)


@dataclass
class YearReport:
    KINDS = KINDS

    unit: DistrictUnion
    year: int
    units: list[DistrictUnion] = field(default_factory=list)
    cadres: list[dict] = field(default_factory=list)
    unit_rows: list[dict] = field(default_factory=list)
    children: list[dict] = field(default_factory=list)
    total: dict = field(default_factory=dict)
    today: datetime.date | None = None
    working_weeks: int = 0

    @property
    def months(self) -> list[datetime.date]:
        return [datetime.date(self.year, m, 1) for m in MONTHS]


def _months_ended(year: int, today: datetime.date) -> int:
    """Months of the year ended by today: one of them without all three days is a month missed."""
    return 12 if year < today.year else 0 if year > today.year else today.month - 1


def build_cadre_year(cadre: Cadre, year: int, today: datetime.date) -> dict:
    """One cadre's own year (reports:my_year): the row the unit's year report shows for him or
    her, against the quota that applies. Three queries."""
    quotas = YearQuota.objects.lookup([cadre.unit])
    quota = YearQuota.applying(quotas, cadre.unit, cadre.role)
    rows = queries.year_rows(queries.Scope((cadre.unit_id,), (cadre.pk,)), year, only=(cadre.pk,))
    if rows:
        row = rows[0]
    else:  # a cadre who left and did nothing that year: an empty year
        row = {"id": cadre.pk, "name": cadre.name, "role": cadre.role, "is_active": cadre.is_active}
        row |= {f"{k.value}_{m}": 0 for k in KINDS for m in MONTHS} | {"weeks": 0}
    row = _cadre_row(row, year, quota, _months_ended(year, today))
    row["working_weeks"] = working_weeks(year, WorkingDayOverride.objects.filter(date__year=year).as_map())
    return row


def build_year_report(unit: DistrictUnion, year: int, today: datetime.date) -> YearReport:
    """One unit's year: five queries whatever the number of cadres and visits."""
    report = YearReport(unit=unit, year=year, today=today)
    report.units = queries.scope_units(unit)
    scope = queries.Scope.of(report.units)
    quotas = YearQuota.objects.lookup(report.units)
    by_id = {u.pk: u for u in report.units}
    town = unit.pk if unit.is_grassroots else None
    ended = _months_ended(year, today)
    report.cadres = [
        _cadre_row(row, year, YearQuota.applying(quotas, by_id[row["unit_id"]], row["role"]), ended)
        for row in queries.year_rows(scope, year)
    ]
    per_unit = {
        u.pk: _empty_total(year, {"unit_id": u.pk, "name": u.name, "cadre_unit": u.pk}) for u in report.units
    }
    report.total = _empty_total(year, {"name": unit.name, "cadre_unit": unit.pk if town else None})
    for row in report.cadres:
        for bucket in (per_unit[row["unit_id"]], report.total):
            _add(bucket, row)
    report.unit_rows = [u for u in per_unit.values() if u["cadres"]]
    report.children = _children(report, per_unit)
    for bucket in [*report.unit_rows, report.total]:
        _link_total(bucket, year)
    report.working_weeks = working_weeks(year, WorkingDayOverride.objects.filter(date__year=year).as_map())
    return report


CHILD_FIGURES = ("cadres", "counted", "days", "quota_days", "days_met", "weeks_met")


def _children(report: YearReport, per_unit: dict[int, dict]) -> list[dict]:
    """One row per unit right below the report's unit, summing the cadres of its whole subtree
    (by the materialised path); each opens the same year one level down. No query."""
    unit = report.unit
    if unit.is_leaf():
        return []
    cut = len(unit.path) + unit.steplen
    rows = {
        u.path: {"unit": u} | dict.fromkeys(CHILD_FIGURES, 0) for u in report.units if u.parent_id == unit.pk
    }
    for member in report.units:
        row = rows.get(member.path[:cut]) if member.path != unit.path else None
        if row is not None:
            for key in CHILD_FIGURES:
                row[key] += per_unit[member.pk][key]
    children = sorted(rows.values(), key=lambda row: row["unit"].path)
    for row in children:
        row["days_rate"] = ratio(row["days"], row["quota_days"])
    return children


def working_weeks(year: int, overrides: dict) -> int:
    """Monday-to-Sunday weeks of the year (clipped at New Year) with at least one working day:
    the most grassroots weeks a cadre can do (a week wholly in 春节 has none)."""
    day, end, weeks, seen = datetime.date(year, 1, 1), datetime.date(year, 12, 31), 0, set()
    while day <= end:
        monday = day - datetime.timedelta(days=day.weekday())
        if monday not in seen and is_working_day(day, overrides):
            seen.add(monday)
            weeks += 1
        day += datetime.timedelta(days=1)
    return weeks


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _cadre_row(row: dict, year: int, quota: YearQuota, ended: int) -> dict:
    cadre = row["id"]
    row["months"] = []
    for m in MONTHS:
        cells = [
            {
                "kind": k.value,
                "n": row[f"{k.value}_{m}"],
                "url": visit_list_url(month=_month(year, m), cadre=cadre, kind=k.value),
            }
            for k in KINDS
        ]
        complete = all(c["n"] for c in cells)
        row["months"].append(
            {"month": m, "cells": cells, "complete": complete, "missed": m <= ended and not complete}
        )
    row["kinds"] = [
        {
            "kind": k.value,
            "n": sum(row[f"{k.value}_{m}"] for m in MONTHS),
            "url": visit_list_url(year=year, cadre=cadre, kind=k.value),
        }
        for k in KINDS
    ]
    row["days"] = sum(k["n"] for k in row["kinds"])
    row["days_url"] = row["weeks_url"] = visit_list_url(year=year, cadre=cadre)
    row["complete_months"] = sum(m["complete"] for m in row["months"])
    row["quota"] = quota
    row["days_rate"] = ratio(row["days"], quota.days)
    row["weeks_rate"] = ratio(row["weeks"], quota.grassroots_weeks)
    row["days_met"] = row["days"] >= quota.days
    row["weeks_met"] = row["weeks"] >= quota.grassroots_weeks
    return row


def _empty_total(year: int, base: dict) -> dict:
    return base | {
        "cadres": 0,
        "counted": 0,  # active cadres: those the quota is asked of
        "cells": {(k.value, m): 0 for k in KINDS for m in MONTHS},
        "days": 0,
        "quota_days": 0,
        "days_met": 0,
        "weeks_met": 0,
    }


def _add(bucket: dict, row: dict) -> None:
    bucket["cadres"] += 1
    for k in KINDS:
        for m in MONTHS:
            bucket["cells"][(k.value, m)] += row[f"{k.value}_{m}"]
    bucket["days"] += row["days"]
    if row["is_active"]:
        bucket["counted"] += 1
        bucket["quota_days"] += row["quota"].days
        bucket["days_met"] += row["days_met"]
        bucket["weeks_met"] += row["weeks_met"]


def _link_total(bucket: dict, year: int) -> None:
    """The unit's figures with their links: the visits written by the unit's cadres (the whole
    area's total links without a unit)."""
    base = {"cadre_unit": bucket["cadre_unit"]}
    bucket["months"] = [
        {
            "month": m,
            "cells": [
                {
                    "kind": k.value,
                    "n": bucket["cells"][(k.value, m)],
                    "url": visit_list_url(**base, month=_month(year, m), kind=k.value),
                }
                for k in KINDS
            ],
        }
        for m in MONTHS
    ]
    bucket["kinds"] = [
        {
            "kind": k.value,
            "n": sum(bucket["cells"][(k.value, m)] for m in MONTHS),
            "url": visit_list_url(**base, year=year, kind=k.value),
        }
        for k in KINDS
    ]
    bucket["days_url"] = visit_list_url(**base, year=year)
    bucket["days_rate"] = ratio(bucket["days"], bucket["quota_days"])


# --- The workbook: each cadre and each unit, 12 months × the three kinds ---


def _month_headers() -> list[str]:
    return [
        _("%(month)d: %(kind)s") % {"month": m, "kind": short}
        for m in range(1, 13)
        for _v, short, _l in KIND_HEADERS
    ]


def _cells(row: dict) -> list[int]:
    return [cell["n"] for month in row["months"] for cell in month["cells"]]


def year_workbook(report: YearReport) -> bytes:
    with translation.override("zh-hans"):
        wb = Workbook()
        wb.remove(wb.active)
        kinds = [str(short) for _v, short, _l in KIND_HEADERS]
        cadres = Sheet(wb, _("Each cadre"))
        cadres.header(
            [
                _("Unit"),
                _("Cadre"),
                *_month_headers(),
                *kinds,
                _("Days done"),
                _("Quota (days)"),
                _("Weeks with a grassroots day"),
                _("Quota (weeks)"),
                _("Months with all three days"),
            ]
        )
        inactive = _("inactive")
        for row in report.cadres:
            name = row["name"] if row["is_active"] else f"{row['name']}（{inactive}）"
            cadres.row(
                [
                    row["unit__name"],
                    name,
                    *_cells(row),
                    *[k["n"] for k in row["kinds"]],
                    row["days"],
                    row["quota"].days,
                    row["weeks"],
                    row["quota"].grassroots_weeks,
                    row["complete_months"],
                ]
            )
        cadres.fit()
        units = Sheet(wb, _("Each unit"))
        units.header(
            [
                _("Unit"),
                _("Number of cadres"),
                *_month_headers(),
                *kinds,
                _("Days done"),
                _("Quota (days)"),
                _("Cadres at the days quota"),
                _("Cadres at the weeks quota"),
            ]
        )
        for row in [*report.unit_rows, report.total | {"name": _("Total")}]:
            units.row(
                [
                    row["name"],
                    row["cadres"],
                    *_cells(row),
                    *[k["n"] for k in row["kinds"]],
                    row["days"],
                    row["quota_days"],
                    row["days_met"],
                    row["weeks_met"],
                ],
                bold=row.get("unit_id") is None,
            )
        units.fit()
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
