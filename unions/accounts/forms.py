from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from lib.ids import RangeCheckedModelChoiceField

from ..models import Cadre, DistrictUnion
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


class CadreInviteForm(forms.Form):
    """A leader adds a cadre to a unit of his or her scope; the cadre gets an invitation."""

    name = forms.CharField(label=_("name"), max_length=Cadre._meta.get_field("name").max_length)
    unit = RangeCheckedModelChoiceField(label=_("unit"), queryset=DistrictUnion.objects.none())
    post = forms.CharField(
        label=_("post"), max_length=Cadre._meta.get_field("post").max_length, required=False
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=Cadre._meta.get_field("phone").max_length,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("e-mail"),
        required=False,
        help_text=_("The invitation is mailed here. Without an address, print the activation sheet."),
    )
    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Blank: the phone number is the login name."),
    )
    role = forms.ChoiceField(
        label=_("role"),
        choices=[(Cadre.Role.CADRE, Cadre.Role.CADRE.label), (Cadre.Role.LEADER, Cadre.Role.LEADER.label)],
    )

    def __init__(self, *args, leader: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = leader.scope_units().order_by("path")
        self.fields["unit"].initial = leader.unit_id

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Another login already uses this e-mail address."), code="email_taken"
            )
        return email

    def clean(self):
        data = super().clean()
        username = data.get("username") or data.get("phone")
        if not username:
            if "username" not in self.errors:
                self.add_error(
                    "username",
                    forms.ValidationError(_("Write a login name or a phone number."), code="no_login"),
                )
            return data
        if get_user_model().objects.filter(username=username).exists():
            self.add_error(
                "username" if data.get("username") else "phone",
                forms.ValidationError(
                    _("The login name “%(name)s” is taken: write another one."),
                    code="login_taken",
                    params={"name": username},
                ),
            )
        data["username"] = username
        return data
