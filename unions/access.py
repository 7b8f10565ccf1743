"""Who may use the app's pages: login plus a cadre profile. Scope rules live on Cadre."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Cadre


def cadre_for(user) -> Cadre | None:
    """The active cadre profile of a user, with its unit, cached on the user object."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cadre_cache"):
        user._cadre_cache = (
            Cadre.objects.select_related("unit", "unit__parent").filter(user=user, is_active=True).first()
        )
    return user._cadre_cache


def _no_profile(request):
    return render(
        request,
        "unions/no_profile.html",
        {
            "message": _(
                "Your account is not linked to an active cadre profile. Ask the headquarters office to set it up."
            )
        },
        status=403,
    )


def cadre_required(view):
    """login_required, then request.cadre set to the user's cadre (403 page if none)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.cadre = cadre_for(request.user)
        if request.cadre is None:
            return _no_profile(request)
        return view(request, *args, **kwargs)

    return wrapper


def leader_required(view):
    """Like cadre_required, for pages that only leaders and admins see."""

    @cadre_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.cadre.is_leader:
            raise PermissionDenied(_("Only leaders can open this page."))
        return view(request, *args, **kwargs)

    return wrapper
