"""Forms of the problem pages (首问负责, 限时办结)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.ids import RangeCheckedModelChoiceField
from lib.months import FIRST_YEAR
from unions.models import Cadre, EnterpriseUnion
from unions.validators import validate_phone

from ..models import Concern


def clean_phone(value: str) -> str:
    value = value.strip()
    validate_phone(value)
    return value


class ConcernForm(forms.ModelForm):
    """Record a problem. The enterprise is chosen among the user's district. A problem of a
    visit is received on the visit's date; one received outside a visit on the day entered."""

    class Meta:
        model = Concern
        fields = [
            "category",
            "description",
            "enterprise",
            "received_on",
            "workers_affected",
            "worker_name",
            "worker_phone",
            "answered_on_site",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "worker_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "received_on": _("The day the worker raised it: the deadline counts from this day."),
            "worker_phone": _("Personal data: shown in full only to the owner and the area's leaders."),
        }

    def __init__(self, *args, cadre: Cadre, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers_affected"].required = False
        self.fields["enterprise"].queryset = EnterpriseUnion.objects.hosts_for(cadre)
        self.fields["enterprise"].label_from_instance = lambda e: e.label
        self.fields["enterprise"].widget.attrs["data-picker-type"] = "enterprise"
        if visit is not None:
            del self.fields["received_on"]  # the visit's date
            if visit.host_enterprise_id:
                self.fields["enterprise"].initial = visit.host_enterprise_id
        else:
            self.fields["received_on"].initial = timezone.localdate
            self.fields["received_on"].show_hidden_initial = False
            self.fields["received_on"].required = False  # left empty: received today

    def clean_workers_affected(self):
        value = self.cleaned_data["workers_affected"]
        return 1 if value is None else value  # left empty: one worker

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"] or timezone.localdate()
        if received_on > timezone.localdate():
            raise ValidationError(_("The problem cannot be received in the future."), code="future")
        if received_on.year < FIRST_YEAR:
            raise ValidationError(_("Enter the day the problem was received."), code="too_old")
        return received_on

    def clean_worker_phone(self):
        return clean_phone(self.cleaned_data["worker_phone"])

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(_("Describe the problem."), code="required")
        return description


class ConcernUpdateForm(forms.ModelForm):
    """The owner's corrections; the deadline and the enterprise are not edited here."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Concern
        fields = [
            "category",
            "description",
            "workers_affected",
            "worker_name",
            "worker_phone",
            "answered_on_site",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "worker_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "category": _("Changing the category does not move the deadline."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers_affected"].required = False
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def clean_workers_affected(self):
        # Left empty: the number recorded so far.
        value = self.cleaned_data["workers_affected"]
        return self.instance.workers_affected if value is None else value

    def clean_worker_phone(self):
        return clean_phone(self.cleaned_data["worker_phone"])


class TransitionForm(forms.Form):
    """One status change; which texts are required depends on the target (checked by the service)."""

    to_status = forms.ChoiceField(choices=Concern.Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    callback_note = forms.CharField(
        label=_("Call-back: what the worker said"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    satisfaction = forms.ChoiceField(
        label=_("Worker's satisfaction"),
        choices=Concern.Satisfaction.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class HandoverForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_owner = RangeCheckedModelChoiceField(label=_("Hand over to"), queryset=Cadre.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cadre: Cadre, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_owner"].queryset = (
            Cadre.objects.active()
            .in_units(cadre.district_units())
            .exclude(pk=concern.owner_id)
            .select_related("unit")
            .order_by("unit__name", "name")
        )
        self.fields["to_owner"].label_from_instance = lambda c: f"{c.name}（{c.unit.name}）"
        if not self.is_bound:
            self.fields["version"].initial = concern.version


class EscalateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    escalated_to = forms.CharField(
        label=_("Escalated to"),
        max_length=200,
        help_text=_("The higher union or the government department, e.g. 区人社局劳动监察大队."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = concern.version
