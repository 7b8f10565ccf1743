"""民情专报: a town leader drafts the month's brief, picks items, writes the summaries and
publishes it; Word and Excel carry the same items; another town's brief does not exist."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from outreach.models import Brief, Opinion
from outreach.services import brief_publish, brief_set_items, opinion_forward, opinion_merge
from outreach.tests.factories import BriefFactory, OpinionFactory, VisitFactory, theme
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wages(cadre, town, town_leader):
    visit = VisitFactory(
        cadre=cadre,
        date=datetime.date(2026, 11, 10),
        host_enterprise=EnterpriseFactory(district_union=town, name="常州五洋纺织有限公司"),
    )
    return OpinionFactory(
        visit=visit, tagged_by=town_leader, theme=theme("工资待遇"), text="计件工资标准偏低"
    )


@pytest.fixture
def housing(cadre, town, town_leader):
    visit = VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 18))
    return OpinionFactory(
        visit=visit, tagged_by=town_leader, theme=theme("住房"), source="suggestion", text="建议增建职工宿舍"
    )


@pytest.fixture
def brief(town_leader):
    return BriefFactory(created_by=town_leader)


@pytest.fixture
def full_brief(brief, town_leader, wages, housing):
    return brief_set_items(brief=brief, actor=town_leader, add=[wages, housing])


def _url(name, brief):
    return reverse(f"outreach:{name}", args=[brief.pk])


def test_it_requires_login(client, brief):
    response = client.get(_url("brief_detail", brief))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "who, status",
    [("town_leader", 200), ("district_leader", 200), ("other_town_leader", 404), ("cadre", 404)],
)
def test_the_brief_is_scoped_to_the_leaders_of_its_unit(request, login, full_brief, who, status):
    client = login(request.getfixturevalue(who))
    for name in ("brief_detail", "brief_docx", "brief_xlsx"):
        assert client.get(_url(name, full_brief)).status_code == status


def test_a_leader_drafts_a_brief_of_his_unit(login, town_leader, town):
    client = login(town_leader)
    response = client.post(
        reverse("outreach:brief_create"), {"period": "quarter", "year": "2026", "number": "4", "title": ""}
    )
    brief = Brief.objects.get()
    assert response.status_code == 302 and response["Location"] == brief.get_absolute_url()
    assert (brief.unit, brief.status, brief.first_day, brief.last_day) == (
        town,
        "draft",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert town.name in brief.title and "民情专报" in brief.title


def test_a_quarter_five_is_refused_with_the_form_kept(login, town_leader):
    response = login(town_leader).post(
        reverse("outreach:brief_create"),
        {"period": "quarter", "year": "2026", "number": "5", "title": "四季度专报"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "四季度专报" in body and "季度为 1–4" in body
    assert not Brief.objects.exists()


def test_a_cadre_cannot_open_the_briefs(login, cadre):
    assert login(cadre).get(reverse("outreach:brief_list")).status_code == 403


def test_only_the_periods_items_of_the_area_are_offered_and_taken(
    login, town_leader, brief, wages, other_town, cadre
):
    october = OpinionFactory(
        visit=VisitFactory(cadre=cadre, date=datetime.date(2026, 10, 30)), text="十月的意见"
    )
    foreign = OpinionFactory(
        visit=VisitFactory(host_enterprise=EnterpriseFactory(district_union=other_town)), text="外镇的意见"
    )
    client = login(town_leader)
    body = client.get(_url("brief_detail", brief)).content.decode()
    assert "计件工资标准偏低" in body and "十月的意见" not in body and "外镇的意见" not in body
    for outsider in (october, foreign):
        response = client.post(_url("brief_items", brief), {"add": [outsider.pk], "version": brief.version})
        assert response.status_code == 400
    assert not brief.items.exists()
    response = client.post(_url("brief_items", brief), {"add": [wages.pk], "version": brief.version})
    assert response.status_code == 302
    assert list(brief.items.all()) == [wages]


def test_a_duplicate_is_not_offered_but_counted_with_its_original(login, town_leader, brief, wages, cadre):
    dup = OpinionFactory(visit=VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 20)), text="工资低")
    opinion_merge(opinion=dup, original=wages, actor=town_leader)
    assert list(brief.candidates()) == [wages]
    brief_set_items(brief=brief, actor=town_leader, add=[wages])
    body = login(town_leader).get(_url("brief_detail", brief)).content.decode()
    assert reverse("outreach:visit_detail", args=[dup.visit_id]) in body  # also raised at


def test_the_summaries_are_saved_per_theme(login, town_leader, full_brief, wages, housing):
    client = login(town_leader)
    data = {
        "title": "高新区民情专报（2026年第11期）",
        f"summary_{wages.theme_id}": "部分企业计件工资标准多年未调整。",
        f"summary_{housing.theme_id}": "",
        "version": full_brief.version,
    }
    assert client.post(_url("brief_summaries", full_brief), data).status_code == 302
    full_brief.refresh_from_db()
    assert full_brief.title == "高新区民情专报（2026年第11期）"
    assert {s.theme.name: s.summary for s in full_brief.summaries.all()} == {
        "工资待遇": "部分企业计件工资标准多年未调整。"
    }
    body = client.get(_url("brief_detail", full_brief)).content.decode()
    assert "部分企业计件工资标准多年未调整。" in body


def test_draft_to_published_then_frozen(login, town_leader, full_brief, wages):
    client = login(town_leader)
    response = client.post(_url("brief_publish", full_brief), {"version": full_brief.version})
    assert response.status_code == 302
    full_brief.refresh_from_db()
    assert (full_brief.status, full_brief.published_by) == ("published", town_leader)
    assert full_brief.published_at is not None
    body = client.get(_url("brief_detail", full_brief)).content.decode()
    assert 'id="brief-items"' not in body and 'id="brief-publish"' not in body
    response = client.post(
        _url("brief_items", full_brief), {"remove": [wages.pk], "version": full_brief.version}
    )
    assert response.status_code == 400 and "已发布的专报不能再修改" in response.content.decode()
    assert full_brief.items.count() == 2
    # an item of a published brief stays
    response = client.post(reverse("outreach:opinion_delete", args=[wages.pk]), {"version": wages.version})
    wages.refresh_from_db()
    assert not wages.is_deleted


def test_an_empty_brief_is_not_published(login, town_leader, brief):
    response = login(town_leader).post(_url("brief_publish", brief), {"version": brief.version})
    assert response.status_code == 400 and "请至少加入一条" in response.content.decode()
    brief.refresh_from_db()
    assert brief.status == "draft"


def test_a_stale_version_is_refused(login, town_leader, full_brief, wages):
    response = login(town_leader).post(
        _url("brief_items", full_brief), {"remove": [wages.pk], "version": full_brief.version - 1}
    )
    assert response.status_code == 302
    assert full_brief.items.count() == 2


def test_a_draft_is_soft_deleted_with_history(login, town_leader, brief):
    response = login(town_leader).post(_url("brief_delete", brief), {"version": brief.version})
    assert response.status_code == 302
    brief.refresh_from_db()
    assert brief.is_deleted and brief.history.count() >= 2
    assert login(town_leader).get(_url("brief_detail", brief)).status_code == 404


def test_posts_need_csrf(town_leader, full_brief):
    client = Client(enforce_csrf_checks=True)
    client.force_login(town_leader.user)
    assert client.post(_url("brief_publish", full_brief), {"version": full_brief.version}).status_code == 403


def test_the_word_file_has_the_brief_as_on_the_page(login, town_leader, full_brief, wages, housing):
    brief_summary = "部分企业计件工资标准多年未调整。"
    full_brief.summaries.create(theme=wages.theme, summary=brief_summary)
    opinion_forward(
        opinion=wages, actor=town_leader, forwarded_to="区人社局", forwarded_on=datetime.date(2026, 11, 25)
    )
    response = login(town_leader).get(_url("brief_docx", full_brief))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == full_brief.title
    assert texts[1].startswith(f"{full_brief.unit.name} · 2026年11月")
    assert texts[2:] == [
        "一、工资待遇（1条）",
        brief_summary,
        "1. 计件工资标准偏低",
        f"职工意见 · {wages.town.name} · 常州五洋纺织有限公司 · 2026-11-10 · 走访人 {wages.visit.cadre.name}",
        "已转送区人社局（2026-11-25）",
        "二、住房（1条）",
        "2. 建议增建职工宿舍",
        f"决策建议 · {housing.town.name} · {housing.visit.host} · 2026-11-18 · 走访人 {housing.visit.cadre.name}",
    ]
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_workbook_rows_are_the_items(login, town_leader, full_brief, wages, housing, cadre):
    dup = OpinionFactory(visit=VisitFactory(cadre=cadre, date=datetime.date(2026, 11, 21)), text="=工资低")
    opinion_merge(opinion=dup, original=wages, actor=town_leader)
    opinion_forward(
        opinion=housing, actor=town_leader, forwarded_to="=镇党委", forwarded_on=datetime.date(2026, 11, 25)
    )
    housing.refresh_from_db()
    from outreach.services import opinion_answer

    opinion_answer(
        opinion=housing, actor=town_leader, answer="已纳入明年计划", answered_on=datetime.date(2026, 11, 28)
    )
    response = login(town_leader).get(_url("brief_xlsx", full_brief))
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "主题", "条目类别", "内容")
    assert rows[1:] == [
        (
            1,
            "工资待遇",
            "职工意见",
            "计件工资标准偏低",
            wages.town.name,
            "常州五洋纺织有限公司",
            "2026-11-10",
            cadre.name,
            1,
            None,
            None,
            None,
            None,
            wages.visit_id,
        ),
        (
            2,
            "住房",
            "决策建议",
            "建议增建职工宿舍",
            housing.town.name,
            str(housing.visit.host),
            "2026-11-18",
            cadre.name,
            0,
            "=镇党委",
            "2026-11-25",
            "已纳入明年计划",
            "2026-11-28",
            housing.visit_id,
        ),
    ]
    assert wb.worksheets[0].cell(row=3, column=10).data_type == "s"  # a formula-like text stays text
    summaries = list(wb.worksheets[1].iter_rows(values_only=True))
    assert summaries[1:] == [("工资待遇", 1, None), ("住房", 1, None)]


def test_the_brief_pages_queries_do_not_grow(login, town_leader, brief, cadre, query_count):
    client = login(town_leader)

    def add(n):
        items = [
            OpinionFactory(visit=VisitFactory(cadre=cadre), theme=theme(name), tagged_by=town_leader)
            for name in ("工资待遇", "住房", "子女入学")[:n]
        ]
        for original in items:
            dup = OpinionFactory(visit=VisitFactory(cadre=cadre), theme=original.theme)
            opinion_merge(opinion=dup, original=original, actor=town_leader)
        OpinionFactory(visit=VisitFactory(cadre=cadre))  # a candidate
        fresh = Brief.objects.get(pk=brief.pk)
        brief_set_items(brief=fresh, actor=town_leader, add=items)

    add(1)
    urls = [_url(name, brief) for name in ("brief_detail", "brief_docx", "brief_xlsx")]
    urls.append(reverse("outreach:brief_list"))
    small = [query_count(client, url) for url in urls]
    add(3)
    BriefFactory.create_batch(3, created_by=town_leader)
    assert [query_count(client, url) for url in urls] == small


def test_publishing_records_who_in_the_history(town_leader, full_brief):
    published = brief_publish(brief=full_brief, actor=town_leader)
    assert published.history.first().history_change_reason == "已发布"
    assert Opinion.objects.filter(briefs=published).count() == 2
