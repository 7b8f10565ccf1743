"""民情民意 items: a leader tags a visit's opinions with themes, merges duplicates, forwards an
item and records the answer; another town's item does not exist for him or her."""

import datetime

import pytest
from django.urls import reverse

from outreach.models import Opinion, OpinionTheme, Visit
from outreach.services import opinion_merge
from outreach.tests.factories import OpinionFactory, VisitFactory, theme
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(cadre, town):
    return VisitFactory(
        cadre=cadre,
        host_enterprise=EnterpriseFactory(district_union=town, name="常州五洋纺织有限公司"),
        worker_opinions="一线职工反映加班多，工资偏低，希望增加技能培训。",
        suggestions="建议区人社局加大对企业技能培训的补贴力度。",
    )


@pytest.fixture
def opinion(visit, town_leader):
    return OpinionFactory(visit=visit, tagged_by=town_leader, text="加班多，工资偏低")


def _tag(client, visit, **data):
    data = {"source": "opinion", "theme": theme("工资待遇").pk, "text": "工资偏低", **data}
    return client.post(reverse("outreach:visit_tag", args=[visit.pk]), data)


def test_the_themes_are_seeded_in_chinese():
    names = set(OpinionTheme.objects.offered().values_list("name", flat=True))
    assert {
        "工资待遇",
        "工作时间与休息休假",
        "安全生产与劳动保护",
        "住房",
        "子女入学",
        "技能培训",
        "社会保险",
    } <= names


