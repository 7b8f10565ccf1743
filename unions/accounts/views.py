"""A user's own account: details, password change, password reset by e-mail, activation."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from lib import ratelimit
from lib.lockout import client_address

from ..access import cadre_for, cadre_required
from . import services
from .forms import AccountForm
from .links import site_url
from .tokens import invitation_tokens

log = logging.getLogger("outreach.security")


@cadre_required
def account(request):
    """My account: name, phone and e-mail; links to the password change."""
    cadre = request.cadre
    initial = {"name": cadre.name, "phone": cadre.phone, "email": request.user.email}
    form = AccountForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_update(cadre=cadre, **form.cleaned_data)
        messages.success(request, _("Your account details were saved."))
        return redirect("account")
    return render(
        request, "accounts/account.html", {"form": form, "cadre": cadre}, status=400 if form.errors else 200
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_chosen(cadre=cadre_for(self.request.user))
        return response

    def get_context_data(self, **kwargs):
        cadre = cadre_for(self.request.user)
        return super().get_context_data(forced=bool(cadre and cadre.must_change_password), **kwargs)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, at most PASSWORD_RESET_RATE requests an hour per address and
    per e-mail. Known, unknown and refused addresses all get the same answer (the done page)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    html_email_template_name = "accounts/password_reset_email.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        limit = settings.PASSWORD_RESET_RATE
        by_address = ratelimit.hit("password_reset:address", client_address(self.request) or "-", limit=limit)
        by_email = ratelimit.hit("password_reset:email", email, limit=limit)
        if not (by_address and by_email):
            log.warning("password reset refused (rate limit) from %s", client_address(self.request))
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"site_url": site_url(self.request)}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_chosen(cadre=getattr(self.user, "cadre", None))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ActivateView(PasswordResetConfirmView):
    """The invitation link: sets the first password of a login that has none, once."""

    template_name = "accounts/activate.html"
    token_generator = invitation_tokens
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # Only a login that never had a password of its own (and is active) can be activated.
        if user is None or user.has_usable_password() or not user.is_active:
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Your account is active. Log in with your login name and the new password.")
        )
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(login_name=self.user.get_username() if self.user else "", **kwargs)
