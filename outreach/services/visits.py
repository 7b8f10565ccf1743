"""Writes on visits: record or edit (with companions, photos, problems and the directory
check), review and return."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from unions.models import Cadre, EnterpriseUnion

from ..models import Visit, VisitPhoto
from .concerns import concern_create, concerns_follow_visit_date
from .locking import Conflict, lock_current
from .notices import notice_visit_reviewed
from .opinions import opinions_follow_visit


class VisitStateError(Exception):
    """The visit is not in a state that allows this step (e.g. reviewing a draft)."""


_STATUS_FOR_ACTION = {
    "plan": Visit.Status.PLANNED,
    "draft": Visit.Status.DRAFT,
    "submit": Visit.Status.SUBMITTED,
}


@transaction.atomic
def enterprise_verify(
    *, enterprise: EnterpriseUnion, verified_by: Cadre, visit: Visit, changes: dict[str, Any]
) -> EnterpriseUnion:
    """The directory stays true: facts confirmed or corrected at a visit, stamped and in the history."""
    for name, value in changes.items():
        setattr(enterprise, name, value)
    enterprise.last_verified_at = timezone.now()
    enterprise.last_verified_by = verified_by
    enterprise.full_clean()
    enterprise._change_reason = gettext("Verified at visit #%(id)s by %(name)s") % {
        "id": visit.pk,
        "name": verified_by.name,
    }
    enterprise._verified_at_visit = visit.pk  # kept in the history row (unions/signals.py)
    try:
        enterprise.save()
    finally:
        del enterprise._verified_at_visit
    return enterprise


@transaction.atomic
def visit_save(
    *,
    visit: Visit,
    editor: Cadre,
    action: str,
    companions: Iterable[Cadre] = (),
    photos: Sequence[File] = (),
    concerns: Sequence[dict[str, Any]] = (),
    directory: dict[str, Any] | None = None,
    expected_version: int | None = None,
    client_uuid: uuid.UUID | None = None,
) -> Visit:
    """Create or update a visit with its companions, photos, problems raised and directory check.

    `action` is "plan", "draft" or "submit". An update claims the next version first, so a
    stale form raises Conflict and nothing is written. `client_uuid` (a create only) is unique:
    a second create with it raises IntegrityError and writes nothing.
    """
    moved, old_town_id = False, None
    if visit.pk is None:
        visit.cadre = editor
        visit.client_uuid = client_uuid
    else:
        current = lock_current(visit, expected_version=expected_version)
        visit.version = current.version + 1
        moved = current.date != visit.date
        old_town_id = current.town_id
    status = _STATUS_FOR_ACTION[action]
    if status == Visit.Status.DRAFT and visit.status == Visit.Status.RETURNED:
        status = Visit.Status.RETURNED  # still waiting for the changes the reviewer asked for
    visit.status = status
    if status == Visit.Status.SUBMITTED:
        visit.submitted_at = timezone.now()
    visit.town_id = visit.derive_town_id()
    relocated = old_town_id is not None and (moved or old_town_id != visit.town_id)
    visit.full_clean(exclude=None if status == Visit.Status.SUBMITTED else ["work_done"])
    visit._change_reason = {
        Visit.Status.PLANNED: gettext("Planned"),
        Visit.Status.DRAFT: gettext("Saved as draft"),
        Visit.Status.RETURNED: gettext("Saved as draft"),
        Visit.Status.SUBMITTED: gettext("Submitted"),
    }[status]
    visit.save_with_companions(companions)
    if moved:
        concerns_follow_visit_date(visit=visit)
    if relocated:
        opinions_follow_visit(visit=visit)
    if directory is not None and visit.host_enterprise_id:
        enterprise_verify(
            enterprise=visit.host_enterprise, verified_by=editor, visit=visit, changes=directory
        )
    for concern in concerns:
        concern_create(
            received_by=editor,
            visit=visit,
            category=concern["category"],
            description=concern["description"],
            worker_name=concern.get("worker_name", ""),
            worker_phone=concern.get("worker_phone", ""),
            answered_on_site=concern.get("answered_on_site", False),
            workers_affected=concern.get("workers_affected") or 1,
            received_on=min(visit.date, timezone.localdate()),
        )
    _photos_add(visit, photos, editor)
    return visit


@transaction.atomic
def visit_photo_add(*, visit: Visit, photo: File, editor: Cadre, client_uuid: uuid.UUID) -> VisitPhoto:
    """One photo sent on its own (the offline app uploads each in pieces). `client_uuid` is
    unique: a second add with it raises IntegrityError and leaves no file behind."""
    return _photos_add(visit, [photo], editor, client_uuid=client_uuid)[0]


def _photos_add(
    visit: Visit, photos: Sequence[File], editor: Cadre, *, client_uuid: uuid.UUID | None = None
) -> list[VisitPhoto]:
    """Files last: storage is written at once and a rollback does not undo it, so when a photo
    fails (its file or its row), the files written are removed before the error rolls back."""
    written, rows = [], []
    try:
        for photo in photos:
            row = VisitPhoto(visit=visit, uploaded_by=editor, client_uuid=client_uuid)
            row.image.save(photo.name, photo, save=False)  # the name comes from visit_photo_path
            written.append(row.image.name)
            row.save()
            rows.append(row)
    except BaseException:
        for name in written:
            VisitPhoto.image.field.storage.delete(name)
        raise
    return rows


def _review_step(
    visit: Visit,
    *,
    reviewer: Cadre,
    status: str,
    reason: str,
    expected_version: int | None = None,
    **texts: str,
) -> Visit:
    locked = lock_current(visit, expected_version=expected_version)
    if locked.status != Visit.Status.SUBMITTED or locked.is_deleted:
        raise VisitStateError
    locked.status = status
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    for name, text in texts.items():  # the review comment or the return reason
        setattr(locked, name, text)
    locked.version += 1
    locked._change_reason = reason
    locked.save()
    return locked


@transaction.atomic
def visit_review(*, visit: Visit, reviewer: Cadre, comment: str = "") -> Visit:
    """A leader marks a submitted visit reviewed; it is then closed to edits. The author gets
    a notice with the comment."""
    reviewed = _review_step(
        visit,
        reviewer=reviewer,
        status=Visit.Status.REVIEWED,
        reason=gettext("Reviewed"),
        review_comment=comment,
    )
    notice_visit_reviewed(visit=reviewed, returned=False)
    return reviewed


@transaction.atomic
def visit_return(*, visit: Visit, reviewer: Cadre, reason: str) -> Visit:
    """A leader sends a submitted visit back with the reason; the cadre changes it and resubmits.
    The reason has its own field: the review that follows does not replace it. The author
    gets a notice with the reason."""
    returned = _review_step(
        visit,
        reviewer=reviewer,
        status=Visit.Status.RETURNED,
        reason=gettext("Returned for changes"),
        return_reason=reason,
    )
    notice_visit_reviewed(visit=returned, returned=True)
    return returned


@transaction.atomic
def visits_review(*, visits: Sequence[tuple[Visit, int]], reviewer: Cadre) -> tuple[list[Visit], list[Visit]]:
    """The review queue's bulk action: mark several (visit, version shown) reviewed in one
    transaction. A visit changed since the queue was shown (another version, no longer
    submitted, deleted) is skipped, not overwritten. Returns (reviewed, skipped)."""
    reviewed, skipped = [], []
    for visit, version in visits:
        if not visit.is_reviewable_by(reviewer):
            skipped.append(visit)
            continue
        try:  # both refusals come before any write: nothing to undo
            done = _review_step(
                visit,
                reviewer=reviewer,
                status=Visit.Status.REVIEWED,
                reason=gettext("Reviewed"),
                expected_version=version,
                review_comment="",
            )
        except (VisitStateError, Conflict):
            skipped.append(visit)
            continue
        notice_visit_reviewed(visit=done, returned=False)
        reviewed.append(done)
    return reviewed, skipped