def test_it_requires_login(client, opinion):
    response = client.get(reverse("outreach:opinion_detail", args=[opinion.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_leader_sees_the_tag_form_on_a_done_visit(login, town_leader, visit):
    body = login(town_leader).get(reverse("outreach:visit_detail", args=[visit.pk])).content.decode()
    assert 'id="tag-form"' in body and "一线职工反映加班多" in body


def test_a_cadre_sees_the_tags_of_his_visit_but_no_form(login, cadre, visit, opinion):
    body = login(cadre).get(reverse("outreach:visit_detail", args=[visit.pk])).content.decode()
    assert 'id="tag-form"' not in body
    assert f'data-opinion="{opinion.pk}"' in body and "工资待遇" in body


def test_a_leader_tags_two_themes_of_one_text(login, town_leader, visit):
    client = login(town_leader)
    assert _tag(client, visit, text="工资偏低").status_code == 302
    assert _tag(client, visit, theme=theme("技能培训").pk, text="希望增加技能培训").status_code == 302
    items = list(
        visit.opinions.order_by("id").values_list("theme__name", "text", "town_id", "date", "tagged_by")
    )
    assert items == [
        ("工资待遇", "工资偏低", visit.town_id, visit.date, town_leader.pk),
        ("技能培训", "希望增加技能培训", visit.town_id, visit.date, town_leader.pk),
    ]


def test_a_suggestion_is_tagged_as_one(login, town_leader, visit):
    _tag(login(town_leader), visit, source="suggestion", text=visit.suggestions)
    assert visit.opinions.get().source == Opinion.Source.SUGGESTION


def test_empty_text_rerenders_the_visit_with_the_form(login, town_leader, visit):
    response = _tag(login(town_leader), visit, text="  ")
    assert response.status_code == 400
    assert 'id="tag-form"' in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_draft_is_not_tagged(login, town_leader, cadre, town):
    draft = VisitFactory(
        cadre=cadre, status=Visit.Status.DRAFT, host_enterprise=EnterpriseFactory(district_union=town)
    )
    response = _tag(login(town_leader), draft)
    assert response.status_code == 400
    assert "只有已提交或已审阅的走访可以归类" in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_retired_theme_is_not_offered(login, town_leader, visit):
    retired = theme("旧主题")
    retired.is_active = False
    retired.save()
    response = _tag(login(town_leader), visit, theme=retired.pk)
    assert response.status_code == 400 and not Opinion.objects.exists()


def test_a_cadre_cannot_tag(login, cadre, visit):
    response = _tag(login(cadre), visit)
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_tagging_needs_csrf(client, town_leader, visit):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(town_leader.user)
    assert _tag(csrf_client, visit).status_code == 403
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [("town_leader", 200), ("district_leader", 200), ("other_town_leader", 404), ("cadre", 404)],
)
def test_the_item_page_is_scoped_to_the_leaders_of_its_town(request, login, opinion, who, status):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("outreach:opinion_detail", args=[opinion.pk])).status_code == status


def test_the_item_keeps_the_link_to_its_visit(login, town_leader, opinion):
    body = login(town_leader).get(reverse("outreach:opinion_detail", args=[opinion.pk])).content.decode()
    assert reverse("outreach:visit_detail", args=[opinion.visit_id]) in body


def test_the_list_hides_other_towns_and_duplicates(login, town_leader, opinion, other_town, visit):
    OpinionFactory(
        visit=VisitFactory(host_enterprise=EnterpriseFactory(district_union=other_town)), text="外镇的意见"
    )
    dup = OpinionFactory(
        visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader, text="又一次反映工资低"
    )
    opinion_merge(opinion=dup, original=opinion, actor=town_leader)
    client = login(town_leader)
    body = client.get(reverse("outreach:opinion_list")).content.decode()
    assert "加班多，工资偏低" in body and "外镇的意见" not in body and "又一次反映工资低" not in body
    body = client.get(reverse("outreach:opinion_list"), {"duplicates": "on"}).content.decode()
    assert "又一次反映工资低" in body


def test_the_list_filters_by_theme_and_month(login, town_leader, opinion, visit):
    OpinionFactory(
        visit=VisitFactory(cadre=visit.cadre, date=datetime.date(2026, 10, 5)),
        theme=theme("住房"),
        text="宿舍紧张",
    )
    client = login(town_leader)
    body = client.get(reverse("outreach:opinion_list"), {"theme": theme("住房").pk}).content.decode()
    assert "宿舍紧张" in body and "加班多" not in body
    body = client.get(reverse("outreach:opinion_list"), {"month": "2026-11"}).content.decode()
    assert "宿舍紧张" not in body and "加班多" in body


def test_a_bad_month_keeps_the_list_and_says_so(login, town_leader, opinion):
    response = login(town_leader).get(reverse("outreach:opinion_list"), {"month": "2026-13"})
    assert response.status_code == 200 and "YYYY-MM" in response.content.decode()


def test_the_list_is_for_leaders(login, cadre):
    assert login(cadre).get(reverse("outreach:opinion_list")).status_code == 403


def test_the_visits_to_tag_are_those_without_items(login, town_leader, visit, cadre, opinion):
    untagged = VisitFactory(cadre=cadre, worker_opinions="食堂饭菜偏贵")
    VisitFactory(cadre=cadre, worker_opinions="", suggestions="")
    body = login(town_leader).get(reverse("outreach:opinion_untagged")).content.decode()
    assert f'data-untagged="{untagged.pk}"' in body
    assert f'data-untagged="{visit.pk}"' not in body
    assert body.count("data-untagged=") == 1


def test_merging_keeps_both_visits_and_counts_once(login, town_leader, opinion, visit):
    other = OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader, text="工资偏低")
    client = login(town_leader)
    response = client.post(
        reverse("outreach:opinion_merge", args=[other.pk]), {"original": opinion.pk, "version": other.version}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.duplicate_of == opinion
    body = client.get(reverse("outreach:opinion_detail", args=[opinion.pk])).content.decode()
    assert reverse("outreach:visit_detail", args=[other.visit_id]) in body  # "also raised at"
    assert list(Opinion.objects.alive().originals()) == [opinion]
    response = client.post(reverse("outreach:opinion_unmerge", args=[other.pk]), {"version": other.version})
    other.refresh_from_db()
    assert response.status_code == 302 and other.duplicate_of is None


def test_a_duplicate_of_a_duplicate_points_at_the_original(town_leader, opinion, visit):
    second = OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader)
    third = OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader)
    opinion_merge(opinion=second, original=opinion, actor=town_leader)
    opinion_merge(opinion=third, original=second, actor=town_leader)
    third.refresh_from_db()
    assert third.duplicate_of == opinion
    # and merging the original into another carries its duplicates along
    fourth = OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader)
    opinion_merge(opinion=opinion, original=fourth, actor=town_leader)
    assert set(fourth.duplicates.values_list("pk", flat=True)) == {opinion.pk, second.pk, third.pk}


def test_merging_into_another_towns_item_is_not_offered(login, town_leader, opinion, other_town):
    foreign = OpinionFactory(visit=VisitFactory(host_enterprise=EnterpriseFactory(district_union=other_town)))
    response = login(town_leader).post(
        reverse("outreach:opinion_merge", args=[opinion.pk]),
        {"original": foreign.pk, "version": opinion.version},
    )
    assert response.status_code == 400
    opinion.refresh_from_db()
    assert opinion.duplicate_of is None


