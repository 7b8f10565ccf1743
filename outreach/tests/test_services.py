import datetime

import pytest

from outreach.models import CategoryTimeLimit, ConcernEvent
from outreach.services import concern_create
from outreach.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_receiving_cadre_owns_the_problem_and_deadline_follows_the_category(cadre):
    CategoryTimeLimit.objects.filter(category="legal_aid").update(working_days=3)
    visit = VisitFactory(cadre=cadre)
    # Friday 2026-11-20 + 3 working days = Wednesday 2026-11-25
    concern = concern_create(
        received_by=cadre,
        category="legal_aid",
        description="需要法律援助",
        visit=visit,
        received_on=datetime.date(2026, 11, 20),
    )
    assert concern.owner == cadre and concern.received_by == cadre
    assert concern.enterprise == visit.host_enterprise
    assert concern.town == visit.town
    assert concern.due_date == datetime.date(2026, 11, 25)
    event = concern.events.get()
    assert event.kind == ConcernEvent.Kind.CREATED and event.actor == cadre
