"""seed_demo's visits: twelve realistic months, the seed report's story, idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from outreach.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--force")


def test_a_second_run_adds_nothing(seeded):
    first = (Visit.objects.count(), Visit.history.count(), Visit.companions.through.objects.count())
    call_command("seed_demo", "--force")
    assert (Visit.objects.count(), Visit.history.count(), Visit.companions.through.objects.count()) == first
    assert first[0] > 1000


def test_the_seed_report_story_is_there(seeded):
    story = Visit.objects.filter(cadre__name="蒋亚诚", cadre__user__username="district_leader")
    chairman = story.get(kind="chairman", host_union__name="高新区总工会")
    office = story.filter(kind="office", date__month=chairman.date.month, date__year=chairman.date.year)
    assert {v.host_enterprise.name for v in office} == {"五洋纺织机械有限公司", "科能电子有限公司"}
    wuyang = office.get(host_enterprise__name="五洋纺织机械有限公司")
    for words in ["向保年", "活动时间受限", "经费不足", "工作计划", "行政、工会、职工三者关系"]:
        assert words in wuyang.answered_questions + wuyang.people_met


def test_most_cadres_complete_most_months_but_not_all(seeded):
    per_cadre_month = (
        Visit.objects.done()
        .values("cadre", "date__year", "date__month")
        .annotate(kinds=Count("kind", distinct=True))
    )
    complete = sum(1 for row in per_cadre_month if row["kinds"] == 3)
    assert 0.5 < complete / len(per_cadre_month) < 0.95
    statuses = set(Visit.objects.values_list("status", flat=True))
    assert statuses == {"planned", "draft", "submitted", "returned", "reviewed"}
    assert Visit.objects.filter(companions__isnull=False).exists()


def test_some_enterprises_were_checked_at_visits_once(seeded):
    from unions.models import EnterpriseUnion

    History = EnterpriseUnion.history.model
    checks = History.objects.filter(verified_at_visit__isnull=False)
    assert 10 <= checks.count() <= 24
    assert checks.filter(history_user__isnull=False).count() == checks.count()
    call_command("seed_demo", "--force")
    assert History.objects.filter(verified_at_visit__isnull=False).count() == checks.count()
