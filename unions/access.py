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


class SubtreeAdminMixin:
    """Delegated administration: a staff member who is not a superuser (a city's or district's
    admin) sees and edits in the Django admin only the rows of his or her own subtree, and picks
    units only from it. `scope_field` leads from the model to its unit ("" for the unit itself).
    Another branch's row is not found (the admin's "does not exist" page)."""

    scope_field = "unit"

    def delegated_unit_ids(self, request) -> list[int] | None:
        """None for the whole tree (a superuser, or an office account with no cadre profile, as
        before the tree); else the ids of the delegated admin's subtree (none for an inactive
        profile). Queries once per request."""
        if request.user.is_superuser or not hasattr(request.user, "cadre"):
            return None
        cadre = cadre_for(request.user)
        return cadre.scope_unit_ids if cadre else []

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = self.delegated_unit_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.scope_field}__in" if self.scope_field else "pk__in": ids})

    def _limit_units(self, db_field, request, kwargs) -> None:
        from .models import DistrictUnion

        ids = self.delegated_unit_ids(request)
        if ids is not None and db_field.related_model is DistrictUnion:
            kwargs["queryset"] = DistrictUnion.objects.filter(pk__in=ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit_units(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit_units(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
