"""The problem list's filters (contract: month, category, town, owner, status, overdue, due_week, q)."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.ids import RangeCheckedModelChoiceFilter
from lib.months import MonthFilter
from lib.search import text_search
from unions.models import Cadre, DistrictUnion

from ..models import Category, Concern
from . import shorten_cadre_options

YES = (("1", _("Yes")),)


class ConcernFilter(django_filters.FilterSet):
    month = MonthFilter(label=_("Received in month"), method="filter_month")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    # A unit's problems are those raised anywhere in its subtree.
    town = RangeCheckedModelChoiceFilter(
        label=_("Town / zone"), queryset=DistrictUnion.objects.none(), method="filter_town"
    )
    owner = RangeCheckedModelChoiceFilter(label=_("Owner"), queryset=Cadre.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Concern.Status.choices)
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES, method="filter_overdue")
    due_week = django_filters.ChoiceFilter(label=_("Due this week"), choices=YES, method="filter_due_week")
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Concern
        fields = ["month", "category", "town", "owner", "status", "overdue", "due_week", "q"]

    def __init__(
        self, data=None, queryset=None, *, cadre: Cadre, today: datetime.date | None = None, **kwargs
    ):
        super().__init__(data, queryset, **kwargs)
        self.today = today or timezone.localdate()
        self.filters["town"].queryset = cadre.scope_units().order_by("path")
        self.filters["owner"].queryset = Cadre.objects.visible_to(cadre).order_by("name")
        shorten_cadre_options(self.form.fields["owner"], cadre, data, cadre_key="owner")

    def filter_town(self, queryset, name, value):
        return queryset.filter(town_id__in=value.subtree_ids())

    def filter_month(self, queryset, name, value):
        return queryset.received_in_month(value.year, value.month)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today) if value == "1" else queryset

    def filter_due_week(self, queryset, name, value):
        return queryset.due_this_week(self.today) if value == "1" else queryset

    def filter_q(self, queryset, name, value):
        # The worker's phone is deliberately not searchable: it would end up in URLs.
        return text_search(queryset, value, ("description", "enterprise__name", "worker_name", "owner__name"))
