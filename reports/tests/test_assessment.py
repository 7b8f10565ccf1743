"""The quarterly and annual assessment: scores from the monthly rule, the leader's appraisal and
grade, sign-off that freezes the figures, the workbook, and who may assess whom."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Assessment, Concern, EvaluationRule
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = {"year": 2025, "quarter": 3}


def local(day, hour=10):
    from django.utils import timezone

    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def quarter(cadre, other_cadre):
    """Q3 2025: 许文静 does all three kinds in July, two in August, none in September, and closes
    one of two problems on time (satisfied); 王强 does one kind in July only."""
    for kind in ("chairman", "office", "worker"):
        VisitFactory(cadre=cadre, kind=kind, date=D(2025, 7, 10))
    VisitFactory(cadre=cadre, kind="chairman", date=D(2025, 8, 5))
    VisitFactory(cadre=cadre, kind="office", date=D(2025, 8, 6))
    VisitFactory(cadre=cadre, kind="worker", date=D(2025, 8, 7), status="returned")
    VisitFactory(cadre=cadre, kind="worker", date=D(2025, 10, 1))  # next quarter
    VisitFactory(cadre=other_cadre, kind="office", date=D(2025, 7, 2))
    on_time = ConcernFactory(
        owner=cadre,
        due_date=D(2025, 7, 20),
        status=Concern.Status.CLOSED,
        closed_at=local(D(2025, 7, 18)),
        satisfaction="satisfied",
    )
    late = ConcernFactory(owner=cadre, due_date=D(2025, 8, 20), status=Concern.Status.OPEN)
    for concern, day in ((on_time, D(2025, 7, 11)), (late, D(2025, 8, 12))):
        Concern.objects.filter(pk=concern.pk).update(created_at=local(day), received_on=day)


def _rows(response):
    return {row["id"]: row for row in response.context["sheet"].rows}


def test_the_quarters_score_follows_the_monthly_rule(login, quarter, town_leader, cadre, other_cadre):
    rule = EvaluationRule.current()
    response = login(town_leader).get(reverse("reports:assessment"), Q3)
    assert response.status_code == 200
    mine = _rows(response)[cadre.pk]["figures"]
    assert mine["completion"] == pytest.approx((3 + 2 + 0) / 9)  # the returned worker day does not count
    assert mine["on_time"] == pytest.approx(1 / 2)  # one closed on time, one open past its deadline
    assert mine["satisfaction"] == 1.0
    weights = rule.completion_weight + rule.on_time_weight + rule.satisfaction_weight
    expected = (
        100
        * (5 / 9 * rule.completion_weight + 0.5 * rule.on_time_weight + rule.satisfaction_weight)
        / weights
    )
    assert mine["score"] == round(expected, 1)
    theirs = _rows(response)[other_cadre.pk]["figures"]
    assert theirs["completion"] == pytest.approx(1 / 9) and theirs["on_time"] is None
    assert theirs["score"] == pytest.approx(100 / 9, abs=0.05)  # only completion counts without problems
    year = login(town_leader).get(reverse("reports:assessment"), {"year": 2025})
    assert _rows(year)[cadre.pk]["figures"]["completion"] == pytest.approx(6 / 36)  # with October


def _post(client, cadre, action, **fields):
    data = {"cadre": cadre.pk, "action": action} | {f"c{cadre.pk}-{k}": v for k, v in fields.items()}
    return client.post(f"{reverse('reports:assessment')}?year=2025&quarter=3", data)


def test_a_signed_off_assessment_does_not_move_when_a_visit_is_edited(login, quarter, town_leader, cadre):
    client = login(town_leader)
    response = _post(client, cadre, "save", appraisal="工作扎实，走访记录翔实。", grade="good")
    assert response.status_code == 302
    assert (
        _post(client, cadre, "sign", appraisal="工作扎实，走访记录翔实。", grade="excellent").status_code
        == 302
    )
    signed = Assessment.objects.get(cadre=cadre, year=2025, quarter=3)
    assert signed.is_signed and signed.grade_id == "excellent" and signed.signed_by == town_leader
    frozen = signed.figures["score"]

    VisitFactory(cadre=cadre, kind="worker", date=D(2025, 9, 3))  # a day added afterwards
    page = client.get(reverse("reports:assessment"), Q3)
    row = _rows(page)[cadre.pk]
    assert row["figures"]["score"] == frozen
    assert row["live"]["score"] > frozen
    body = page.content.decode()
    assert "冻结" in body and "工作扎实" in body
    # Nothing changes it any more.
    assert _post(client, cadre, "save", appraisal="改写", grade="poor").status_code == 302
    signed.refresh_from_db()
    assert (signed.appraisal, signed.grade_id, signed.figures["score"]) == (
        "工作扎实，走访记录翔实。",
        "excellent",
        frozen,
    )


def test_signing_off_needs_a_grade_and_keeps_the_form(login, quarter, town_leader, cadre):
    response = _post(login(town_leader), cadre, "sign", appraisal="需要加强。", grade="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "签字确认前请选择等次" in body and "需要加强。" in body
    assert not Assessment.objects.filter(cadre=cadre).exists()


def test_a_stale_form_is_refused(login, quarter, town_leader, cadre):
    client = login(town_leader)
    _post(client, cadre, "save", appraisal="第一稿", grade="good")
    _post(client, cadre, "save", appraisal="第二稿", grade="good", version=1)
    response = _post(client, cadre, "save", appraisal="过期的稿", grade="fair", version=1)
    assert response.status_code == 400 and "有人修改了这份考评" in response.content.decode()
    assert Assessment.objects.get(cadre=cadre).appraisal == "第二稿"


def test_nobody_assesses_outside_the_scope_or_oneself(login, quarter, town_leader, other_town_leader, cadre):
    assert _post(login(other_town_leader), cadre, "save", grade="poor").status_code == 404
    assert _post(login(town_leader), town_leader, "save", grade="excellent").status_code == 403
    assert not Assessment.objects.exists()


def test_bad_period_shows_the_whole_year_with_a_message(login, town_leader):
    client = login(town_leader)
    response = client.get(reverse("reports:assessment"), {"year": 2025, "quarter": "5"})
    assert response.status_code == 200 and response.context["quarter"] == 0
    assert "不是有效的季度" in response.content.decode()
    assert client.get(reverse("reports:assessment_xlsx"), {"year": 2025, "quarter": "x"}).status_code == 400


def test_the_workbook_is_an_assessment_sheet(login, quarter, town_leader, cadre):
    client = login(town_leader)
    _post(client, cadre, "sign", appraisal="工作扎实。", grade="excellent")
    response = client.get(reverse("reports:assessment_xlsx"), Q3)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2025" in rows[0][0] and "第 3 季度" in rows[0][0]
    header = rows[1]
    mine = next(r for r in rows if r[1] == cadre.name)
    assert mine[header.index("等次")] == "优秀"
    assert mine[header.index("领导评语")] == "工作扎实。"
    assert mine[header.index("签字人")] == town_leader.name


def test_the_assessment_queries_do_not_grow(login, town, town_leader, query_count, django_assert_num_queries):
    client = login(town_leader)
    url = reverse("reports:assessment")

    def add(n):
        for i in range(n):
            someone = CadreFactory(unit=town)
            VisitFactory(cadre=someone, date=D(2025, 7 + i % 3, 1 + i % 28))
            ConcernFactory(owner=someone)
            Assessment.objects.create(cadre=someone, year=2025, quarter=3, grade_id="good", appraisal="好")

    add(3)
    client.get(url, Q3)  # the evaluation rule's row is created on first use
    small = query_count(client, url, Q3)
    add(20)
    with django_assert_num_queries(small):
        client.get(url, Q3)
