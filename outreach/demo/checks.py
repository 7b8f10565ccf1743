"""seed_demo's directory checks: at some recent visits the cadre confirmed or corrected the
enterprise's facts, as the visit form does, so the enterprise pages have verifications to show."""

from __future__ import annotations

import random

from unions.models import EnterpriseUnion

from ..models import Visit
from ..services.visits import enterprise_verify

CHECKS = 24


def seed_directory_checks() -> int:
    """Verify the hosts of the latest done enterprise visits once; returns how many were made."""
    History = EnterpriseUnion.history.model
    if History.objects.filter(verified_at_visit__isnull=False).exists():
        return 0
    rng = random.Random(20261202)  # nosec B311 - demo data, repeatable on purpose
    visits = (
        Visit.objects.alive()
        .done()
        .filter(host_enterprise__isnull=False, host_enterprise__is_active=True)
        .select_related("host_enterprise", "cadre__user")
        .order_by("-date", "-pk")[: CHECKS * 3]
    )
    checked: set[int] = set()
    for visit in visits:
        enterprise = visit.host_enterprise
        if enterprise.pk in checked or len(checked) == CHECKS:
            continue
        checked.add(enterprise.pk)
        changes = {}
        if rng.random() < 0.6:  # most checks correct a head count; the others confirm the facts
            employees = max(enterprise.employees + rng.randint(-15, 30), 1)
            changes = {"employees": employees, "members": min(enterprise.members, employees)}
        enterprise._history_user = visit.cadre.user  # outside a request: name the cadre in the history
        enterprise_verify(enterprise=enterprise, verified_by=visit.cadre, visit=visit, changes=changes)
    return len(checked)
