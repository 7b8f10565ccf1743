"""Referrals (转介) of a problem into 困难职工帮扶 or 法律援助: the problem's owner opens one,
the unit's leaders accept it and decide; every step goes into the problem's timeline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from unions.models import Cadre

from ..models import Concern, ConcernEvent, Referral, ReferralAccess
from .locking import lock_current

# The fields each kind asks for, as the aid system's upload lists them.
HARDSHIP_FIELDS = ("household_members", "monthly_income_per_head", "hardship_cause", "housing", "health")
LEGAL_AID_FIELDS = ("dispute_type", "employer", "amount_in_dispute", "workers_concerned")
COMMON_FIELDS = ("worker_name", "worker_phone", "note")
REQUIRED = {
    Referral.Kind.HARDSHIP: ("household_members", "monthly_income_per_head", "hardship_cause"),
    Referral.Kind.LEGAL_AID: ("dispute_type", "employer", "workers_concerned"),
}


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


@transaction.atomic
def referral_open(*, concern: Concern, actor: Cadre, kind: str, **fields) -> Referral:
    """The problem's owner refers it. Only the fields of its kind are kept; those the aid
    system requires must be there. Raises ValidationError with a message the user can act on."""
    fresh = lock_current(concern, expected_version=None)
    if not fresh.is_editable_by(actor):
        _refuse(gettext("Only the problem's owner can refer a problem that is not closed."), "not_owner")
    if kind not in Referral.Kind.values:
        _refuse(gettext("Choose the kind of referral."), "unknown_kind")
    own = HARDSHIP_FIELDS if kind == Referral.Kind.HARDSHIP else LEGAL_AID_FIELDS
    unknown = set(fields) - set(HARDSHIP_FIELDS) - set(LEGAL_AID_FIELDS) - set(COMMON_FIELDS)
    if unknown:
        raise TypeError(f"not a referral field: {sorted(unknown)}")
    kept = {name: value for name, value in fields.items() if name in own or name in COMMON_FIELDS}
    referral = Referral(concern=fresh, town_id=fresh.town_id, kind=kind, opened_by=actor, **kept)
    missing = [name for name in REQUIRED[kind] if getattr(referral, name) in (None, "")]
    if missing:
        errors = {name: gettext("The aid system needs this field.") for name in missing}
        raise ValidationError(errors, code="required")
    referral.full_clean()
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        _refuse(gettext("This problem already has a referral of this kind under way."), "duplicate")
    ConcernEvent.objects.create(
        concern=fresh,
        kind=ConcernEvent.Kind.REFERRAL,
        actor=actor,
        referral=referral,
        to_status=referral.status,
        note=gettext("Referred to %(kind)s.") % {"kind": referral.get_kind_display()},
    )
    return referral


@transaction.atomic
def referral_transition(
    *, referral: Referral, actor: Cadre, to_status: str, note: str = "", expected_version: int | None = None
) -> Referral:
    """A leader of the unit moves a referral: submitted → accepted → helped, or not eligible
    (with the reason). Helped needs what help was given. The problem's timeline records it."""
    fresh = lock_current(referral, expected_version=expected_version)
    Status = Referral.Status
    if not fresh.can_decide(actor):
        if not actor.is_leader:
            _refuse(gettext("Only the unit's leaders accept and decide referrals."), "not_leader")
        _refuse(gettext("This referral has been decided already."), "decided")
    if to_status not in fresh.allowed_transitions():
        label = Status(to_status).label if to_status in Status.values else to_status
        _refuse(
            gettext("A referral cannot go from “%(from)s” to “%(to)s”.")
            % {"from": fresh.get_status_display(), "to": label},
            "forbidden_transition",
        )
    note = note.strip()
    now = timezone.now()
    if to_status == Status.HELPED and not note:
        _refuse(gettext("Write what help the worker received."), "outcome_required")
    if to_status == Status.NOT_ELIGIBLE and not note:
        _refuse(gettext("Give the reason why the worker is not eligible."), "reason_required")
    if to_status == Status.ACCEPTED:
        fresh.accepted_at = now
    else:
        fresh.decided_at = now
        fresh.outcome = note
    fresh.decided_by = actor
    from_status, fresh.status = fresh.status, to_status
    fresh.version += 1
    fresh.full_clean()
    fresh.save()
    ConcernEvent.objects.create(
        concern_id=fresh.concern_id,
        kind=ConcernEvent.Kind.REFERRAL,
        actor=actor,
        referral=fresh,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    return fresh


def referral_access_log(*, referrals: list[Referral], cadre: Cadre, action: str) -> int:
    """PIPL: note each referral opened by someone other than its owner (one insert for all).
    Needs each referral's concern. Returns how many were logged."""
    rows = [
        ReferralAccess(
            referral=r, cadre=cadre, action=action, personal_data_shown=r.personal_data_visible_to(cadre)
        )
        for r in referrals
        if not r.is_owned_by(cadre)
    ]
    ReferralAccess.objects.bulk_create(rows)
    return len(rows)
