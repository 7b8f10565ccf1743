"""Who an API request acts as, and what a token may do. Scope itself lives in unions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from unions.access import cadre_for

from .models import ApiToken


def is_token(request) -> bool:
    return isinstance(request.auth, ApiToken)


class ActsAsCadre(permissions.BasePermission):
    """Sets request.cadre: the session user's active cadre profile, or the token's reader.
    A token reads only: visits and problems are recorded by cadres in the app."""

    message = _(
        "Your account is not linked to an active cadre profile. Ask the headquarters office to set it up."
    )

    def has_permission(self, request, view) -> bool:
        if is_token(request):
            if request.method not in permissions.SAFE_METHODS:
                self.message = _("A system token can only read. Visits and problems are recorded by cadres.")
                return False
            request.cadre = request.auth.as_reader()
            return True
        request.cadre = cadre_for(request.user)
        return request.cadre is not None


class LeadersOnly(permissions.BasePermission):
    message = _("Only leaders can open this page.")

    def has_permission(self, request, view) -> bool:
        return request.cadre.is_leader


class CadresOnly(permissions.BasePermission):
    """What only a cadre in the app uses (the offline app's hosts and photo uploads)."""

    message = _("This is for cadres in the app, not for a system token.")

    def has_permission(self, request, view) -> bool:
        return not is_token(request)
