"""Notices of the events that need someone: created in the same transaction as the write that
causes them (insert or ignore on the natural key), so a rolled-back write leaves no notice and
a repeated one never makes two."""

from __future__ import annotations

import datetime

from unions.models import Cadre, DistrictUnion

from ..models import Concern, ConcernEvent, Notice, Visit


def notice_add(
    *,
    recipient: Cadre,
    kind: str,
    key: str,
    visit: Visit | None = None,
    concern: Concern | None = None,
    unit: DistrictUnion | None = None,
    period: datetime.date | None = None,
    text: str = "",
) -> None:
    """One notice for (recipient, kind, key); a second call with the same key does nothing."""
    notice = Notice(
        recipient=recipient,
        kind=kind,
        key=key,
        visit=visit,
        concern=concern,
        unit=unit,
        period=period,
        text=text,
    )
    notices_add([notice])


def notices_add(notices: list[Notice]) -> None:
    """Insert or ignore on the natural key (ON CONFLICT DO NOTHING): no error, so the caller's
    transaction goes on, and a notice that exists stays as it is (read or mailed). Queries once."""
    if notices:
        Notice.objects.bulk_create(notices, ignore_conflicts=True, batch_size=500)


def notice_visit_reviewed(*, visit: Visit, returned: bool) -> None:
    """The author hears that the visit was returned (with the reason) or reviewed (with the
    comment). One per review step: the visit's version names it."""
    kind = Notice.Kind.VISIT_RETURNED if returned else Notice.Kind.VISIT_REVIEWED
    notice_add(
        recipient=visit.cadre,
        kind=kind,
        key=f"v{visit.pk}-{visit.version}",
        visit=visit,
        text=visit.return_reason if returned else visit.review_comment,
    )


def notice_problem_step(*, concern: Concern, event: ConcernEvent) -> None:
    """A hand-over tells the new owner; an escalation tells the leaders of the owner's unit
    (but not the one who escalated). One per event."""
    key = f"c{concern.pk}-e{event.pk}"
    if event.kind == ConcernEvent.Kind.HANDOVER:
        if event.to_owner_id != event.actor_id:
            notice_add(
                recipient=event.to_owner,
                kind=Notice.Kind.PROBLEM_HANDED_OVER,
                key=key,
                concern=concern,
                text=event.note,
            )
        return
    leaders = Cadre.objects.active().filter(unit_id=concern.owner.unit_id, role=Cadre.Role.LEADER)
    for leader in leaders.exclude(pk=event.actor_id):
        notice_add(
            recipient=leader,
            kind=Notice.Kind.PROBLEM_ESCALATED,
            key=key,
            concern=concern,
            text=event.note,
        )
