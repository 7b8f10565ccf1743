"""效能考评 weights per unit: a district's weights apply to its towns' cadres unless a town
sets its own; without either the default row applies. The report says where they come from."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import EvaluationRule
from outreach.tests.factories import ConcernFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MONTH = "2026-10"


@pytest.fixture
def closed_on_time(cadre, town):
    """No day done (completion 0); one problem closed on time (1), the worker satisfied (1)."""
    return ConcernFactory(
        owner=cadre,
        enterprise=EnterpriseFactory(district_union=town),
        received_on=D(2026, 10, 5),
        due_date=D(2026, 10, 20),
        status="closed",
        closed_at=timezone.make_aware(datetime.datetime(2026, 10, 10, 10)),
        satisfaction="satisfied",
    )


def _report(client, leader):
    client.force_login(leader.user)
    response = client.get(reverse("reports:monthly"), {"month": MONTH})
    assert response.status_code == 200
    return response.content.decode(), response.context["report"].evaluation


def _score(evaluation, cadre):
    return next(c["score"] for c in evaluation["cadres"] if c["id"] == cadre.pk)


def _weights_cell(page, unit):
    row = re.search(rf'<tr data-eval-unit="{unit.pk}">(.*?)</tr>', page, re.S).group(1)
    return " ".join(re.search(r"<td[^>]*data-unit-weights>(.*?)</td>", row, re.S).group(1).split())


def test_without_any_unit_setting_the_default_weights_apply(
    client, closed_on_time, cadre, town, district_leader
):
    EvaluationRule.objects.create(completion_weight=50, on_time_weight=30, satisfaction_weight=20)
    page, evaluation = _report(client, district_leader)
    assert _score(evaluation, cadre) == pytest.approx(50)
    assert _weights_cell(page, town) == '50 · 30 · 20 <span class="small text-muted">默认</span>'
    assert "武进区总工会 的权重：默认" in page


def test_a_district_setting_applies_to_its_towns(
    client, closed_on_time, cadre, town, district, district_leader
):
    EvaluationRule.objects.create(
        unit=district, completion_weight=20, on_time_weight=40, satisfaction_weight=40
    )
    page, evaluation = _report(client, district_leader)
    assert _score(evaluation, cadre) == pytest.approx(80)
    assert "来自 武进区总工会" in _weights_cell(page, town)
    assert "武进区总工会 的权重：来自 武进区总工会" in page


def test_a_town_setting_overrides_the_districts(
    client, closed_on_time, cadre, town, other_town, district, district_leader, town_leader
):
    from unions.tests.factories import CadreFactory

    CadreFactory(unit=other_town)  # so that the other town has a row
    EvaluationRule.objects.create(
        unit=district, completion_weight=20, on_time_weight=40, satisfaction_weight=40
    )
    EvaluationRule.objects.create(unit=town, completion_weight=80, on_time_weight=10, satisfaction_weight=10)
    page, evaluation = _report(client, district_leader)
    assert _score(evaluation, cadre) == pytest.approx(20)
    assert _weights_cell(page, town).startswith("80 · 10 · 10") and "来自 高新区总工会" in _weights_cell(
        page, town
    )
    assert "来自 武进区总工会" in _weights_cell(page, other_town)
    town_page, town_evaluation = _report(client, town_leader)
    assert _score(town_evaluation, cadre) == pytest.approx(20)  # the same score at every level
    assert "高新区总工会 的权重：来自 高新区总工会" in town_page


def test_the_assessment_scores_each_cadre_with_the_weights_of_his_unit(
    client, closed_on_time, cadre, town, district, district_leader
):
    EvaluationRule.objects.create(unit=town, completion_weight=80, on_time_weight=10, satisfaction_weight=10)
    client.force_login(district_leader.user)
    response = client.get(reverse("reports:assessment"), {"year": 2026, "quarter": 4})
    row = next(r for r in response.context["sheet"].rows if r["id"] == cadre.pk)
    assert row["live"]["score"] == pytest.approx(20)
    page = response.content.decode()
    assert "武进区总工会 的权重：默认" in page and "来自 高新区总工会" in page


def test_the_report_asks_no_more_with_weights_at_every_level(
    client, closed_on_time, town, district, district_leader, query_count
):
    from reports import cache as report_cache

    client.force_login(district_leader.user)
    url, params = reverse("reports:monthly"), {"month": MONTH}
    client.get(url, params)
    report_cache.invalidate()  # both counts build the report, not its cached sections
    none = query_count(client, url, params)
    EvaluationRule.objects.create(
        unit=district, completion_weight=20, on_time_weight=40, satisfaction_weight=40
    )
    EvaluationRule.objects.create(unit=town, completion_weight=80, on_time_weight=10, satisfaction_weight=10)
    report_cache.invalidate()
    assert query_count(client, url, params) == none
