"""Problem pages: record, follow up, hand over, escalate, close (首问负责, 限时办结).

Who may do what: anyone who can see a problem opens it (Concern.objects.visible_to; out of
scope is 404). The owner changes its status, edits and escalates it; the owner or a leader
in scope hands it over or deletes it. A cadre who handed a problem over keeps reading it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from unions.access import cadre_required

from . import services
from .filters_concerns import ConcernFilter
from .forms_concerns import ConcernForm, ConcernUpdateForm, EscalateForm, HandoverForm, TransitionForm
from .models import Concern, ConcernEvent, Visit

PAGE_SIZE = 25


def _get_concern_for_user(request, pk: int) -> Concern:
    events = ConcernEvent.objects.select_related("actor", "from_owner", "to_owner")
    qs = (
        Concern.objects.visible_to(request.cadre)
        .select_related("enterprise", "town", "owner__unit", "received_by__unit", "visit")
        .prefetch_related(Prefetch("events", queryset=events))
    )
    return get_object_or_404(qs, pk=pk)


def _require_owner(request, concern: Concern) -> None:
    if not concern.is_actionable_by(request.cadre):
        raise PermissionDenied(_("Only the problem's owner can do this."))


def _conflict(request, form, pk: int) -> Concern:
    """A stale write: keep the user's text, point the form at the current version, show the
    current record."""
    concern = _get_concern_for_user(request, pk)
    form.data = form.data.copy()
    form.data["version"] = concern.version
    messages.error(
        request,
        _(
            "Someone else changed this problem while you were editing. Your text is kept below: "
            "check the current record and save again."
        ),
    )
    return concern


# (target status, button title, fields shown); the service enforces which texts are required.
TRANSITION_ACTIONS = {
    Concern.Status.IN_PROGRESS: (gettext_lazy("Start work on it"), ["note"]),
    Concern.Status.RESOLVED: (gettext_lazy("Mark as resolved"), ["note"]),
    Concern.Status.CLOSED: (gettext_lazy("Close after the call-back"), ["callback_note", "satisfaction"]),
}


def _transition_forms(concern: Concern, bound: TransitionForm | None) -> list[dict]:
    forms = []
    for to_status in concern.allowed_transitions():
        if bound is not None and bound.data.get("to_status") == to_status:
            form = bound
        else:
            form = TransitionForm(
                initial={"to_status": to_status, "version": concern.version}, auto_id=f"id_{to_status}_%s"
            )
        title, fields = TRANSITION_ACTIONS[to_status]
        if to_status == Concern.Status.IN_PROGRESS and concern.status == Concern.Status.RESOLVED:
            title = _("Send back to work")
        forms.append({"to_status": to_status, "title": title, "form": form, "fields": fields})
    return forms


def _render_detail(request, concern: Concern, *, transition=None, handover=None, escalate=None, status=200):
    cadre = request.cadre
    is_owner = concern.is_actionable_by(cadre)
    context = {
        "concern": concern,
        "events": concern.events.all(),
        "phone": concern.phone_for(cadre),
        "is_owner": is_owner,
        "is_overdue": concern.is_overdue(timezone.localdate()),
        "transition_forms": _transition_forms(concern, transition) if is_owner else [],
        "can_edit": is_owner and concern.status != Concern.Status.CLOSED,
        "can_delete": concern.can_delete(cadre),
    }
    if concern.can_hand_over(cadre):
        context["handover_form"] = handover or HandoverForm(
            cadre=cadre, concern=concern, auto_id="id_handover_%s"
        )
    if is_owner and concern.status != Concern.Status.CLOSED:
        context["escalate_form"] = escalate or EscalateForm(concern=concern, auto_id="id_escalate_%s")
    return render(request, "outreach/concern_detail.html", context, status=status)


@cadre_required
def concern_list(request):
    """Problems in the user's scope, filterable (the leaders' overview)."""
    cadre = request.cadre
    qs = Concern.objects.visible_to(cadre).for_list().order_by("due_date", "id")
    filterset = ConcernFilter(request.GET or None, queryset=qs, cadre=cadre)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/concern_list.html",
        {"filter": filterset, "page_obj": page, "today": timezone.localdate(), "filtered": bool(request.GET)},
    )


@cadre_required
def concern_mine(request):
    """My problems: the pending ones by deadline (overdue first), then the finished ones."""
    cadre = request.cadre
    qs = Concern.objects.alive().filter(owner=cadre).for_list()
    pending = qs.pending().order_by("due_date", "id")
    finished = qs.exclude(status__in=[Concern.Status.OPEN, Concern.Status.IN_PROGRESS]).order_by(
        "-updated_at", "-id"
    )
    page = Paginator(finished, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/concern_mine.html",
        {"pending": pending, "page_obj": page, "today": timezone.localdate()},
    )


@cadre_required
def concern_detail(request, pk: int):
    return _render_detail(request, _get_concern_for_user(request, pk))


@cadre_required
def concern_create(request):
    """Record a problem on its own page, or for a visit the user may see (?visit=<id>)."""
    cadre = request.cadre
    visit = None
    visit_id = request.GET.get("visit", "")
    if visit_id:
        if not visit_id.isdigit():
            raise Http404
        visit = get_object_or_404(
            Visit.objects.visible_to(cadre).select_related("host_enterprise", "host_union"), pk=int(visit_id)
        )
    form = ConcernForm(request.POST or None, cadre=cadre, visit=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.concern_create(received_by=cadre, visit=visit, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Problem recorded. You own it (首问负责); deadline %(due)s.")
                % {"due": f"{concern.due_date:%Y-%m-%d}"},
            )
            return redirect(concern)
    return render(request, "outreach/concern_form.html", {"form": form, "visit": visit, "is_create": True})


@cadre_required
def concern_update(request, pk: int):
    concern = _get_concern_for_user(request, pk)
    _require_owner(request, concern)
    if concern.status == Concern.Status.CLOSED:
        messages.error(request, _("A closed problem can no longer be edited."))
        return redirect(concern)
    form = ConcernUpdateForm(request.POST or None, instance=concern)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.concern_update(concern=concern, actor=request.cadre, expected_version=version, **data)
        except services.ConcernConflict:
            concern = _conflict(request, form, pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Problem updated."))
            return redirect(concern)
    return render(
        request, "outreach/concern_form.html", {"form": form, "concern": concern, "is_create": False}
    )


@require_POST
@cadre_required
def concern_transition(request, pk: int):
    concern = _get_concern_for_user(request, pk)
    _require_owner(request, concern)
    target = request.POST.get("to_status", "")
    target = target if target in Concern.Status.values else "status"  # never echo raw input into auto_id
    form = TransitionForm(request.POST, auto_id=f"id_{target}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.concern_transition(
                concern=concern,
                actor=request.cadre,
                to_status=data["to_status"],
                note=data["note"],
                callback_note=data["callback_note"],
                satisfaction=data["satisfaction"],
                expected_version=data["version"],
            )
        except services.ConcernConflict:
            concern = _conflict(request, form, pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Status changed to “%(status)s”.") % {"status": updated.get_status_display()}
            )
            return redirect(updated)
    if form.data.get("to_status") not in concern.allowed_transitions():
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render_detail(request, concern, transition=form, status=400)


@require_POST
@cadre_required
def concern_handover(request, pk: int):
    concern = _get_concern_for_user(request, pk)
    if not concern.can_hand_over(request.cadre):
        raise PermissionDenied(_("Only the owner or a leader can hand this problem over."))
    form = HandoverForm(request.POST, cadre=request.cadre, concern=concern, auto_id="id_handover_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.concern_handover(
                concern=concern,
                actor=request.cadre,
                to_owner=data["to_owner"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except services.ConcernConflict:
            concern = _conflict(request, form, pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Handed over to %(name)s, who now owns the problem and finds it under "
                    "“My problems”. You can still open it here to follow it up."
                )
                % {"name": updated.owner.name},
            )
            if Concern.objects.visible_to(request.cadre).filter(pk=updated.pk).exists():
                return redirect(updated)
            return redirect("outreach:concern_mine")
    return _render_detail(request, concern, handover=form, status=400)


@require_POST
@cadre_required
def concern_escalate(request, pk: int):
    concern = _get_concern_for_user(request, pk)
    _require_owner(request, concern)
    form = EscalateForm(request.POST, concern=concern, auto_id="id_escalate_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.concern_escalate(
                concern=concern,
                actor=request.cadre,
                escalated_to=data["escalated_to"],
                note=data["note"],
                expected_version=data["version"],
            )
        except services.ConcernConflict:
            concern = _conflict(request, form, pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Escalation recorded."))
            return redirect(concern)
    return _render_detail(request, concern, escalate=form, status=400)


@cadre_required
def concern_delete(request, pk: int):
    """GET asks for confirmation; POST deletes (softly: an administrator can restore it)."""
    concern = _get_concern_for_user(request, pk)
    if not concern.can_delete(request.cadre):
        raise PermissionDenied(_("Only the owner or a leader can delete this problem."))
    if request.method == "POST":
        services.concern_delete(concern=concern, actor=request.cadre)
        messages.success(request, _("Problem deleted. An administrator can restore it if needed."))
        return redirect("outreach:concern_list" if request.cadre.is_leader else "outreach:concern_mine")
    return render(request, "outreach/concern_confirm_delete.html", {"concern": concern})
