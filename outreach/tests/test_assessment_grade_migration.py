"""0020–0024 turn the fixed grade choices into the admin's grades without losing a grade given
or a history entry: an empty grade becomes no grade."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from outreach.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("outreach", "0019_visitphoto_is_deleted")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_grades_given_before_keep_their_meaning_and_history(cadre, other_cadre):
    old_apps = _migrate(BEFORE)
    OldAssessment = old_apps.get_model("outreach", "Assessment")
    OldHistory = old_apps.get_model("outreach", "HistoricalAssessment")
    graded = OldAssessment.objects.create(
        cadre_id=cadre.pk, year=2025, quarter=3, grade="good", appraisal="好"
    )
    draft = OldAssessment.objects.create(cadre_id=other_cadre.pk, year=2025, quarter=3, grade="")
    for row, grade in ((graded, "fair"), (graded, "good"), (draft, "")):
        OldHistory.objects.create(
            id=row.pk,
            cadre_id=row.cadre_id,
            year=2025,
            quarter=3,
            grade=grade,
            appraisal="",
            figures={},
            history_date="2026-01-05T10:00:00+08:00",
            history_type="~",
        )
    _migrate()

    assert Assessment.objects.get(pk=graded.pk).grade.name == "合格"
    assert Assessment.objects.get(pk=draft.pk).grade is None
    assert sorted(h.grade_id or "" for h in Assessment.history.all()) == ["", "fair", "good"]
