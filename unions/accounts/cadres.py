"""Delegated user management: a leader invites, re-invites and deactivates the cadres of his or
her scope (a town leader the town's, a district leader the district's). Another unit's cadre: 404."""

import datetime
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.pagination import CappedPaginator

from ..access import cadre_required, leader_required
from ..models import Cadre
from . import services
from .forms import CadreInviteForm
from .invitations import activation_sheet, can_invite, invitation_send
from .sheet import sheet_xlsx


def _get_cadre_for_leader(request, pk: int) -> Cadre:
    """A cadre of the user's scope (404 otherwise, whoever asks), then: leaders only, and only an
    admin manages an admin (403)."""
    cadre = get_object_or_404(Cadre.objects.visible_to(request.cadre).select_related("user", "unit"), pk=pk)
    if not request.cadre.is_leader:
        raise PermissionDenied(_("Only leaders can open this page."))
    if cadre.is_admin and not request.cadre.is_admin:
        raise PermissionDenied(_("Only the headquarters office manages administrators."))
    return cadre


@leader_required
def cadre_list(request):
    """The cadres of the leader's scope: active or not, activated or still invited."""
    qs = (
        Cadre.objects.visible_to(request.cadre)
        .select_related("user", "unit")
        .order_by("-is_active", "unit__code", "name", "pk")
    )
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "unions/cadre_list.html", {"page_obj": page})


@leader_required
def cadre_invite(request):
    """Add a cadre: a login without a password, and the invitation by mail (or on the sheet)."""
    form = CadreInviteForm(request.POST or None, leader=request.cadre)
    if request.method == "POST" and form.is_valid():
        cadre, mailed = services.cadre_invite(**form.cleaned_data, request=request)
        if mailed:
            messages.success(
                request,
                _("%(name)s was added; the invitation was mailed to %(email)s.")
                % {"name": cadre.name, "email": cadre.user.email},
            )
        else:
            messages.success(
                request,
                _("%(name)s was added. No e-mail address: print the activation sheet and hand it over.")
                % {"name": cadre.name},
            )
        return redirect("unions:cadre_list")
    return render(request, "unions/cadre_form.html", {"form": form}, status=400 if form.errors else 200)


@cadre_required
@require_POST
def cadre_reinvite(request, pk: int):
    """A new invitation for a cadre who has not activated the account yet."""
    cadre = _get_cadre_for_leader(request, pk)
    if not can_invite(cadre):
        messages.error(
            request,
            _(
                "%(name)s has activated the account already (or is inactive): a forgotten password is reset from the login page."
            )
            % {"name": cadre.name},
        )
    elif invitation_send(cadre=cadre, request=request):
        messages.success(
            request, _("A new invitation was mailed to %(email)s.") % {"email": cadre.user.email}
        )
    else:
        messages.warning(
            request, _("%(name)s has no e-mail address: print the activation sheet.") % {"name": cadre.name}
        )
    return redirect("unions:cadre_list")


@cadre_required
def cadre_deactivate(request, pk: int):
    """Confirm, then deactivate: refused (with the list) while the cadre owns open problems."""
    cadre = _get_cadre_for_leader(request, pk)
    if cadre.pk == request.cadre.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    open_problems = list(cadre.open_problems())
    if request.method == "POST" and cadre.is_active and not open_problems:
        try:
            services.cadre_deactivate(cadre=cadre)
        except services.OpenProblemsError:  # a problem was handed to the cadre meanwhile
            open_problems = list(cadre.open_problems())
        else:
            messages.success(
                request,
                _("%(name)s is deactivated and logged out. Everything recorded stays.")
                % {"name": cadre.name},
            )
            return redirect("unions:cadre_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "unions/cadre_confirm_deactivate.html",
        {"target": cadre, "open_problems": open_problems},
        status=status,
    )


@leader_required
def cadre_sheet(request):
    """The activation sheet of the scope's cadres not yet activated: a page to print, or .xlsx."""
    cadres = (
        Cadre.objects.visible_to(request.cadre)
        .active()
        .select_related("user", "unit")
        .order_by("unit__code", "name", "pk")
    )
    rows = activation_sheet(
        [cadre for cadre in cadres if not cadre.is_admin or request.cadre.is_admin], request
    )
    expires = timezone.localdate() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            sheet_xlsx(rows, expires=expires),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = _("activation sheet") + f"-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    groups = [(unit, list(lines)) for unit, lines in groupby(rows, key=lambda row: row[0].unit)]
    return render(request, "unions/cadre_sheet.html", {"groups": groups, "expires": expires})
