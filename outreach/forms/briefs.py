"""Forms of the 民情专报 pages: draft a brief, pick its items, write its summaries."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Brief
from .opinions import VersionForm

SUMMARY_MAX = 8000


class BriefCreateForm(forms.ModelForm):
    class Meta:
        model = Brief
        fields = ["period", "year", "number", "title"]
        help_texts = {
            "number": _("1–12 for a month, 1–4 for a quarter."),
            "title": _("Empty: the unit's name, 民情专报 and the period."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["year"].widget.attrs.update(min=2000, max=2999)
        self.fields["number"].widget.attrs.update(min=1, max=12)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update(period=Brief.Period.MONTH, year=today.year, number=today.month)

    def clean(self):
        data = super().clean()
        number, period = data.get("number"), data.get("period")
        if number is not None and period:
            top = 12 if period == Brief.Period.MONTH else 4
            if not 1 <= number <= top:
                self.add_error(
                    "number", forms.ValidationError(_("A month is 1–12, a quarter 1–4."), code="range")
                )
        year = data.get("year")
        if year is not None and not 2000 <= year <= 2999:
            self.add_error(
                "year", forms.ValidationError(_("Enter a year between 2000 and 2999."), code="range")
            )
        return data


def _item_label(item) -> str:
    return f"{item.theme.name} · {item.date:%Y-%m-%d} · {item.town.name} · {item.text[:60]}"


class BriefItemsForm(forms.Form):
    add = forms.ModelMultipleChoiceField(
        label=_("Add to the brief"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    remove = forms.ModelMultipleChoiceField(
        label=_("Leave out of the brief"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, brief: Brief, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = candidates
        self.fields["remove"].queryset = brief.items.select_related("theme", "town").order_by(
            "theme__position", "date"
        )
        for name in ("add", "remove"):
            self.fields[name].label_from_instance = _item_label
        if not self.is_bound:
            self.initial["version"] = brief.version


class BriefSummariesForm(forms.Form):
    """The title and a summary field per theme of the brief's items (summary_<theme id>)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, brief: Brief, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            theme = section["theme"]
            self.fields[f"summary_{theme.pk}"] = forms.CharField(
                label=_("Summary: %(theme)s") % {"theme": theme.name},
                max_length=SUMMARY_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=section["summary"],
            )
        if not self.is_bound:
            self.initial.update(title=brief.title, version=brief.version)

    def summaries(self) -> dict[int, str]:
        return {s["theme"].pk: self.cleaned_data[f"summary_{s['theme'].pk}"] for s in self.sections}

    def summary_fields(self):
        """(section, bound field) pairs, for the page to place each field above its items."""
        return [(s, self[f"summary_{s['theme'].pk}"]) for s in self.sections]


__all__ = ["BriefCreateForm", "BriefItemsForm", "BriefSummariesForm", "VersionForm"]
