"""The activation sheet as an .xlsx workbook: one row per cadre, grouped by unit."""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lib.spreadsheets import append_row


def sheet_xlsx(rows, *, expires: datetime.date) -> bytes:
    """rows: (cadre, link) with cadre.unit and cadre.user loaded; no queries."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("activation sheet")[:31]
    headers = [_("unit"), _("name"), _("post"), _("Login name"), _("Activation link"), _("valid until")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (18, 10, 14, 16, 90, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    for cadre, link in rows:
        append_row(
            sheet,
            [cadre.unit.name, cadre.name, cadre.post, cadre.user.get_username(), link, expires.isoformat()],
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
