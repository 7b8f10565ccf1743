"""Spreadsheet cells that cannot run as formulas (CSV/formula injection), for every export.

Text a spreadsheet would read as a formula (= + - @, or a tab or carriage return first) is
written as plain text: in .xlsx as a string cell, so the cell shows exactly the text; in CSV,
which has no types, with a leading apostrophe, which the directory import strips again so
that export → import is a round trip.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def append_row(worksheet, values: Iterable) -> int:
    """Append a row to an openpyxl worksheet, formula-like text as plain text. Returns the row number."""
    values = list(values)
    worksheet.append(values)
    row = worksheet.max_row
    for column, value in enumerate(values, start=1):
        if looks_like_formula(value):
            worksheet.cell(row=row, column=column).data_type = "s"  # openpyxl wrote "f"
    return row


def csv_cell(value):
    """A CSV value that a spreadsheet opens as text."""
    return "'" + value if looks_like_formula(value) else value


def from_csv_cell(text: str) -> str:
    """Undo csv_cell when a file comes back in."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text
