"""Forms of the campaign pages (评选) and of the model cases (典型案例)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from ..models import Campaign, CampaignCategory, ModelCase, OpinionTheme, Visit
from ..services.campaigns import EVIDENCE_DAYS


def nominee_queryset(kind: str, cadre: Cadre):
    """What the cadre may nominate in a category of this kind: the active enterprises and
    cadres of the scope, the done visits of the scope in the evidence year."""
    if kind == CampaignCategory.NomineeKind.ENTERPRISE:
        return EnterpriseUnion.objects.visible_to(cadre).active().order_by("name")
    if kind == CampaignCategory.NomineeKind.CADRE:
        return Cadre.objects.visible_to(cadre).active().select_related("unit").order_by("unit__path", "name")
    since = timezone.localdate() - datetime.timedelta(days=EVIDENCE_DAYS)
    return Visit.objects.visible_to(cadre).done().filter(date__gte=since)


class NominationForm(forms.Form):
    nominee = forms.ModelChoiceField(label=_("Nominee"), queryset=EnterpriseUnion.objects.none())
    reason = forms.CharField(
        label=_("Reason for the nomination"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The app's figures (visits, problems solved, satisfaction, establishment) are attached."),
    )

    def __init__(self, *args, category: CampaignCategory, cadre: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["nominee"]
        field.queryset = nominee_queryset(category.nominee_kind, cadre)
        field.label = category.get_nominee_kind_display()
        field.error_messages["invalid_choice"] = _("Choose a nominee in your own area.")
        if category.nominee_kind == CampaignCategory.NomineeKind.VISIT:
            # A visit is nominated from its own page: the form never lists the visits.
            field.widget = forms.HiddenInput()
        elif category.nominee_kind == CampaignCategory.NomineeKind.CADRE:
            field.label_from_instance = lambda c: f"{c.name} · {c.unit.name}"


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=4, decimal_places=1)
    note = forms.CharField(
        label=_("Review note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(forms.Form):
    selected = forms.TypedChoiceField(
        choices=[("1", _("Selected")), ("0", _("Not selected"))], coerce=lambda v: v == "1"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ModelCaseForm(forms.ModelForm):
    class Meta:
        model = ModelCase
        fields = ["title", "write_up"]
        widgets = {"write_up": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"write_up": _("What others can learn from this visit, in a few sentences.")}


class CaseFilterForm(forms.Form):
    town = forms.ModelChoiceField(
        label=_("Town / zone"), queryset=DistrictUnion.objects.none(), required=False, empty_label=_("All")
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=OpinionTheme.objects.order_by("position", "id"),
        required=False,
        empty_label=_("All"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of day"), choices=[("", _("All"))] + Visit.Kind.choices, required=False
    )

    def __init__(self, *args, cadre: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = cadre.scope_units().towns().order_by("path")


class CampaignForm(forms.ModelForm):
    """A district's (or city's) leader sets up a campaign for his or her own unit."""

    class Meta:
        model = Campaign
        fields = ["name", "description", "nomination_opens", "nomination_closes", "review_closes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "nomination_opens": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "nomination_closes": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_closes": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


CategoryFormSet = forms.inlineformset_factory(
    Campaign,
    CampaignCategory,
    fields=["name", "nominee_kind", "quota"],
    extra=3,
    min_num=1,
    validate_min=True,
    can_delete=False,
)
