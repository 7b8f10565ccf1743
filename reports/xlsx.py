"""Excel exports: the monthly report (one sheet per section); the ledgers are in ledgers.py.

Headers are always in Chinese (the workbooks are filed as official ledgers). Text that a
spreadsheet would read as a formula is written as text (lib.spreadsheets).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lib.months import month_label
from lib.spreadsheets import append_row

from .report import KINDS, MonthlyReport

PERCENT = "0.0%"
MAX_WIDTH = 60


def display_width(value) -> int:
    """Columns sized for CJK text: a wide character takes two columns."""
    text = f"{value:.1%}" if isinstance(value, float) else str(value if value is not None else "")
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


class Sheet:
    """One worksheet written table by table, with widths fitted to the content at the end."""

    def __init__(self, workbook: Workbook, title: str):
        self.ws = workbook.create_sheet(title=title[:31])
        self.widths: dict[int, int] = {}

    def row(self, values: Iterable, *, bold: bool = False, percent: Iterable[int] = ()) -> None:
        values = ["—" if v is None else v for v in values]
        r = append_row(self.ws, values)
        for c, value in enumerate(values, start=1):
            cell = self.ws.cell(row=r, column=c)
            if bold:
                cell.font = Font(bold=True)
            if c - 1 in percent and isinstance(value, float):
                cell.number_format = PERCENT
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.widths[c] = max(self.widths.get(c, 0), display_width(value))

    def header(self, values: Iterable) -> None:
        self.row(values, bold=True)

    def gap(self) -> None:
        self.ws.append([])

    def fit(self) -> None:
        for c, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), MAX_WIDTH)
        self.ws.freeze_panes = "A2"


def monthly_workbook(report: MonthlyReport) -> bytes:
    with translation.override("zh-hans"):
        wb = Workbook()
        wb.remove(wb.active)
        for write in (
            _completion,
            _visits,
            _coverage,
            _establishment,
            _problems,
            _opinions,
            _evaluation,
            _trend,
        ):
            sheet = write(wb, report)
            sheet.fit()
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def _kind_labels() -> list[str]:
    return [str(kind.label) for kind in KINDS]


def _completion(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Completion"))
    c = report.completion
    sheet.header([_("Unit"), _("Cadre"), *_kind_labels(), _("Weeks with a grassroots day"), _("Complete")])
    for row in c["rows"]:
        sheet.row(
            [
                row["unit__name"],
                row["name"],
                *[row[k.value] for k in KINDS],
                f"{row['weeks']}/{row['weeks_total']}",
                _("yes") if row["complete"] else _("no"),
            ]
        )
    sheet.gap()
    sheet.header(
        [
            _("Unit"),
            _("Number of cadres"),
            *_kind_labels(),
            _("Went down every week"),
            _("Complete"),
            _("Completion rate"),
        ]
    )
    for unit in [*c["units"], c["total"] | {"name": _("Total")}]:
        sheet.row(
            [
                unit["name"],
                unit["cadres"],
                *[unit[k.value] for k in KINDS],
                unit["weekly"],
                unit["complete"],
                unit["rate"],
            ],
            bold=unit.get("unit_id") is None,
            percent=[7],
        )
    return sheet


def _visits(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Visit statistics"))
    v = report.visits
    sheet.header([_("Unit"), *_kind_labels(), _("Number of visits")])
    for row in v["by_town"]:
        sheet.row([row["name"], *[row.get(k.value, 0) for k in KINDS], row["total"]])
    sheet.row([_("Total"), *[k["n"] for k in v["by_kind"]], v["total"]], bold=True)
    sheet.row([_("Enterprises visited"), v["enterprises"]], bold=True)
    sheet.gap()
    sheet.header([_("Cadre"), _("Unit"), *_kind_labels(), _("Number of visits"), _("Enterprises visited")])
    for row in v["by_cadre"]:
        sheet.row(
            [
                row["cadre__name"],
                row["cadre__unit__name"],
                *[row[k.value] for k in KINDS],
                row["total"],
                row["enterprises"],
            ]
        )
    return sheet


def _coverage(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Coverage"))
    cov = report.coverage
    columns = {"total": _("Number of enterprises"), "month": _("Visited this month")}
    columns |= {"year": _("Visited this year"), "never": _("Never visited")}
    _per_town(sheet, cov, columns)
    sheet.gap()
    sheet.header(
        [
            _("Cadre"),
            _("Unit"),
            _("Contact enterprise not visited in three months"),
            _("Town / zone"),
            _("Last visit"),
        ]
    )
    for row in cov["gaps"]:
        sheet.row(
            [
                row["cadre__name"],
                row["cadre__unit__name"],
                row["enterpriseunion__name"],
                row["enterpriseunion__district_union__name"],
                f"{row['last']:%Y-%m-%d}" if row["last"] else _("never"),
            ]
        )
    return sheet


def _establishment(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Enterprise union survey"))
    columns = {
        "total": _("Number of enterprises"),
        "with_union": _("With a union"),
        "union_rate": _("Union rate"),
    }
    columns |= {"with_office": _("With a union work office"), "office_rate": _("Office rate")}
    columns |= {
        "members": _("Union members"),
        "employees": _("Employees"),
        "member_rate": _("Members / employees"),
    }
    _per_town(sheet, report.establishment, columns, percent=[3, 5, 8])
    return sheet


def _per_town(sheet: Sheet, section: dict, columns: dict, percent=()) -> None:
    """A table of one row per town and a total row: the section's figures named by `columns`."""
    sheet.header([_("Unit"), *columns.values()])
    for row in [*section["towns"], section["total"] | {"name": _("Total")}]:
        sheet.row([row["name"], *(row[key] for key in columns)], bold="town_id" not in row, percent=percent)


