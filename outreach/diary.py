"""民情日记: a cadre's done days over a month, a quarter or a year — date, place, people met,
what workers said, what was done and the 体会 — for print (A4 portrait) and as a .docx.

A leader prints the diaries of a whole unit at once (one cadre per page run).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from lib.months import add_months, month_end
from unions.models import Cadre, DistrictUnion

from .models import Visit

MAX_MONTHS = 12


@dataclass
class Diary:
    first: datetime.date  # first day of the first month
    last_month: datetime.date  # first day of the last month
    unit: DistrictUnion | None = None
    cadres: list[Cadre] = field(default_factory=list)
    days: dict[int, list[Visit]] = field(default_factory=dict)

    @classmethod
    def of(cls, cadres: list[Cadre], first: datetime.date, last_month: datetime.date, unit=None) -> Diary:
        """The cadres' done days of the months. One query."""
        diary = cls(first, last_month, unit, cadres, {c.pk: [] for c in cadres})
        for visit in Visit.objects.for_diary(list(diary.days), first, month_end(last_month)):
            diary.days[visit.cadre_id].append(visit)
        return diary

    @property
    def last(self) -> datetime.date:
        return month_end(self.last_month)

    @property
    def entries(self) -> list[dict]:
        """Per cadre, the days with their diary fields (what the page and the document show)."""
        return [
            {"cadre": c, "days": [{"visit": v, "fields": diary_fields(v)} for v in self.days[c.pk]]}
            for c in self.cadres
        ]

    @property
    def period(self) -> str:
        if self.first == self.last_month:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m} – {self.last_month:%Y-%m}"

    def docx(self) -> bytes:
        """The diary as a Word document on A4 portrait, one cadre after another (page breaks)."""
        from docx import Document
        from docx.shared import Mm, Pt

        with translation.override("zh-hans"):
            doc = Document()
            section = doc.sections[0]
            section.page_width, section.page_height = Mm(210), Mm(297)
            for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
                setattr(section, side, Mm(20))
            doc.styles["Normal"].font.size = Pt(11)
            for index, entry in enumerate(self.entries):
                if index:
                    doc.add_page_break()
                self._docx_cadre(doc, entry["cadre"], entry["days"])
            out = io.BytesIO()
            doc.save(out)
            return out.getvalue()

    def _docx_cadre(self, doc, cadre: Cadre, days: list[dict]) -> None:
        doc.add_heading(_("Diary of the people's voices · %(name)s") % {"name": cadre.name}, level=1)
        doc.add_paragraph(f"{cadre.unit.name} · {self.period}")
        if not days:
            doc.add_paragraph(_("No day was done in this period."))
        for day in days:
            visit = day["visit"]
            doc.add_heading(f"{visit.date:%Y-%m-%d} · {visit.get_kind_display()}", level=2)
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, text in day["fields"]:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = str(label), text or "—"


def diary_fields(visit: Visit) -> list[tuple[str, str]]:
    """What a diary says of a day, in order: place, people met, what workers said, what was
    done, questions answered, the 体会."""
    return [
        (_("Place"), str(visit.host)),
        (Visit._meta.get_field("people_met").verbose_name, visit.people_met),
        (Visit._meta.get_field("worker_opinions").verbose_name, visit.worker_opinions),
        (Visit._meta.get_field("work_done").verbose_name, visit.work_done),
        (Visit._meta.get_field("answered_questions").verbose_name, visit.answered_questions),
        (Visit._meta.get_field("reflections").verbose_name, visit.reflections),
    ]


def months_span(first: datetime.date, last_month: datetime.date) -> int:
    return (last_month.year - first.year) * 12 + last_month.month - first.month + 1


def clamp_period(first: datetime.date, last_month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """At most MAX_MONTHS months from `first` (a year's diary, or a quarter's, or a month's)."""
    if months_span(first, last_month) > MAX_MONTHS:
        return first, add_months(first, MAX_MONTHS - 1)
    return first, last_month
