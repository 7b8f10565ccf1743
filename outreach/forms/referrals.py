"""Forms of the referral pages (转介: 困难职工帮扶, 法律援助)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Referral
from ..services.referrals import COMMON_FIELDS, HARDSHIP_FIELDS, LEGAL_AID_FIELDS, REQUIRED
from .concerns import clean_phone


class ReferralForm(forms.ModelForm):
    """The fields the aid system asks for, those of the chosen kind only."""

    class Meta:
        model = Referral
        fields = ["worker_name", "worker_phone", *HARDSHIP_FIELDS, *LEGAL_AID_FIELDS, "note"]
        widgets = {
            "worker_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "monthly_income_per_head": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "amount_in_dispute": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        help_texts = {
            "worker_name": _("Personal data: shown in full only to the owner and the area's leaders."),
        }

    def __init__(self, *args, kind: str, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        own = HARDSHIP_FIELDS if kind == Referral.Kind.HARDSHIP else LEGAL_AID_FIELDS
        for name in list(self.fields):
            if name not in own and name not in COMMON_FIELDS:
                del self.fields[name]
        for name in REQUIRED[kind]:
            self.fields[name].required = True
        self.fields["worker_name"].required = True
        if not self.is_bound:
            self.initial.setdefault("worker_name", concern.worker_name)
            self.initial.setdefault("worker_phone", concern.worker_phone)
            if kind == Referral.Kind.LEGAL_AID:
                self.initial.setdefault("employer", concern.enterprise.name if concern.enterprise else "")
                self.initial.setdefault("workers_concerned", concern.workers_affected)

    def clean_worker_phone(self):
        return clean_phone(self.cleaned_data["worker_phone"])


class ReferralTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Referral.Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Outcome or reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of referral"), choices=[("", _("All"))] + Referral.Kind.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Referral.Status.choices, required=False
    )
