"""Writes on problems (首问负责, 限时办结): each step locks the row, checks its version and
records an event in the problem's timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lib.workdays import add_working_days
from unions.models import Cadre, DistrictUnion, EnterpriseUnion

from ..models import CategoryTimeLimit, Concern, ConcernEvent, Visit, WorkingDayOverride
from .locking import lock_current
from .notices import notice_problem_step


def concern_due_date(*, category: str, received_on: datetime.date, town: DistrictUnion) -> datetime.date:
    """限时办结: the deadline from the time limit of the category that applies to the problem's
    town (its own, a unit's above it, or the default), in working days of China's calendar
    with the admin's overrides. Queries twice."""
    limits = CategoryTimeLimit.objects.lookup([town])
    overrides = WorkingDayOverride.objects.as_map(since=received_on)
    limit = CategoryTimeLimit.applying(limits, town, category)
    return add_working_days(received_on, limit.working_days, overrides)


@dataclass(frozen=True)
class DeadlineMove:
    concern: Concern
    old: datetime.date
    new: datetime.date


@transaction.atomic
def concern_deadlines_recompute(*, dry_run: bool = False) -> list[DeadlineMove]:
    """限时办结 after a change of the calendar (holidays, the admin's overrides) or of the time
    limits: every pending problem's deadline counted again from the day it was received.
    Returns the deadlines that move; with dry_run nothing is written. Each moved problem
    keeps its old deadline in its history. Four queries plus one write per moved problem."""
    pending = list(
        Concern.objects.alive()
        .pending()
        .select_for_update(of=("self",))
        .select_related("visit", "enterprise", "owner", "town")
        .order_by("id")
    )
    if not pending:
        return []
    limits = CategoryTimeLimit.objects.lookup({c.town for c in pending})
    overrides = WorkingDayOverride.objects.as_map(since=min(c.received_on for c in pending))
    moves = []
    for concern in pending:
        limit = CategoryTimeLimit.applying(limits, concern.town, concern.category)
        new = add_working_days(concern.received_on, limit.working_days, overrides)
        if new != concern.due_date:
            moves.append(DeadlineMove(concern, concern.due_date, new))
    if not dry_run:
        for move in moves:
            move.concern.due_date = move.new
            move.concern.version += 1
            move.concern._change_reason = gettext("Deadline recomputed with the working-day calendar")
            move.concern.save(update_fields=["due_date", "version", "updated_at"])
    return moves


@transaction.atomic
def concerns_follow_visit_date(*, visit: Visit) -> int:
    """The visit's date was changed (before review): the problems raised at it were received
    on the new date (never after today), and their deadlines count from it again. Each
    keeps the old dates in its history. Three queries plus one write per problem; returns
    how many moved."""
    concerns = list(
        Concern.objects.alive()
        .filter(visit=visit)
        .select_for_update(of=("self",))
        .select_related("town")
        .order_by("id")
    )
    received_on = min(visit.date, timezone.localdate())
    moving = [c for c in concerns if c.received_on != received_on]
    if not moving:
        return 0
    limits = CategoryTimeLimit.objects.lookup({c.town for c in moving})
    overrides = WorkingDayOverride.objects.as_map(since=received_on)
    for concern in moving:
        concern.received_on = received_on
        limit = CategoryTimeLimit.applying(limits, concern.town, concern.category).working_days
        concern.due_date = add_working_days(received_on, limit, overrides)
        concern.version += 1
        concern._change_reason = gettext("Received date moved with the visit's date")
        concern.save(update_fields=["received_on", "due_date", "version", "updated_at"])
    return len(moving)


@transaction.atomic
def concern_create(
    *,
    received_by: Cadre,
    category: str,
    description: str,
    visit: Visit | None = None,
    enterprise: EnterpriseUnion | None = None,
    worker_name: str = "",
    worker_phone: str = "",
    answered_on_site: bool = False,
    received_on: datetime.date | None = None,
    workers_affected: int = 1,
) -> Concern:
    """首问负责: the cadre who receives a problem owns it; its deadline follows the category
    and counts from the day it was received: the visit's date for a problem raised at a
    visit (however late the visit is typed in), else the day given, else today."""
    if received_on is None:
        today = timezone.localdate()
        received_on = min(visit.date, today) if visit is not None else today
    if enterprise is None and visit is not None:
        enterprise = visit.host_enterprise
    concern = Concern(
        visit=visit,
        category=category,
        description=description,
        enterprise=enterprise,
        worker_name=worker_name,
        worker_phone=worker_phone,
        answered_on_site=answered_on_site,
        workers_affected=workers_affected,
        owner=received_by,
        received_by=received_by,
        received_on=received_on,
    )
    concern.due_date = concern_due_date(
        category=category, received_on=received_on, town=concern.derive_town()
    )
    concern.full_clean()
    concern.save()
    ConcernEvent.objects.create(
        concern=concern,
        kind=ConcernEvent.Kind.CREATED,
        actor=received_by,
        to_owner=received_by,
        to_status=concern.status,
    )
    return concern


# --- Hand-over, escalation, status changes, edits, deletion ---------------------------


def _save_with_event(concern: Concern, *, actor: Cadre, kind: str, **event_fields) -> ConcernEvent:
    concern.version += 1
    concern.full_clean()
    concern.save()
    return ConcernEvent.objects.create(concern=concern, kind=kind, actor=actor, **event_fields)


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


def _required(text: str, message: str, code: str) -> str:
    """The text without surrounding blanks; refused with the message when nothing is left."""
    text = text.strip()
    if not text:
        _refuse(message, code)
    return text


@transaction.atomic
def concern_transition(
    *,
    concern: Concern,
    actor: Cadre,
    to_status: str,
    note: str = "",
    callback_note: str = "",
    satisfaction: str = "",
    expected_version: int | None = None,
) -> Concern:
    """Move a problem along open → in progress → resolved → closed (the owner only).

    Resolving needs the resolution; closing needs the call-back note and the worker's
    satisfaction, and stamps closed_at. Anything else raises ValidationError with a message
    the user can act on.
    """
    fresh = lock_current(concern, expected_version=expected_version)
    Status = Concern.Status
    if fresh.is_deleted:
        _refuse(gettext("This problem has been deleted."), "deleted")
    if fresh.owner_id != actor.pk:
        _refuse(gettext("Only the problem's owner can change its status."), "not_owner")
    if to_status not in Status.values:
        _refuse(gettext("Unknown status."), "unknown_status")
    if to_status not in fresh.allowed_transitions():
        if fresh.status == Status.CLOSED:
            _refuse(
                gettext(
                    "A closed problem cannot be reopened. Record a new problem if the worker raises it again."
                ),
                "closed_is_final",
            )
        if to_status == Status.CLOSED:
            _refuse(
                gettext("Only a resolved problem can be closed: record how it was resolved first."),
                "close_unresolved",
            )
        _refuse(
            gettext("A problem cannot go from “%(from)s” to “%(to)s”.")
            % {"from": fresh.get_status_display(), "to": Status(to_status).label},
            "forbidden_transition",
        )
    note = note.strip()
    now = timezone.now()
    if to_status == Status.RESOLVED:
        fresh.resolution = _required(
            note, gettext("Write how the problem was resolved."), "resolution_required"
        )
        fresh.resolved_at = now
    elif to_status == Status.CLOSED:
        callback_note = _required(
            callback_note, gettext("Write what the worker said on the call-back."), "callback_required"
        )
        if satisfaction not in Concern.Satisfaction.values:
            _refuse(gettext("Choose the worker's satisfaction."), "satisfaction_required")
        fresh.callback_note = callback_note
        fresh.satisfaction = satisfaction
        fresh.closed_at = now
        note = callback_note
    elif to_status == Status.IN_PROGRESS and fresh.status == Status.RESOLVED and not note:
        _refuse(gettext("Say why the problem goes back to work."), "reopen_reason_required")
    from_status, fresh.status = fresh.status, to_status
    step = {"from_status": from_status, "to_status": to_status, "note": note}
    _save_with_event(fresh, actor=actor, kind=ConcernEvent.Kind.STATUS, **step)
    return fresh


@transaction.atomic
def concern_handover(
    *, concern: Concern, actor: Cadre, to_owner: Cadre, reason: str, expected_version: int | None = None
) -> Concern:
    """首问负责 until handed over: the new owner takes the problem; received_by stays on record."""
    fresh = lock_current(concern, expected_version=expected_version)
    if fresh.is_deleted or fresh.status == Concern.Status.CLOSED:
        _refuse(gettext("A closed or deleted problem cannot be handed over."), "not_open")
    if not fresh.can_hand_over(actor):
        _refuse(gettext("Only the owner or a leader can hand this problem over."), "not_owner")
    if to_owner.pk == fresh.owner_id:
        _refuse(gettext("Choose someone other than the current owner."), "same_owner")
    if not to_owner.is_active or to_owner.unit_id not in actor.district_units().values_list("pk", flat=True):
        _refuse(gettext("Choose an active cadre of this district."), "outside_district")
    reason = _required(reason, gettext("Give the reason for the hand-over."), "reason_required")
    from_owner, fresh.owner = fresh.owner, to_owner
    step = {"from_owner": from_owner, "to_owner": to_owner, "note": reason}
    event = _save_with_event(fresh, actor=actor, kind=ConcernEvent.Kind.HANDOVER, **step)
    notice_problem_step(concern=fresh, event=event)
    return fresh


@transaction.atomic
def concern_escalate(
    *, concern: Concern, actor: Cadre, escalated_to: str, note: str = "", expected_version: int | None = None
) -> Concern:
    """Refer the problem to the higher union or a government department; the owner keeps following it."""
    fresh = lock_current(concern, expected_version=expected_version)
    if not fresh.is_editable_by(actor):
        _refuse(gettext("Only the owner can escalate a problem that is not closed."), "not_owner")
    fresh.escalated_to = escalated_to = _required(
        escalated_to, gettext("Say to whom the problem is escalated."), "escalated_to_required"
    )
    event_note = gettext("Escalated to %(to)s.") % {"to": escalated_to}
    if note.strip():
        event_note += " " + note.strip()
    event = _save_with_event(fresh, actor=actor, kind=ConcernEvent.Kind.ESCALATED, note=event_note)
    notice_problem_step(concern=fresh, event=event)
    return fresh


CONCERN_EDITABLE_FIELDS = (
    "category",
    "description",
    "workers_affected",
    "worker_name",
    "worker_phone",
    "answered_on_site",
)


@transaction.atomic
def concern_update(*, concern: Concern, actor: Cadre, expected_version: int, **changes) -> Concern:
    """The owner corrects the record. The deadline is kept even when the category changes;
    the timeline says so. Raises Conflict on a stale version."""
    fresh = lock_current(concern, expected_version=expected_version)
    if not fresh.is_editable_by(actor):
        _refuse(gettext("Only the owner can edit a problem that is not closed."), "not_owner")
    unknown = set(changes) - set(CONCERN_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(fresh, name) != value]
    if not changed:
        return fresh
    old_category = fresh.get_category_display()
    for name in changed:
        setattr(fresh, name, changes[name])
    labels = [str(Concern._meta.get_field(name).verbose_name) for name in changed]
    note = gettext("Edited: %(fields)s.") % {"fields": "、".join(labels)}
    if "category" in changed:
        note += " " + gettext("Category changed from “%(old)s” to “%(new)s”; the deadline stays %(due)s.") % {
            "old": old_category,
            "new": fresh.get_category_display(),
            "due": f"{fresh.due_date:%Y-%m-%d}",
        }
    _save_with_event(fresh, actor=actor, kind=ConcernEvent.Kind.NOTE, note=note)
    return fresh


@transaction.atomic
def concern_delete(*, concern: Concern, actor: Cadre) -> Concern:
    """Soft delete (an administrator can restore it in the admin)."""
    fresh = lock_current(concern, expected_version=None)
    if not fresh.can_delete(actor):
        _refuse(gettext("Only the owner or a leader can delete this problem."), "not_allowed")
    fresh.is_deleted = True
    _save_with_event(fresh, actor=actor, kind=ConcernEvent.Kind.NOTE, note=gettext("Deleted."))
    return fresh
