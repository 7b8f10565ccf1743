"""Referral pages (转介): open one from a problem, follow it, and export the aid system's rows.

Anyone who may open the problem opens its referrals (another town: 404). The personal data
is shown in full only to the owner and the unit's leaders; every opening by someone else is
logged (ReferralAccess, in the admin). The owner refers; the unit's leaders accept and decide.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lib.pagination import CappedPaginator
from unions.access import cadre_required, leader_required

from .. import services
from ..exports import referral_workbook
from ..forms.referrals import ReferralFilterForm, ReferralForm, ReferralTransitionForm
from ..models import Concern, Referral, ReferralAccess

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 25

ACTIONS = {
    Referral.Status.ACCEPTED: gettext_lazy("Accept"),
    Referral.Status.HELPED: gettext_lazy("Helped: record the outcome"),
    Referral.Status.NOT_ELIGIBLE: gettext_lazy("Not eligible"),
}


def _get_referral_for_user(request, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.cadre).for_list().select_related("concern__visit"), pk=pk
    )


def _render_detail(request, referral: Referral, *, bound=None, status=200):
    cadre = request.cadre
    shown = referral.personal_data_visible_to(cadre)
    forms = []
    if referral.can_decide(cadre):
        for to_status in referral.allowed_transitions():
            form = bound if bound is not None and bound.data.get("to_status") == to_status else None
            form = form or ReferralTransitionForm(
                initial={"to_status": to_status, "version": referral.version}, auto_id=f"id_{to_status}_%s"
            )
            forms.append({"to_status": to_status, "title": ACTIONS[to_status], "form": form})
    context = {
        "referral": referral,
        "shown": shown,
        "name": referral.worker_name if shown else referral.masked_name,
        "phone": referral.worker_phone if shown else referral.masked_phone,
        "transition_forms": forms,
    }
    return render(request, "outreach/referral_detail.html", context, status=status)


@cadre_required
def referral_detail(request, pk: int):
    referral = _get_referral_for_user(request, pk)
    services.referral_access_log(referrals=[referral], cadre=request.cadre, action=ReferralAccess.Action.VIEW)
    return _render_detail(request, referral)


@cadre_required
def concern_refer(request, pk: int):
    """The owner refers the problem: ?kind=hardship|legal_aid chooses the fields."""
    concern = get_object_or_404(Concern.objects.visible_to(request.cadre).for_list(), pk=pk)
    if not concern.is_editable_by(request.cadre):
        raise PermissionDenied(_("Only the problem's owner can refer a problem that is not closed."))
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in Referral.Kind.values:
        kind = (
            Referral.Kind.LEGAL_AID
            if concern.category == Concern.Category.LEGAL_AID
            else Referral.Kind.HARDSHIP
        )
    form = ReferralForm(request.POST or None, kind=kind, concern=concern)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_open(
                concern=concern, actor=request.cadre, kind=kind, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Referral submitted: the unit's leaders accept it and record the outcome.")
            )
            return redirect(referral)
    context = {"form": form, "concern": concern, "kind": kind, "kind_label": Referral.Kind(kind).label}
    return render(request, "outreach/referral_form.html", context, status=400 if form.errors else 200)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@cadre_required
def referral_transition(request, pk: int):
    referral = _get_referral_for_user(request, pk)
    if not referral.can_decide(request.cadre):
        raise PermissionDenied(_("Only the unit's leaders accept and decide referrals."))
    target = request.POST.get("to_status", "")
    target = target if target in Referral.Status.values else "status"  # never echo raw input into auto_id
    form = ReferralTransitionForm(request.POST, auto_id=f"id_{target}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.referral_transition(
                referral=referral,
                actor=request.cadre,
                to_status=data["to_status"],
                note=data["note"],
                expected_version=data["version"],
            )
        except services.Conflict:
            messages.error(request, _("Someone else decided this referral meanwhile: check it again."))
            return redirect(referral)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Referral: %(status)s.") % {"status": updated.get_status_display()})
            return redirect(updated)
    for error in form.non_field_errors():
        messages.error(request, error)
    return _render_detail(request, referral, bound=form, status=400)


def _filtered(request):
    form = ReferralFilterForm(request.GET or None)
    qs = Referral.objects.visible_to(request.cadre).for_list()
    if form.is_valid():
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
    return form, qs


@cadre_required
def referral_list(request):
    form, qs = _filtered(request)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.shown = referral.personal_data_visible_to(request.cadre)
    return render(
        request,
        "outreach/referral_list.html",
        {"filter_form": form, "page_obj": page, "query": request.GET.urlencode()},
    )


@leader_required
def referral_xlsx(request):
    """The rows an office uploads to the aid system, one sheet per kind, in full (leaders see
    the personal data of their area); each exported referral is logged. Three queries."""
    form, qs = _filtered(request)
    referrals = list(qs.order_by("created_at", "id"))
    services.referral_access_log(
        referrals=referrals, cadre=request.cadre, action=ReferralAccess.Action.EXPORT
    )
    response = HttpResponse(referral_workbook(referrals), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="referrals-{stamp}.xlsx"'
    return response
