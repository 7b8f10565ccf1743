"""Problem pages: record, follow up, hand over, escalate, close (首问负责, 限时办结).

Who may do what: anyone who can see a problem opens it (Concern.objects.visible_to; out of
scope is 404). The owner changes its status, edits and escalates it; the owner or a leader
in scope hands it over or deletes it. A cadre who handed a problem over keeps reading it.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lib.ids import parse_id
from lib.pagination import CappedPaginator, capped_count
from unions.access import cadre_required

from .. import services
from ..filters.concerns import ConcernFilter
from ..forms.concerns import ConcernForm, ConcernUpdateForm, EscalateForm, HandoverForm, TransitionForm
from ..models import CategoryTimeLimit, Concern, Visit
from .visits import ledger_query

PAGE_SIZE = 25
PENDING_SHOWN = 50  # my problems: the first to fall due; the problem list has the rest


def _get_concern_for_user(request, pk: int) -> Concern:
    return get_object_or_404(Concern.objects.visible_to(request.cadre).for_detail(), pk=pk)


def _require_owner(request, concern: Concern) -> None:
    if not concern.is_actionable_by(request.cadre):
        raise PermissionDenied(_("Only the problem's owner can do this."))


def _apply(request, form, pk: int, write, done, **data):
    """Run one write on the problem and say `done` (a message, or a function of the written
    problem). Returns (the written problem, or None, and the problem to show again): a refusal
    becomes the form's error; a stale write keeps the user's text, points the form at the
    current version and shows the current record."""
    try:
        updated = write(expected_version=form.cleaned_data["version"], **data)
        messages.success(request, done(updated) if callable(done) else done)
        return updated, None
    except services.Conflict:
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
        return None, concern
    except ValidationError as error:
        form.add_error(None, error)
        return None, None


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
    phone_visible = concern.phone_visible_to(cadre)
    context = {
        "concern": concern,
        "events": concern.events.all(),
        "referrals": concern.referrals.all(),
        "phone": concern.worker_phone if phone_visible else concern.masked_phone,
        "history": concern.history_entries(phone_visible=phone_visible),
        "is_owner": is_owner,
        "transition_forms": _transition_forms(concern, transition) if is_owner else [],
        "can_edit": concern.is_editable_by(cadre),
        "can_delete": concern.can_delete(cadre),
        "time_limit": concern.time_limit(CategoryTimeLimit.objects.lookup([concern.town])),
    }
    if concern.can_hand_over(cadre):
        context["handover_form"] = handover or HandoverForm(
            cadre=cadre, concern=concern, auto_id="id_handover_%s"
        )
    if concern.is_editable_by(cadre):
        context["escalate_form"] = escalate or EscalateForm(concern=concern, auto_id="id_escalate_%s")
    return render(request, "outreach/concern_detail.html", context, status=status)


@cadre_required
def concern_list(request):
    """Problems in the user's scope, filterable (the leaders' overview)."""
    cadre = request.cadre
    qs = Concern.objects.visible_to(cadre).for_list().order_by("due_date", "id")
    filterset = ConcernFilter(request.GET or None, queryset=qs, cadre=cadre)
    page = CappedPaginator(filterset.qs, PAGE_SIZE, ids_first=True).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/concern_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "today": timezone.localdate(),
            "filtered": bool(request.GET),
            "ledger_query": ledger_query(request),
        },
    )


@cadre_required
def concern_mine(request):
    """My problems: the pending ones by deadline (overdue first), then the finished ones."""
    cadre = request.cadre
    qs = Concern.objects.alive().filter(owner=cadre).for_list()
    pending = qs.pending().order_by("due_date", "id")
    finished = qs.finished().order_by("-updated_at", "-id")
    page = CappedPaginator(finished, PAGE_SIZE).get_page(request.GET.get("page"))
    pending_count, pending_more = capped_count(pending)
    context = {
        "pending": list(pending[:PENDING_SHOWN]),
        "pending_count": pending_count,
        "pending_more": pending_more,
        "page_obj": page,
        "today": timezone.localdate(),
    }
    return render(request, "outreach/concern_mine.html", context)


@cadre_required
def concern_detail(request, pk: int):
    return _render_detail(request, _get_concern_for_user(request, pk))


@cadre_required
def concern_create(request):
    """Record a problem on its own page, or for a visit the user may see (?visit=<id>)."""
    cadre = request.cadre
    visit = None
    if request.GET.get("visit"):
        visit_id = parse_id(request.GET["visit"])
        if visit_id is None:
            raise Http404
        visit = get_object_or_404(
            Visit.objects.visible_to(cadre).select_related("host_enterprise", "host_union"), pk=visit_id
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
    if not concern.is_editable_by(request.cadre):
        messages.error(request, _("A closed problem can no longer be edited."))
        return redirect(concern)
    form = ConcernUpdateForm(request.POST or None, instance=concern)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        write = partial(services.concern_update, concern=concern, actor=request.cadre)
        updated, shown = _apply(request, form, pk, write, _("Problem updated."), **changes)
        if updated:
            return redirect(updated)
        concern = shown or concern
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
        fields = {k: data[k] for k in ("to_status", "note", "callback_note", "satisfaction")}
        write = partial(services.concern_transition, concern=concern, actor=request.cadre)
        updated, shown = _apply(request, form, pk, write, _status_changed, **fields)
        if updated:
            return redirect(updated)
        concern = shown or concern
    if form.data.get("to_status") not in concern.allowed_transitions():
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render_detail(request, concern, transition=form, status=400)


def _status_changed(concern: Concern) -> str:
    return _("Status changed to “%(status)s”.") % {"status": concern.get_status_display()}


def _handed_over(concern: Concern) -> str:
    return _(
        "Handed over to %(name)s, who now owns the problem and finds it under "
        "“My problems”. You can still open it here to follow it up."
    ) % {"name": concern.owner.name}


@require_POST
@cadre_required
def concern_handover(request, pk: int):
    concern = _get_concern_for_user(request, pk)
    if not concern.can_hand_over(request.cadre):
        raise PermissionDenied(_("Only the owner or a leader can hand this problem over."))
    form = HandoverForm(request.POST, cadre=request.cadre, concern=concern, auto_id="id_handover_%s")
    if form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("to_owner", "reason")}
        write = partial(services.concern_handover, concern=concern, actor=request.cadre)
        updated, shown = _apply(request, form, pk, write, _handed_over, **fields)
        if updated:
            if Concern.objects.visible_to(request.cadre).filter(pk=updated.pk).exists():
                return redirect(updated)
            return redirect("outreach:concern_mine")
        concern = shown or concern
    return _render_detail(request, concern, handover=form, status=400)


@require_POST
@cadre_required
def concern_escalate(request, pk: int):
    concern = _get_concern_for_user(request, pk)
    _require_owner(request, concern)
    form = EscalateForm(request.POST, concern=concern, auto_id="id_escalate_%s")
    if form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("escalated_to", "note")}
        write = partial(services.concern_escalate, concern=concern, actor=request.cadre)
        updated, shown = _apply(request, form, pk, write, _("Escalation recorded."), **fields)
        if updated:
            return redirect(updated)
        concern = shown or concern
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
