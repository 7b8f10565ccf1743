"""民情专报 as files: the Word document (A4, a section per theme: its summary, then its items)
and the workbook (one row per item, a sheet of the themes' summaries), in Chinese."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from lib.spreadsheets import append_row

from .models import Brief, Opinion

CHINESE_NUMERALS = "一二三四五六七八九十"


def _ordinal(index: int) -> str:
    """一、二、… for the themes (past ten: the number)."""
    return CHINESE_NUMERALS[index] if index < len(CHINESE_NUMERALS) else str(index + 1)


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def item_head() -> list[str]:
    return [
        _("No."),
        _("Theme"),
        _("Kind of item"),
        _("Content"),
        _("Town / zone"),
        _("Place"),
        _("Visit date"),
        _("Visited by"),
        _("Also raised at (visits)"),
        _("Forwarded to"),
        _("Forwarded on"),
        _("Answer"),
        _("Answered on"),
        _("Visit No."),
    ]


def item_row(number: int, item: Opinion) -> list:
    """Needs the item as Brief.chosen_items gives it (for_list, `times`)."""
    return [
        number,
        item.theme.name,
        str(item.get_source_display()),
        item.text,
        item.town.name,
        str(item.visit.host),
        _date(item.date),
        item.visit.cadre.name,
        item.times,
        item.forwarded_to,
        _date(item.forwarded_on),
        item.answer,
        _date(item.answered_on),
        item.visit_id,  # the visit's number: its page is /outreach/visits/<number>/
    ]


def numbered(sections: list[dict]) -> list[tuple[int, Opinion]]:
    """The items in the brief's order, numbered across the themes (as the page and files show)."""
    items = [item for section in sections for item in section["items"]]
    return list(enumerate(items, start=1))


def brief_workbook(brief: Brief, sections: list[dict]) -> bytes:
    with translation.override("zh-hans"):
        wb = Workbook()
        sheet = wb.active
        sheet.title = _("Items")[:31]
        head = item_head()
        append_row(sheet, head)
        for number, item in numbered(sections):
            append_row(sheet, item_row(number, item))
        for column, title in enumerate(head, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = 40 if title == _("Content") else 14
        sheet.freeze_panes = "A2"
        summaries = wb.create_sheet(_("Summaries by theme")[:31])
        append_row(summaries, [_("Theme"), _("Items"), _("Summary")])
        for section in sections:
            append_row(summaries, [section["theme"].name, len(section["items"]), section["summary"]])
        summaries.column_dimensions["C"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def brief_docx(brief: Brief, sections: list[dict]) -> bytes:
    """A4 portrait: the title, the unit and period, then per theme its summary and its items,
    each with its visit, how often it was raised, and where it was forwarded and the answer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    with translation.override("zh-hans"):
        doc = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(25))
        doc.styles["Normal"].font.size = Pt(12)
        heading = doc.add_heading(brief.title, level=0)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line = f"{brief.unit.name} · {brief.period_label}"
        if brief.is_draft:
            line += f" · {_('Draft')}"
        elif brief.published_at:
            line += f" · {_('Published')} {brief.published_at.astimezone():%Y-%m-%d}"
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
        numbers = {item.pk: number for number, item in numbered(sections)}
        for index, part in enumerate(sections):
            doc.add_heading(
                _("%(ordinal)s、%(theme)s (%(count)d items)")
                % {"ordinal": _ordinal(index), "theme": part["theme"].name, "count": len(part["items"])},
                level=1,
            )
            if part["summary"]:
                doc.add_paragraph(part["summary"])
            for item in part["items"]:
                doc.add_paragraph(f"{numbers[item.pk]}. {item.text}")
                doc.add_paragraph(_item_source(item)).runs[0].font.size = Pt(10)
                if item.forwarded_to:
                    doc.add_paragraph(_item_follow_up(item)).runs[0].font.size = Pt(10)
        if not sections:
            doc.add_paragraph(_("No items yet."))
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _item_source(item: Opinion) -> str:
    text = _("%(kind)s · %(town)s · %(place)s · %(date)s · visited by %(cadre)s") % {
        "kind": item.get_source_display(),
        "town": item.town.name,
        "place": item.visit.host,
        "date": _date(item.date),
        "cadre": item.visit.cadre.name,
    }
    if item.times:
        text += _("; also raised at %(n)d other visits") % {"n": item.times}
    return text


def _item_follow_up(item: Opinion) -> str:
    text = _("Forwarded to %(to)s on %(on)s") % {"to": item.forwarded_to, "on": _date(item.forwarded_on)}
    if item.answer:
        text += _("; answer (%(on)s): %(answer)s") % {"on": _date(item.answered_on), "answer": item.answer}
    return text
