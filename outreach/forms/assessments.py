"""The leader's appraisal and grade of a cadre's quarter or year (效能考评)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Assessment, AssessmentGrade

APPRAISAL_MAX = 2000


class AssessmentForm(forms.ModelForm):
    SAVE, SIGN = "save", "sign"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Assessment
        fields = ["appraisal", "grade"]
        widgets = {"appraisal": forms.Textarea(attrs={"rows": 2, "maxlength": APPRAISAL_MAX})}

    def __init__(
        self, *args, grades: list[AssessmentGrade], suggested: AssessmentGrade | None = None, **kwargs
    ):
        """grades: the offered ones, best first, read once for the whole sheet (one form per cadre
        must not query them again). A retired grade already given stays selectable."""
        super().__init__(*args, **kwargs)
        field = self.fields["grade"]
        field.to_field_name = "code"
        field.queryset = AssessmentGrade.objects.filter(
            Q(is_active=True) | Q(code=self.instance.grade_id or "")
        )
        offered = [(g.code, g.name) for g in grades]
        if self.instance.grade_id and self.instance.grade_id not in dict(offered):
            offered.append((self.instance.grade_id, self.instance.grade.name))
        field.choices = [("", _("— choose a grade —")), *offered]
        if suggested is not None and not self.instance.grade_id and not self.is_bound:
            self.initial["grade"] = suggested.code

    def clean_appraisal(self):
        text = self.cleaned_data["appraisal"].strip()
        if len(text) > APPRAISAL_MAX:
            raise forms.ValidationError(
                _("Keep the appraisal under %(max)d characters.") % {"max": APPRAISAL_MAX}, code="too_long"
            )
        return text
