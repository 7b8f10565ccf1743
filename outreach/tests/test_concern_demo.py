import datetime

import pytest
from django.utils import timezone

from outreach.demo.concerns import PROBLEMS, seed_concerns
from outreach.models import Concern, ConcernEvent
from unions.demo import seed_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    seed_directory(enterprises=40, cadres=25)


def test_demo_problems_cover_every_state_and_stay_overdue(directory):
    assert seed_concerns() == len(PROBLEMS)
    alive = Concern.objects.alive()
    assert set(alive.values_list("status", flat=True)) == {"open", "in_progress", "resolved", "closed"}
    assert set(alive.exclude(satisfaction="").values_list("satisfaction", flat=True)) == {
        "satisfied",
        "basically",
        "unsatisfied",
    }
    assert Concern.objects.filter(is_deleted=True).exists()
    assert ConcernEvent.objects.filter(kind="handover").exists()
    assert alive.exclude(escalated_to="").exists()
    today = timezone.localdate()
    assert alive.overdue(today).count() >= 2
    # Relative to today's date: still overdue a month from now, and the timeline is in the past.
    assert alive.overdue(today + datetime.timedelta(days=30)).count() >= alive.overdue(today).count()
    assert not ConcernEvent.objects.filter(created_at__gt=timezone.now()).exists()
    handed = Concern.objects.get(events__kind="handover")
    assert handed.owner != handed.received_by


def test_demo_problems_are_idempotent(directory):
    seed_concerns()
    first = (Concern.objects.count(), ConcernEvent.objects.count())
    assert seed_concerns() == 0
    assert (Concern.objects.count(), ConcernEvent.objects.count()) == first