def _problem_header() -> list[str]:
    return [
        _("Raised"),
        _("Workers affected"),
        _("Resolved"),
        _("Closed"),
        _("Closed on time"),
        _("Overdue"),
        _("On-time rate"),
        _("Satisfaction rate"),
    ]


def _problem_values(row: dict) -> list:
    keys = (
        "raised",
        "workers",
        "resolved",
        "closed",
        "on_time",
        "overdue",
        "on_time_rate",
        "satisfaction_rate",
    )
    return [row[k] for k in keys]


def _problems(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Problems"))
    p = report.problems
    sheet.header([_("Unit"), *_problem_header()])
    for row in p["by_town"]:
        sheet.row([row["name"], *_problem_values(row)], percent=[7, 8])
    sheet.row([_("Total"), *_problem_values(p["total"])], bold=True, percent=[7, 8])
    sheet.gap()
    sheet.header([_("Category"), *_problem_header()])
    for row in p["by_category"]:
        sheet.row([str(row["name"]), *_problem_values(row)], percent=[7, 8])
    sheet.gap()
    sheet.row([_("Overdue now, whatever the month received"), p["overdue_now"]], bold=True)
    return sheet


def _opinions(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Opinions"))
    sheet.header(
        [_("Date"), _("Cadre"), _("Host"), _("Workers' opinions"), _("Suggestions for decision makers")]
    )
    for visit in report.opinions["visits"]:
        sheet.row(
            [
                f"{visit.date:%Y-%m-%d}",
                visit.cadre.name,
                str(visit.host),
                visit.worker_opinions,
                visit.suggestions,
            ]
        )
    return sheet


def _evaluation(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Evaluation"))
    ev = report.evaluation
    rule = ev["rule"]
    sheet.row(
        [
            _("Weights"),
            _("completion %(completion)s · on time %(on_time)s · satisfaction %(satisfaction)s")
            % {
                "completion": rule.completion_weight,
                "on_time": rule.on_time_weight,
                "satisfaction": rule.satisfaction_weight,
            },
            rule.source_label,
        ],
        bold=True,
    )
    sheet.header(
        [_("Unit"), _("Cadre"), _("Completion"), _("On-time rate"), _("Satisfaction rate"), _("Score")]
    )
    for row in ev["cadres"]:
        parts = row["parts"]
        sheet.row(
            [
                row["unit_name"],
                row["name"],
                parts["completion"],
                parts["on_time"],
                parts["satisfaction"],
                row["score"],
            ],
            percent=[2, 3, 4],
        )
    sheet.gap()
    sheet.header([_("Unit"), _("Number of cadres"), _("Score")])
    for row in ev["towns"]:
        sheet.row([row["name"], row["cadres"], row["score"]])
    sheet.row([_("Total"), report.completion["total"]["cadres"], ev["score"]], bold=True)
    return sheet


def _trend(wb: Workbook, report: MonthlyReport) -> Sheet:
    sheet = Sheet(wb, _("Trend"))
    sheet.header([_("Month"), *_kind_labels(), _("Number of visits"), _("Complete"), _("Completion rate")])
    for row in report.trend["months"]:
        sheet.row(
            [
                month_label(row["month"]),
                *[row[k.value] for k in KINDS],
                row["total"],
                row["complete"],
                row["rate"],
            ],
            percent=[6],
        )
    return sheet
