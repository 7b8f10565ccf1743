"""The list filters (visits.py, concerns.py) and what they share."""

from __future__ import annotations

from django.db.models import Case, Q, When
from django.utils.translation import gettext as _

from lib.ids import parse_id
from unions.models import DistrictUnion

CADRE_OPTIONS_SHOWN = 500


def shorten_cadre_options(field, viewer, data, unit_key: str = "town", cadre_key: str = "cadre") -> None:
    """A leader whose area has more than CADRE_OPTIONS_SHOWN cadres (a city's two thousand, a
    province's thirty thousand: 1.3 MB of options on every list page) gets, in the cadre
    filter, only the cadres of the unit chosen in the unit filter (its subtree, the first
    CADRE_OPTIONS_SHOWN by name) and the cadre already chosen; any cadre of the area is still
    accepted (the report's links), and the help text says how to find one. One query when a
    unit is chosen (its path)."""
    if not viewer.is_leader or len(viewer.scope_cadre_ids) <= CADRE_OPTIONS_SHOWN:
        return
    data = data or {}
    chosen, unit = parse_id(data.get(cadre_key)), parse_id(data.get(unit_key))
    wanted = Q(pk=chosen) if chosen else Q(pk__in=[])
    if unit in viewer.scope_unit_ids:
        path = DistrictUnion.objects.filter(pk=unit).values_list("path", flat=True).first()
        if path:
            wanted |= Q(unit__path__startswith=path)
    first = Case(When(pk=chosen or 0, then=0), default=1)
    field.show_only(field.queryset.filter(wanted).order_by(first, "name", "pk")[:CADRE_OPTIONS_SHOWN])
    field.help_text = _(
        "More than %(n)s cadres here: choose a town or street first to list its cadres, "
        "or type a cadre's name in Search."
    ) % {"n": CADRE_OPTIONS_SHOWN}
