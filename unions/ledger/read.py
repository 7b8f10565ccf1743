"""Step 1: read an .xlsx or CSV file into numbered rows keyed by column."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lib.spreadsheets import from_csv_cell

from .format import Column, cell_text, normalize_header

HEADER_SCAN_ROWS = 15


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header row, missing columns)."""


@dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, {column key: text})
    ignored_headers: list[str] = field(default_factory=list)


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK/GB2312, which Excel and WPS in China write as "ANSI" CSV.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor GBK text. Save it again as .xlsx or as CSV UTF-8.")
        ) from exc


def _csv_rows(data: bytes) -> list[list]:
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [[from_csv_cell(cell) for cell in row] for row in reader]
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(problem)s") % {"problem": exc}) from exc


def _xlsx_rows(data: bytes) -> list[list]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("This is not an .xlsx workbook. In Excel or WPS choose Save As → .xlsx."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some writers store a wrong sheet size (e.g. "A1"); read every row that is really there.
            sheet.reset_dimensions()
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged or foreign zip
        raise ImportFileError(_("The workbook cannot be read. Save it again as .xlsx and retry.")) from exc


def _match_header(text, columns: Iterable[Column]) -> Column | None:
    wanted = normalize_header(text)
    if not wanted:
        return None
    for column in columns:
        if wanted in {normalize_header(name) for name in (column.header, *column.aliases)}:
            return column
    return None


def _find_header(top: list[list], columns) -> tuple[int, dict[int, Column]]:
    """The header row (or two-row band, for merged group headings) with the most known columns."""
    best_end, best_map = -1, {}
    for index, row in enumerate(top):
        bands = [[row]]
        if index + 1 < len(top):
            bands.append([row, top[index + 1]])
        for band in bands:
            width = max(len(r) for r in band)
            mapping, seen = {}, set()
            for col in range(width):
                # In a merged cell only the top-left cell holds the text, so take the lowest known name.
                for r in reversed(band):
                    column = _match_header(r[col] if col < len(r) else None, columns)
                    if column and column.key not in seen:
                        mapping[col] = column
                        seen.add(column.key)
                        break
            if len(mapping) > len(best_map):
                best_end, best_map = index + len(band) - 1, mapping
    return best_end, best_map


def read_table(data: bytes, filename: str, columns) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv"):
        raw = _csv_rows(data)
    else:
        raise ImportFileError(_("Only .xlsx and .csv files can be imported."))
    top = raw[:HEADER_SCAN_ROWS]
    header_end, mapping = _find_header(top, columns)
    missing = [c.header for c in columns if c.required and c not in mapping.values()]
    if not mapping:
        raise ImportFileError(
            _(
                "No header row was found. The first sheet needs the template's column headings, e.g. %(headers)s."
            )
            % {"headers": "、".join(c.header for c in columns[:3])}
        )
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(headers)s.") % {"headers": "、".join(missing)}
        )
    header_row = top[header_end]
    ignored = [
        cell_text(header_row[col])
        for col in range(len(header_row))
        if col not in mapping and cell_text(header_row[col])
    ]
    rows = []
    for number, row in enumerate(raw[header_end + 1 :], start=header_end + 2):
        values = {
            column.key: cell_text(row[col]) if col < len(row) else "" for col, column in mapping.items()
        }
        if any(values.values()):  # blank rows (trailing, or only a 序号) are not data
            rows.append((number, values))
    return Table(rows=rows, ignored_headers=ignored)
