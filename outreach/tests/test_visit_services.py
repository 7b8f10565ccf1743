"""visit_save and the review steps: all or nothing, versions claimed atomically."""

import pytest
from django.core.exceptions import ValidationError

from outreach import services
from outreach.models import Concern, Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_a_bad_problem_rolls_back_the_whole_visit(cadre, town):
    enterprise = EnterpriseFactory(district_union=town, employees=100, members=80)
    visit = Visit(kind="worker", date="2026-11-10", host_enterprise=enterprise, work_done="跟班劳动。")
    with pytest.raises(ValidationError):
        services.visit_save(
            visit=visit,
            editor=cadre,
            action="submit",
            concerns=[{"category": "not-a-category", "description": "x"}],
            directory={"employees": 120},
        )
    assert not Visit.objects.exists() and not Concern.objects.exists()
    enterprise.refresh_from_db()
    assert enterprise.employees == 100 and enterprise.last_verified_at is None


def test_a_stale_version_raises_a_conflict_and_writes_nothing(cadre, town):
    visit = VisitFactory(
        cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town), work_done="原文"
    )
    Visit.objects.filter(pk=visit.pk).update(version=2)
    visit.work_done = "覆盖"
    with pytest.raises(services.Conflict):
        services.visit_save(visit=visit, editor=cadre, action="submit", expected_version=1)
    visit.refresh_from_db()
    assert visit.work_done == "原文" and visit.version == 2


def test_a_review_bumps_the_version(cadre, town_leader, town):
    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town))
    reviewed = services.visit_review(visit=visit, reviewer=town_leader, comment="好")
    assert reviewed.version == 2 and reviewed.status == Visit.Status.REVIEWED
    with pytest.raises(services.VisitStateError):
        services.visit_return(visit=visit, reviewer=town_leader, reason="再改")
