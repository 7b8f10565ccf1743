"""The calendar of planned and done visits: my own, a cadre's, or a leader's whole unit."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from lib.months import current_month, month_label, parse_month
from unions.access import cadre_required
from unions.models import Cadre

from ..calendar import MonthCalendar
from ..models import Visit


def _id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 12:
        raise Http404(_("No such cadre in your area."))
    return int(raw)


@cadre_required
def calendar(request):
    """?month=YYYY-MM; a leader adds ?cadre=<id> or ?unit=<id> (another unit's: 404)."""
    me = request.cadre
    raw_month = request.GET.get("month", "").strip()
    first = parse_month(raw_month) or current_month()
    note = _("“%(month)s” is not a month (use YYYY-MM, for example 2026-11).") % {"month": raw_month[:20]}
    raw_unit, raw_cadre = request.GET.get("unit", "").strip(), request.GET.get("cadre", "").strip()
    unit = cadre = None
    if raw_unit and me.is_leader:
        unit = get_object_or_404(me.scope_units(), pk=_id(raw_unit))
        visits = Visit.objects.visible_to(me).filter(cadre__unit=unit)
    else:
        cadre = me
        if raw_cadre and _id(raw_cadre) != me.pk:
            if not me.is_leader:
                raise Http404(_("No such cadre in your area."))
            cadre = get_object_or_404(Cadre.objects.visible_to(me), pk=_id(raw_cadre))
        # My own: what I wrote or took part in; a leader looking at a cadre: what the cadre wrote.
        own = cadre == me
        visits = (
            Visit.objects.alive().involving(me) if own else Visit.objects.visible_to(me).filter(cadre=cadre)
        )
    visits = visits.select_related("cadre", "host_union", "host_enterprise")
    month = MonthCalendar.of(visits, first, timezone.localdate())
    context = {
        "calendar": month,
        "month_label": month_label(first),
        "month_error": note if raw_month and parse_month(raw_month) is None else "",
        "unit": unit,
        "shown_cadre": cadre,
        "own": cadre == me,
        "units": list(me.scope_units()) if me.is_leader else [],
        "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
    }
    return render(request, "outreach/calendar.html", context)
