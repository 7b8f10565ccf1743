"""Export: the directory in the import's own format, so that export → import changes nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from lib.spreadsheets import append_row, csv_cell

from ..models import DistrictUnion
from .check import UnitIndex, town_index
from .format import LEVEL_EXPORT, NO, ROLE_EXPORT, YES


def enterprise_rows(queryset) -> Iterator[list]:
    """Rows in template order; queries the units once and the enterprises once."""
    towns = UnitIndex(DistrictUnion.objects.all())  # 直属 enterprises hang on a district or city
    for e in queryset.select_related("district_union").order_by("district_union__code", "name", "pk"):
        yield [
            e.credit_code,
            e.name,
            towns.label(e.district_union),
            e.employees,
            e.members,
            YES if e.has_union else NO,
            YES if e.has_office else NO,
            e.chair_name,
            e.fulltime_cadre_name,
            e.phone,
            e.address,
            YES if e.is_active else NO,
        ]


def unit_rows(queryset) -> Iterator[list]:
    """Rows in template order, from the top of the tree down (a parent before the units below
    it, as the import needs them); queries the units twice."""
    index = UnitIndex(DistrictUnion.objects.all())
    for unit in queryset.select_related("parent").order_by("path"):
        yield [
            unit.name,
            LEVEL_EXPORT.get(unit.level, unit.level),
            unit.code,
            index.label(unit.parent) if unit.parent_id else "",
        ]


def cadre_rows(queryset) -> Iterator[list]:
    """Rows in template order; a constant number of queries (units, cadres, towns, enterprises)."""
    units = UnitIndex(DistrictUnion.objects.all())
    towns = town_index()
    cadres = (
        queryset.select_related("user", "unit")
        .prefetch_related("towns", "contact_enterprises")
        .order_by("unit__code", "name", "pk")
    )
    for c in cadres:
        yield [
            c.user.username,
            c.name,
            units.label(c.unit),
            c.post,
            c.phone,
            ROLE_EXPORT.get(c.role, c.role),
            "、".join(towns.label(t) for t in sorted(c.towns.all(), key=lambda t: (t.code, t.name))),
            YES if c.is_active else NO,
            c.user.email,
            # By credit code: unique, so the round trip export → import changes nothing.
            "、".join(sorted(e.credit_code for e in c.contact_enterprises.all())),
        ]


def build_xlsx(columns, rows: Iterable[list], *, title: str, notes: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([column.header for column in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.key in {"credit_code", "phone", "login"}:
            # Text format, so Excel neither rounds an 18-digit code nor drops a phone's leading 0.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    for row in rows:
        append_row(sheet, row)
    if notes:
        guide = workbook.create_sheet("填写说明")
        guide.append(["列名", "是否必填", "说明"])
        for column in columns:
            guide.append([column.header, YES if column.required else NO, column.note])
        guide.append([])
        guide.append(["只导入第一个工作表；表头可以在标题行之下；空行会被跳过。"])
        guide.column_dimensions["A"].width = 18
        guide.column_dimensions["C"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_csv(columns, rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel open it as UTF-8
