"""Forms of the 民情民意 pages: tag a visit's text, edit, merge, forward, answer, filter."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.months import parse_month
from unions.models import Cadre

from ..models import Opinion, OpinionTheme, visit_opinion_text

TEXT_MAX = 4000


def _themes():
    return OpinionTheme.objects.offered()


class OpinionTagForm(forms.Form):
    source = forms.ChoiceField(label=_("Kind of item"), choices=Opinion.Source.choices)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=_themes(), empty_label=None)
    text = forms.CharField(
        label=_("Content"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The visit's text, or the part of it on this theme (a text may give several items)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = _themes()

    @classmethod
    def for_visit(cls, visit) -> OpinionTagForm:
        """Starts from the workers' opinions, or the suggestions when there are none."""
        source = (
            Opinion.Source.OPINION
            if visit.worker_opinions or not visit.suggestions
            else Opinion.Source.SUGGESTION
        )
        return cls(initial={"source": source, "text": visit_opinion_text(visit, source)})


class OpinionEditForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=OpinionTheme.objects.all(), empty_label=None)
    text = forms.CharField(label=_("Content"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, opinion: Opinion, **kwargs):
        kwargs.setdefault("auto_id", "id_edit_%s")
        super().__init__(*args, **kwargs)
        # The themes in use, and the item's own even if it was retired since.
        themes = OpinionTheme.objects.filter(is_active=True) | OpinionTheme.objects.filter(
            pk=opinion.theme_id
        )
        self.fields["theme"].queryset = themes.order_by("position", "id")
        if not self.is_bound:
            self.initial.update(theme=opinion.theme_id, text=opinion.text, version=opinion.version)


class OpinionMergeForm(forms.Form):
    original = forms.ModelChoiceField(
        label=_("Same as"),
        queryset=Opinion.objects.none(),
        help_text=_("Items of the same theme in your area; both keep their visits."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    # A long list helps nobody: the most recent items of the theme.
    CHOICES = 200

    def __init__(self, *args, opinion: Opinion, cadre: Cadre, **kwargs):
        kwargs.setdefault("auto_id", "id_merge_%s")
        super().__init__(*args, **kwargs)
        candidates = (
            Opinion.objects.visible_to(cadre)
            .originals()
            .filter(theme_id=opinion.theme_id)
            .exclude(pk=opinion.pk)
            .select_related("town")
            .order_by("-date", "-id")
        )
        ids = list(candidates.values_list("pk", flat=True)[: self.CHOICES])
        self.fields["original"].queryset = candidates.filter(pk__in=ids)
        self.fields["original"].label_from_instance = lambda o: (
            f"#{o.pk} {o.date:%Y-%m-%d} {o.town} · {o.text[:40]}"
        )
        if not self.is_bound:
            self.initial["version"] = opinion.version


class OpinionForwardForm(forms.Form):
    forwarded_to = forms.CharField(
        label=_("Forwarded to"),
        max_length=200,
        help_text=_("The department or person who can act on it, e.g. 区人社局."),
    )
    forwarded_on = forms.DateField(
        label=_("Forwarded on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, opinion: Opinion, **kwargs):
        kwargs.setdefault("auto_id", "id_forward_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                forwarded_to=opinion.forwarded_to,
                forwarded_on=opinion.forwarded_on or timezone.localdate(),
                version=opinion.version,
            )


class OpinionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(
        label=_("Answered on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, opinion: Opinion, **kwargs):
        kwargs.setdefault("auto_id", "id_answer_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                answer=opinion.answer,
                answered_on=opinion.answered_on or timezone.localdate(),
                version=opinion.version,
            )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", False)  # on pages with several of them
        super().__init__(*args, **kwargs)


class OpinionFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=OpinionTheme.objects.all(), required=False, empty_label=_("All")
    )
    town = forms.ModelChoiceField(label=_("Town / zone"), queryset=None, required=False, empty_label=_("All"))
    month = forms.CharField(
        label=_("Month"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    source = forms.ChoiceField(
        label=_("Kind of item"), choices=[("", _("All"))] + Opinion.Source.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Opinion.Status.choices, required=False
    )
    duplicates = forms.BooleanField(label=_("Show duplicates too"), required=False)

    def __init__(self, *args, cadre: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = cadre.scope_units()

    def clean_month(self):
        raw = self.cleaned_data["month"].strip()
        if not raw:
            return None
        month = parse_month(raw)
        if month is None:
            raise forms.ValidationError(_("Use YYYY-MM, for example 2026-11."), code="month")
        return month
