from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..models import Cadre
from ..validators import validate_phone


class AccountForm(forms.Form):
    """My account: the name and phone of the cadre profile, the login's e-mail address."""

    name = forms.CharField(label=_("name"), max_length=Cadre._meta.get_field("name").max_length)
    phone = forms.CharField(
        label=_("phone"),
        max_length=Cadre._meta.get_field("phone").max_length,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("e-mail"),
        required=False,
        help_text=_("Reminders and password-reset links are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk)
        if email and taken.exists():
            raise forms.ValidationError(
                _("Another login already uses this e-mail address."), code="email_taken"
            )
        return email
