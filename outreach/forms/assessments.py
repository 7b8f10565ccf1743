"""The leader's appraisal and grade of a cadre's quarter or year (效能考评)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Assessment

APPRAISAL_MAX = 2000


class AssessmentForm(forms.ModelForm):
    SAVE, SIGN = "save", "sign"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Assessment
        fields = ["appraisal", "grade"]
        widgets = {"appraisal": forms.Textarea(attrs={"rows": 2, "maxlength": APPRAISAL_MAX})}

    def clean_appraisal(self):
        text = self.cleaned_data["appraisal"].strip()
        if len(text) > APPRAISAL_MAX:
            raise forms.ValidationError(
                _("Keep the appraisal under %(max)d characters.") % {"max": APPRAISAL_MAX}, code="too_long"
            )
        return text
