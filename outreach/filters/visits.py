"""Visit list filters. The GET parameters are a contract: the report and other pages link with them."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.ids import MAX_ID, RangeCheckedModelChoiceFilter
from lib.months import FIRST_YEAR, LAST_YEAR, MonthFilter
from lib.search import text_search
from unions.models import Cadre, DistrictUnion

from ..models import Visit
from . import shorten_cadre_options


def _towns(request):
    if request is None or getattr(request, "cadre", None) is None:
        return DistrictUnion.objects.none()
    cadre = request.cadre
    # A cadre's own visits may be anywhere in the district; a leader filters within the scope.
    units = cadre.scope_units() if cadre.is_leader else cadre.district_units()
    return units.order_by("path")


def _cadres(request):
    if request is None or getattr(request, "cadre", None) is None:
        return Cadre.objects.none()
    return Cadre.objects.visible_to(request.cadre).order_by("name")


DONE = "done"
PLAN_CHOICES = [
    ("planned", _("Planned")),
    ("kept", _("Done as planned")),
    ("unplanned", _("Done unplanned")),
    ("missed", _("Missed plans")),
]
SEARCHED = (
    "host_enterprise__name",
    "host_union__name",
    "cadre__name",
    *Visit.TEXT_FIELDS,
)


class VisitFilter(django_filters.FilterSet):
    month = MonthFilter(label=_("Month"), method="filter_month")
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="date", lookup_expr="year", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of day"), choices=Visit.Kind.choices)
    # A unit's visits are those held anywhere in its subtree (a town's own, a district's towns').
    town = RangeCheckedModelChoiceFilter(label=_("Town / zone"), queryset=_towns, method="filter_town")
    cadre = RangeCheckedModelChoiceFilter(label=_("Cadre"), queryset=_cadres)
    # The year report's unit rows: the days written by the unit's cadres, wherever they were.
    cadre_unit = RangeCheckedModelChoiceFilter(
        label=_("Cadre's unit"), queryset=_towns, field_name="cadre__unit"
    )
    enterprise = django_filters.NumberFilter(
        field_name="host_enterprise_id", widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )
    # "done" (submitted or reviewed) is what the monthly report counts; its links use it.
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(DONE, _("Done (submitted or reviewed)")), *Visit.Status.choices],
        method="filter_status",
    )
    # Plans against what was done; with a month, a plan belongs to the month it was planned for.
    plan = django_filters.ChoiceFilter(label=_("Plans"), choices=PLAN_CHOICES, method="filter_plan")
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Host, cadre or words in the notes")}
        ),
    )

    class Meta:
        model = Visit
        fields = ["month", "year", "kind", "town", "cadre", "cadre_unit", "enterprise", "status", "plan", "q"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        if request is not None and getattr(request, "cadre", None) is not None:
            shorten_cadre_options(self.form.fields["cadre"], request.cadre, data)

    def filter_town(self, queryset, name, value):
        return queryset.filter(town_id__in=value.subtree_ids())

    def filter_status(self, queryset, name, value):
        return queryset.done() if value == DONE else queryset.filter(status=value)

    def filter_month(self, queryset, name, value):
        if self.form.cleaned_data.get("plan") in ("planned", "kept", "missed"):
            return queryset.filter(planned_for__year=value.year, planned_for__month=value.month)
        return queryset.in_month(value.year, value.month)

    def filter_plan(self, queryset, name, value):
        if value == "planned":
            return queryset.plans()
        if value == "kept":
            return queryset.plans_kept()
        if value == "missed":
            return queryset.plans_missed(timezone.localdate())
        return queryset.done_unplanned()

    def filter_text(self, queryset, name, value):
        return text_search(queryset, value, SEARCHED)
