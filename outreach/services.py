"""Writes that span several models (HackSoft style: keyword-only, typed, atomic)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from unions.models import Cadre, EnterpriseUnion

from .models import CategoryTimeLimit, Concern, ConcernEvent, Visit, VisitPhoto
from .workdays import add_working_days


def concern_due_date(*, category: str, received_on: datetime.date) -> datetime.date:
    """限时办结: the deadline from the category's time limit in working days. Queries once."""
    limit = CategoryTimeLimit.objects.filter(category=category).values_list("working_days", flat=True).first()
    return add_working_days(received_on, 5 if limit is None else limit)


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
) -> Concern:
    """首问负责: the cadre who receives a problem owns it; its deadline follows the category."""
    received_on = received_on or timezone.localdate()
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
        owner=received_by,
        received_by=received_by,
        due_date=concern_due_date(category=category, received_on=received_on),
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


# --- Visits ---------------------------------------------------------------------------


class VisitConflict(Exception):
    """Someone else saved the visit since the form was opened (optimistic concurrency)."""


class VisitStateError(Exception):
    """The visit is not in a state that allows this step (e.g. reviewing a draft)."""


_STATUS_FOR_ACTION = {
    "plan": Visit.Status.PLANNED,
    "draft": Visit.Status.DRAFT,
    "submit": Visit.Status.SUBMITTED,
}


def _bump_version(visit: Visit, expected_version: int | None) -> None:
    """Claim the next version, or raise VisitConflict when the row moved on.

    A conditional UPDATE is atomic in the database: of two concurrent editors holding the same
    version, exactly one matches the WHERE clause (the other waits for the row lock, then matches
    nothing).
    """
    version = visit.version if expected_version is None else expected_version
    rows = Visit.objects.filter(pk=visit.pk, version=version).update(version=F("version") + 1)
    if rows != 1:
        raise VisitConflict
    visit.version = version + 1


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
    enterprise.save()
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
) -> Visit:
    """Create or update a visit with its companions, photos, problems raised and directory check.

    `action` is "plan", "draft" or "submit". An update claims the next version first, so a
    stale form raises VisitConflict and nothing is written.
    """
    is_new = visit.pk is None
    if not is_new:
        _bump_version(visit, expected_version)
    else:
        visit.cadre = editor
    status = _STATUS_FOR_ACTION[action]
    if status == Visit.Status.DRAFT and visit.status == Visit.Status.RETURNED:
        status = Visit.Status.RETURNED  # still waiting for the changes the reviewer asked for
    visit.status = status
    if status == Visit.Status.SUBMITTED:
        visit.submitted_at = timezone.now()
    visit.town_id = visit.derive_town_id()
    visit.full_clean(exclude=None if status == Visit.Status.SUBMITTED else ["work_done"])
    visit._change_reason = {
        Visit.Status.PLANNED: gettext("Planned"),
        Visit.Status.DRAFT: gettext("Saved as draft"),
        Visit.Status.RETURNED: gettext("Saved as draft"),
        Visit.Status.SUBMITTED: gettext("Submitted"),
    }[status]
    visit.save()
    visit.companions.set(companions)
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
            received_on=min(visit.date, timezone.localdate()),
        )
    # Files last: they are written to disk at once, and a rollback would not remove them.
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, image=photo, uploaded_by=editor)
    return visit


def _review_step(visit: Visit, *, reviewer: Cadre, status: str, comment: str, reason: str) -> Visit:
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status != Visit.Status.SUBMITTED or locked.is_deleted:
        raise VisitStateError
    locked.status = status
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    locked.review_comment = comment
    locked.version += 1
    locked._change_reason = reason
    locked.save()
    return locked


@transaction.atomic
def visit_review(*, visit: Visit, reviewer: Cadre, comment: str = "") -> Visit:
    """A leader marks a submitted visit reviewed; it is then closed to edits."""
    return _review_step(
        visit, reviewer=reviewer, status=Visit.Status.REVIEWED, comment=comment, reason=gettext("Reviewed")
    )


@transaction.atomic
def visit_return(*, visit: Visit, reviewer: Cadre, reason: str) -> Visit:
    """A leader sends a submitted visit back with the reason; the cadre changes it and resubmits."""
    return _review_step(
        visit,
        reviewer=reviewer,
        status=Visit.Status.RETURNED,
        comment=reason,
        reason=gettext("Returned for changes"),
    )
