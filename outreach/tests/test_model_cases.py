"""Model cases (典型案例): a leader marks a done visit with a write-up; the case library lists
them by theme and town, scoped like the visits, and prints."""

import pytest
from django.urls import reverse

from outreach.models import ModelCase, Visit
from outreach.tests.factories import ModelCaseFactory, OpinionFactory, VisitFactory, theme
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(cadre):
    return VisitFactory(
        cadre=cadre, host_enterprise=EnterpriseFactory(district_union=cadre.unit, name="科能电子")
    )


def mark(visit):
    return reverse("outreach:visit_case", args=[visit.pk])


def test_a_leader_marks_a_visit_as_a_model_case(login, visit, town_leader):
    client = login(town_leader)
    assert "设为典型案例" in client.get(visit.get_absolute_url()).content.decode()
    response = client.post(
        mark(visit), {"title": "现场解答加班费疑问", "write_up": "当场与企业沟通，明确计算办法。"}
    )
    assert response.status_code == 302
    case = ModelCase.objects.get()
    assert case.visit == visit and case.marked_by == town_leader
    assert "现场解答加班费疑问" in client.get(visit.get_absolute_url()).content.decode()


def test_the_write_up_is_changed_and_the_mark_removed_softly(login, visit, town_leader):
    ModelCaseFactory(visit=visit, marked_by=town_leader)
    client = login(town_leader)
    client.post(mark(visit), {"title": "新标题", "write_up": "新的说明。"})
    assert ModelCase.objects.get().title == "新标题"
    client.post(reverse("outreach:visit_case_remove", args=[visit.pk]))
    case = ModelCase.objects.get()
    assert case.is_deleted and case.write_up == "新的说明。"
    assert "新标题" not in client.get(reverse("outreach:case_list")).content.decode()
    client.post(mark(visit), {"title": "再次设立", "write_up": "说明。"})
    assert not ModelCase.objects.get().is_deleted


def test_a_cadre_does_not_mark(login, visit, cadre):
    client = login(cadre)
    assert "设为典型案例" not in client.get(visit.get_absolute_url()).content.decode()
    assert client.post(mark(visit), {"title": "自荐", "write_up": "说明"}).status_code == 403
    assert not ModelCase.objects.exists()


def test_a_draft_is_not_a_model_case(login, cadre, town_leader):
    draft = VisitFactory(cadre=cadre, status=Visit.Status.DRAFT)
    assert login(town_leader).post(mark(draft), {"title": "草稿", "write_up": "说明"}).status_code == 403


def test_a_missing_write_up_rerenders_in_chinese(login, visit, town_leader):
    response = login(town_leader).post(mark(visit), {"title": "标题", "write_up": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert not ModelCase.objects.exists()


def test_another_towns_visit_cannot_be_marked(login, visit, other_town_leader):
    assert (
        login(other_town_leader).post(mark(visit), {"title": "越权", "write_up": "说明"}).status_code == 404
    )
    assert not ModelCase.objects.exists()


def test_the_library_lists_by_theme_and_filters_by_town(login, town, other_town, district_leader):
    here = ModelCaseFactory(
        visit=VisitFactory(cadre=CadreFactory(unit=town), kind="office"), title="高新区案例"
    )
    ModelCaseFactory(visit=VisitFactory(cadre=CadreFactory(unit=other_town), kind="worker"), title="湖塘案例")
    OpinionFactory(visit=here.visit, theme=theme("工资待遇"))
    client = login(district_leader)
    page = client.get(reverse("outreach:case_list")).content.decode()
    wages, untagged = (
        page.index('<h2 class="h5">工资待遇</h2>'),
        page.index('<h2 class="h5">尚未标注主题</h2>'),
    )
    assert wages < page.index("高新区案例") < untagged < page.index("湖塘案例")
    assert "学当一天企业工会办公室专职干部" in page  # the kind of day of each case
    page = client.get(reverse("outreach:case_list"), {"town": other_town.pk}).content.decode()
    assert "湖塘案例" in page and "高新区案例" not in page
    assert "data-print" in page and "campaigns.css" in page
    page = client.get(reverse("outreach:case_list"), {"theme": theme("工资待遇").pk}).content.decode()
    assert "高新区案例" in page and "湖塘案例" not in page


def test_a_town_leader_sees_only_the_towns_cases(login, town, other_town, town_leader):
    ModelCaseFactory(visit=VisitFactory(cadre=CadreFactory(unit=town)), title="高新区案例")
    ModelCaseFactory(visit=VisitFactory(cadre=CadreFactory(unit=other_town)), title="湖塘案例")
    page = login(town_leader).get(reverse("outreach:case_list")).content.decode()
    assert "高新区案例" in page and "湖塘案例" not in page


def test_the_library_takes_constant_queries(login, query_count, town, district_leader):
    client = login(district_leader)
    url = reverse("outreach:case_list")
    for _ in range(3):
        OpinionFactory(visit=ModelCaseFactory(visit=VisitFactory(cadre=CadreFactory(unit=town))).visit)
    three = query_count(client, url)
    for name in ("工作时间", "安全生产", "子女入学"):
        case = ModelCaseFactory(visit=VisitFactory(cadre=CadreFactory(unit=town), kind="chairman"))
        OpinionFactory(visit=case.visit, theme=theme(name))
    assert query_count(client, url) == three
