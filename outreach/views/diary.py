"""民情日记: print or download a cadre's diary, or a leader's whole unit at once."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from lib.months import current_month, month_label, parse_month
from unions.access import cadre_required
from unions.models import Cadre

from ..diary import MAX_MONTHS, Diary, clamp_period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _diary_for(request) -> tuple[Diary, list[str]]:
    """?cadre=<id> (default: oneself) or, for a leader, ?unit=<id>; ?from=YYYY-MM&to=YYYY-MM
    (default: this month). Another unit's cadre is not found (404)."""
    me, notes = request.cadre, []
    first, last_month = _month(request, "from", notes), _month(request, "to", notes)
    if last_month < first:
        first, last_month = last_month, first
    first, clamped = clamp_period(first, last_month)
    if clamped != last_month:
        notes.append(_("A diary covers at most %(n)d months: showing the first %(n)d.") % {"n": MAX_MONTHS})
    unit = None
    raw_unit, raw_cadre = request.GET.get("unit", "").strip(), request.GET.get("cadre", "").strip()
    if raw_unit and me.is_leader:
        unit = get_object_or_404(me.scope_units(), pk=_id(raw_unit))
        cadres = list(Cadre.objects.active().filter(unit=unit).select_related("unit").order_by("name", "id"))
    elif raw_cadre and _id(raw_cadre) != me.pk:
        if not me.is_leader:
            raise Http404(_("No such cadre in your area."))
        cadres = [get_object_or_404(Cadre.objects.visible_to(me).select_related("unit"), pk=_id(raw_cadre))]
    else:
        cadres = [me]
    return Diary.of(cadres, first, clamped, unit), notes


def _id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12:
        raise Http404(_("No such cadre in your area."))
    return int(raw)


def _month(request, name: str, notes: list[str]):
    raw = request.GET.get(name, "").strip()
    month = parse_month(raw)
    if raw and month is None:
        notes.append(
            _("“%(month)s” is not a month (use YYYY-MM, for example 2026-11).") % {"month": raw[:20]}
        )
    return month or current_month()


def _query(diary: Diary) -> str:
    params = {"from": month_label(diary.first), "to": month_label(diary.last_month)}
    if diary.unit is not None:
        params["unit"] = diary.unit.pk
    else:
        params["cadre"] = diary.cadres[0].pk
    return urlencode(params)


@cadre_required
def diary(request):
    diary, notes = _diary_for(request)
    context = {
        "diary": diary,
        "notes": notes,
        "query": _query(diary),
        "units": list(request.cadre.scope_units()) if request.cadre.is_leader else [],
    }
    return render(request, "outreach/diary.html", context)


@cadre_required
def diary_docx(request):
    diary, _notes = _diary_for(request)
    response = HttpResponse(diary.docx(), content_type=DOCX)
    who = f"unit-{diary.unit.pk}" if diary.unit else f"cadre-{diary.cadres[0].pk}"
    response["Content-Disposition"] = f'attachment; filename="diary-{who}-{month_label(diary.first)}.docx"'
    return response
