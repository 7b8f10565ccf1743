"""Writes that span several models (HackSoft style: keyword-only, typed, atomic)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from unions.models import Cadre, EnterpriseUnion

from .models import CategoryTimeLimit, Concern, ConcernEvent, Visit
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
