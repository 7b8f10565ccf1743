"""After an administrator set a password, the user chooses his or her own before anything else."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from ..access import cadre_for

# The pages a user with a password to change may still open.
ALLOWED_URL_NAMES = {"password_change", "password_change_done", "logout", "set_language", "favicon"}


class PasswordChangeRequiredMiddleware:
    """Sends a cadre whose `must_change_password` is set to password_change.

    cadre_for() caches the profile on the user, so the pages that show it pay no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        if request.resolver_match.url_name in ALLOWED_URL_NAMES:
            return None
        cadre = cadre_for(request.user)
        if cadre is None or not cadre.must_change_password:
            return None
        return redirect(f"{reverse('password_change')}?{urlencode({'next': request.get_full_path()})}")
