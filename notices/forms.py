from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Notice, NoticePreference

MAILABLE = [(kind.value, kind.label) for kind in Notice.Kind if kind != Notice.Kind.DAILY_DIGEST]


class PreferenceForm(forms.ModelForm):
    """The kinds to e-mail as check boxes (stored as the kinds left out, so that a kind added
    later is mailed by default)."""

    mailed = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        choices=MAILABLE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notice stays in the inbox whatever you choose here."),
    )

    class Meta:
        model = NoticePreference
        fields = ["daily_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailed"].initial = [k for k, _label in MAILABLE if k not in self.instance.muted_kinds]
        self.order_fields(["mailed", "daily_digest"])

    def save(self, commit: bool = True) -> NoticePreference:
        chosen = set(self.cleaned_data["mailed"])
        self.instance.muted_kinds = [k for k, _label in MAILABLE if k not in chosen]
        return super().save(commit)
