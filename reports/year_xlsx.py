"""The year report as a workbook: each cadre and each unit, 12 months × the three kinds."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .report import KIND_HEADERS
from .xlsx import Sheet
from .year import YearReport


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
        for row in report.cadres:
            name = row["name"] if row["is_active"] else f"{row['name']}（{_('inactive')}）"
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
