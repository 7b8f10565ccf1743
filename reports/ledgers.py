"""The ledgers (台账): the visits and the problems a user may see, filtered exactly like the
visit list and the problem list on screen (their FilterSets), as workbooks.

Headers are always in Chinese; formula-like text is written as text (lib.spreadsheets, via Sheet).
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from outreach.filters.concerns import ConcernFilter
from outreach.filters.visits import VisitFilter
from outreach.models import Concern, Visit
from unions.models import Cadre

from .xlsx import Sheet


def _workbook(title: str, header: list, rows) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    sheet = Sheet(wb, title)
    sheet.header(header)
    for row in rows:
        sheet.row(row)
    sheet.fit()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Visits -------------------------------------------------------------------------------


def ledger_visits(request):
    """The visits the user may see, filtered with the visit list's GET parameters (its
    FilterSet, so the ledger is exactly the list on screen). Two queries (visits, companions)."""
    visits = Visit.objects.visible_to(request.cadre).for_detail()
    return VisitFilter(request.GET, queryset=visits, request=request).qs.order_by("date", "id")


def ledger_workbook(visits) -> bytes:
    topics = dict(Visit.Topic.choices)
    with translation.override("zh-hans"):
        header = [
            _("Date"),
            _("Kind of day"),
            _("Cadre"),
            _("Companions"),
            _("Host"),
            _("Town / zone"),
            _("Status"),
            _("Topics discussed"),
            _("People met"),
            _("What was done"),
            _("Questions answered on site"),
            _("Workers' opinions"),
            _("Suggestions for decision makers"),
            _("Reflections"),
        ]
        rows = (
            [
                f"{visit.date:%Y-%m-%d}",
                str(visit.get_kind_display()),
                visit.cadre.name,
                "、".join(c.name for c in visit.companions.all()),
                str(visit.host),
                visit.town.name,
                str(visit.get_status_display()),
                "、".join(str(topics.get(t, t)) for t in visit.topics or []),
                visit.people_met,
                visit.work_done,
                visit.answered_questions,
                visit.worker_opinions,
                visit.suggestions,
                visit.reflections,
            ]
            for visit in visits
        )
        return _workbook(_("Visit ledger"), header, rows)


# Problems -----------------------------------------------------------------------------


def concern_filter(request) -> ConcernFilter:
    """The problem list's FilterSet over the problems the user may see, by received date."""
    concerns = Concern.objects.visible_to(request.cadre).for_list().select_related("received_by")
    return ConcernFilter(request.GET, queryset=concerns.order_by("received_on", "id"), cadre=request.cadre)


def _phone_shown(cadre: Cadre):
    """Concern.phone_visible_to for many rows without a query per row: the owner, or a leader
    whose scope holds the problem's town, sees the worker's phone; others see it masked."""
    scope = set(cadre.scope_unit_ids) if cadre.is_leader else set()

    def shown(concern: Concern) -> str:
        visible = concern.owner_id == cadre.pk or concern.town_id in scope
        return concern.worker_phone if visible else concern.masked_phone

    return shown


def concern_ledger_workbook(concerns, cadre: Cadre) -> bytes:
    phone = _phone_shown(cadre)
    with translation.override("zh-hans"):
        header = [
            _("Received on"),
            _("Category"),
            _("Description"),
            _("Enterprise"),
            _("Town / zone"),
            _("Workers affected"),
            _("Worker's name"),
            _("Worker's phone"),
            _("First received by"),
            _("Owner"),
            _("Deadline"),
            _("Status"),
            _("Resolution"),
            _("Satisfaction"),
        ]
        rows = (
            [
                f"{concern.received_on:%Y-%m-%d}",
                str(concern.get_category_display()),
                concern.description,
                concern.enterprise.name if concern.enterprise else "",
                concern.town.name,
                concern.workers_affected,
                concern.worker_name,
                phone(concern),
                concern.received_by.name,
                concern.owner.name,
                f"{concern.due_date:%Y-%m-%d}",
                str(concern.get_status_display()),
                concern.resolution,
                str(concern.get_satisfaction_display()) if concern.satisfaction else "",
            ]
            for concern in concerns
        )
        return _workbook(_("Problem ledger"), header, rows)