def test_forwarded_then_answered(login, town_leader, opinion):
    client = login(town_leader)
    response = client.post(
        reverse("outreach:opinion_forward", args=[opinion.pk]),
        {"forwarded_to": "区人社局", "forwarded_on": "2026-11-20", "version": opinion.version},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.status, opinion.forwarded_to, opinion.forwarded_on) == (
        "forwarded",
        "区人社局",
        datetime.date(2026, 11, 20),
    )
    response = client.post(
        reverse("outreach:opinion_answer", args=[opinion.pk]),
        {
            "answer": "已将该企业列入技能培训补贴名单。",
            "answered_on": "2026-11-28",
            "version": opinion.version,
        },
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.status, opinion.answer, opinion.answered_on) == (
        "answered",
        "已将该企业列入技能培训补贴名单。",
        datetime.date(2026, 11, 28),
    )
    body = client.get(reverse("outreach:opinion_detail", args=[opinion.pk])).content.decode()
    assert "区人社局" in body and "已将该企业列入技能培训补贴名单" in body
    reasons = [h.history_change_reason for h in opinion.history.order_by("history_date")]
    assert reasons[-2:] == ["已转送", "已答复"]


def test_an_answer_before_forwarding_is_refused(login, town_leader, opinion):
    response = login(town_leader).post(
        reverse("outreach:opinion_answer", args=[opinion.pk]),
        {"answer": "已办理", "answered_on": "2026-11-28", "version": opinion.version},
    )
    assert response.status_code == 400 and "请先登记转送单位" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == "open"


def test_a_stale_form_is_refused(login, town_leader, opinion):
    response = login(town_leader).post(
        reverse("outreach:opinion_update", args=[opinion.pk]),
        {"theme": theme("住房").pk, "text": "新内容", "version": opinion.version + 5},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.text == "加班多，工资偏低"


def test_bad_input_keeps_the_form(login, town_leader, opinion):
    response = login(town_leader).post(
        reverse("outreach:opinion_forward", args=[opinion.pk]),
        {"forwarded_to": "区人社局", "forwarded_on": "不是日期", "version": opinion.version},
    )
    assert response.status_code == 400
    assert 'value="区人社局"' in response.content.decode()


def test_deleting_is_soft_and_the_oldest_duplicate_takes_over(login, town_leader, opinion, visit):
    later = OpinionFactory(
        visit=VisitFactory(cadre=visit.cadre, date=datetime.date(2026, 11, 20)), tagged_by=town_leader
    )
    earlier = OpinionFactory(
        visit=VisitFactory(cadre=visit.cadre, date=datetime.date(2026, 11, 12)), tagged_by=town_leader
    )
    opinion_merge(opinion=later, original=opinion, actor=town_leader)
    opinion_merge(opinion=earlier, original=opinion, actor=town_leader)
    client = login(town_leader)
    response = client.post(
        reverse("outreach:opinion_delete", args=[opinion.pk]), {"version": opinion.version}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert opinion.is_deleted and opinion.history.count() >= 2
    assert earlier.duplicate_of is None and later.duplicate_of == earlier
    assert client.get(reverse("outreach:opinion_detail", args=[opinion.pk])).status_code == 404


def test_the_items_follow_their_visit_when_it_moves(cadre, town, visit, opinion):
    from outreach.services import visit_save

    visit.date = datetime.date(2026, 11, 3)
    visit_save(visit=visit, editor=cadre, action="submit", expected_version=visit.version)
    opinion.refresh_from_db()
    assert opinion.date == datetime.date(2026, 11, 3)


def test_the_list_and_detail_queries_do_not_grow(login, town_leader, visit, query_count):
    client = login(town_leader)
    originals = [
        OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader) for _ in range(3)
    ]
    list_url, detail_url = (
        reverse("outreach:opinion_list"),
        reverse("outreach:opinion_detail", args=[originals[0].pk]),
    )
    small = (query_count(client, list_url), query_count(client, detail_url))
    for _ in range(5):
        dup = OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader)
        opinion_merge(opinion=dup, original=originals[0], actor=town_leader)
        OpinionFactory(visit=VisitFactory(cadre=visit.cadre), tagged_by=town_leader, theme=theme("住房"))
    assert (query_count(client, list_url), query_count(client, detail_url)) == small
    untagged_url = reverse("outreach:opinion_untagged")
    small = query_count(client, untagged_url)
    for _ in range(4):
        VisitFactory(cadre=visit.cadre)
    assert query_count(client, untagged_url) == small
