"""The grades of the assessment follow the federation's own scale: the admin renames, adds and
retires grades; the page offers those in use, suggests one from the score, and a signed-off
assessment keeps the grade's name as it was."""

import datetime

import pytest
from django.urls import reverse

from outreach.models import Assessment, AssessmentGrade
from outreach.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db
Q3 = {"year": 2025, "quarter": 3}


def _post(client, cadre, action, **fields):
    data = {"cadre": cadre.pk, "action": action} | {f"c{cadre.pk}-{k}": v for k, v in fields.items()}
    return client.post(f"{reverse('reports:assessment')}?year=2025&quarter=3", data)


def _offered(response, cadre):
    row = next(r for r in response.context["sheet"].rows if r["id"] == cadre.pk)
    return [label for code, label in row["form"].fields["grade"].choices if code]


def test_the_default_scale_is_the_national_one(login, town_leader, cadre):
    response = login(town_leader).get(reverse("reports:assessment"), Q3)
    assert _offered(response, cadre) == ["优秀", "合格", "基本合格", "不合格"]


def test_the_admin_scale_is_what_leaders_can_give(login, town_leader, cadre):
    AssessmentGrade.objects.filter(code="good").update(name="称职")
    AssessmentGrade.objects.filter(code="fair").update(is_active=False)
    AssessmentGrade.objects.create(code="basic", name="基本称职", order=3)
    client = login(town_leader)
    response = client.get(reverse("reports:assessment"), Q3)
    assert _offered(response, cadre) == ["优秀", "称职", "基本称职", "不合格"]
    assert "基本合格" not in response.content.decode()

    refused = _post(client, cadre, "save", appraisal="一般。", grade="fair")
    assert refused.status_code == 400
    assert "一般。" in refused.content.decode()  # the form is kept
    assert not Assessment.objects.exists()

    assert _post(client, cadre, "sign", appraisal="基本完成。", grade="basic").status_code == 302
    signed = Assessment.objects.get(cadre=cadre)
    assert signed.grade_id == "basic" and signed.grade_name == "基本称职"


def test_a_signed_off_assessment_keeps_the_grade_name_it_was_given(login, town_leader, cadre):
    client = login(town_leader)
    _post(client, cadre, "sign", appraisal="工作扎实。", grade="excellent")
    AssessmentGrade.objects.filter(code="excellent").update(name="好")
    page = client.get(reverse("reports:assessment"), Q3).content.decode()
    assert "data-grade>优秀</span>" in page
    workbook = client.get(reverse("reports:assessment_xlsx"), Q3)
    assert workbook.status_code == 200


def test_a_retired_grade_already_given_stays_on_the_unsigned_form(login, town_leader, cadre):
    Assessment.objects.create(cadre=cadre, year=2025, quarter=3, grade_id="fair", appraisal="草稿")
    AssessmentGrade.objects.filter(code="fair").update(is_active=False)
    response = login(town_leader).get(reverse("reports:assessment"), Q3)
    assert "基本合格" in _offered(response, cadre)


def test_the_page_suggests_the_grade_the_score_reaches(login, town_leader, cadre, other_cadre):
    # 许文静 does all three kinds every month of the quarter: completion 100 %, no problems.
    for month in (7, 8, 9):
        for kind in ("chairman", "office", "worker"):
            VisitFactory(cadre=cadre, kind=kind, date=datetime.date(2025, month, 10))
    response = login(town_leader).get(reverse("reports:assessment"), Q3)
    rows = {r["id"]: r for r in response.context["sheet"].rows}
    assert rows[cadre.pk]["suggested"].code == "excellent"
    assert rows[cadre.pk]["form"].initial["grade"] == "excellent"
    assert rows[other_cadre.pk]["suggested"].code == "poor"  # 0 % reaches only the lowest threshold
    assert "按得分建议：优秀" in response.content.decode()


def test_the_suggestion_takes_the_best_grade_reached():
    grades = [
        AssessmentGrade(code="a", name="优秀", min_score=90),
        AssessmentGrade(code="b", name="合格", min_score=75),
        AssessmentGrade(code="c", name="不合格", min_score=None),
    ]
    assert AssessmentGrade.suggest(grades, 92).code == "a"
    assert AssessmentGrade.suggest(grades, 75).code == "b"
    assert AssessmentGrade.suggest(grades, 40) is None
    assert AssessmentGrade.suggest(grades, None) is None


def test_a_grade_in_use_cannot_be_deleted_in_the_admin(client, admin_cadre, cadre):
    Assessment.objects.create(cadre=cadre, year=2025, quarter=3, grade_id="good")
    client.force_login(admin_cadre.user)
    used = AssessmentGrade.objects.get(code="good")
    unused = AssessmentGrade.objects.get(code="poor")
    assert client.get(reverse("admin:outreach_assessmentgrade_changelist")).status_code == 200
    assert client.get(reverse("admin:outreach_assessmentgrade_delete", args=[used.pk])).status_code == 403
    assert client.get(reverse("admin:outreach_assessmentgrade_delete", args=[unused.pk])).status_code == 200
