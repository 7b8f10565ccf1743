"""A leader's review of a submitted visit: mark it reviewed, or return it with the reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .visits import SHORT_TEXT_MAX


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Review comment"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": SHORT_TEXT_MAX}),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": SHORT_TEXT_MAX}),
        error_messages={"required": _("Say what the cadre should change.")},
    )
