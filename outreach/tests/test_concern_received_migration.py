"""0012 fills the received date of the problems already recorded: the visit's date, else the
day the problem was typed in, in Beijing time; its history rows the same way."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from outreach.models import Concern
from outreach.tests.factories import ConcernFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("outreach", "0011_concern_received_on")]


def _migrate(targets=None):
    """Migrate to the targets (default: every app's latest) and return the apps of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_existing_problems_get_their_visits_date_or_their_beijing_recording_day(cadre):
    visit = VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 30))
    at_visit = ConcernFactory(owner=cadre, visit=visit, enterprise=visit.host_enterprise)
    alone = ConcernFactory(owner=cadre)
    # 20:30 UTC on 1 December is 04:30 on 2 December in Beijing.
    typed = datetime.datetime(2026, 12, 1, 20, 30, tzinfo=datetime.UTC)
    Concern.objects.update(created_at=typed)
    Concern.history.update(created_at=typed)
    history_rows = Concern.history.count()

    old_apps = _migrate(BEFORE)
    for name in ("Concern", "HistoricalConcern"):
        old_apps.get_model("outreach", name).objects.update(received_on=None)
    _migrate()

    assert Concern.objects.get(pk=at_visit.pk).received_on == datetime.date(2026, 11, 30)
    assert Concern.objects.get(pk=alone.pk).received_on == datetime.date(2026, 12, 2)
    assert Concern.history.count() == history_rows
    assert {h.received_on for h in Concern.history.filter(id=at_visit.pk)} == {datetime.date(2026, 11, 30)}
    assert {h.received_on for h in Concern.history.filter(id=alone.pk)} == {datetime.date(2026, 12, 2)}
