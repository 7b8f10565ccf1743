"""Campaign pages: who sees which campaign and nomination, nominating, the review, the
published list, the workbook and what a nominee's page shows."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Campaign, CampaignCategory, Nomination
from outreach.services import campaign_publish, nomination_decide, nomination_score
from outreach.tests.factories import (
    CampaignCategoryFactory,
    CampaignFactory,
    NominationFactory,
    VisitFactory,
)
from unions.tests.factories import DistrictFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(district):
    return CampaignFactory(unit=district, name="三个100")


@pytest.fixture
def category(campaign):
    return CampaignCategoryFactory(campaign=campaign, name="百家模范职工之家", quota=2)


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


@pytest.fixture
def reviewing(district):
    return CampaignFactory(unit=district, name="三个100", reviewing=True)


@pytest.fixture
def nominations(reviewing, town, other_town):
    category = CampaignCategoryFactory(campaign=reviewing, name="百家模范职工之家", quota=1)
    return [
        NominationFactory(
            category=category, enterprise=EnterpriseFactory(district_union=town, name="五洋纺织")
        ),
        NominationFactory(
            category=category, enterprise=EnterpriseFactory(district_union=other_town, name="湖塘织造")
        ),
    ]


def detail(campaign):
    return reverse("outreach:campaign_detail", args=[campaign.pk])


def test_it_requires_login(client, campaign):
    for url in (reverse("outreach:campaign_list"), detail(campaign), reverse("outreach:case_list")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_shows_the_districts_campaign_not_another_districts(login, campaign, cadre):
    CampaignFactory(unit=DistrictFactory(), name="外区的评选")
    response = login(cadre).get(reverse("outreach:campaign_list"))
    assert "三个100" in response.content.decode() and "外区的评选" not in response.content.decode()


def test_another_districts_campaign_is_not_found(login, town_leader):
    other = CampaignFactory(unit=DistrictFactory())
    client = login(town_leader)
    for name in ("campaign_detail", "campaign_results", "campaign_xlsx", "campaign_nominate"):
        assert client.get(reverse(f"outreach:{name}", args=[other.pk])).status_code == 404


def test_a_town_leader_sees_only_the_towns_nominations(login, nominations, town_leader):
    page = login(town_leader).get(detail(nominations[0].category.campaign)).content.decode()
    assert "五洋纺织" in page and "湖塘织造" not in page


def test_another_towns_nomination_cannot_be_reviewed_through_its_url(login, nominations, other_town_leader):
    mine = nominations[0]
    response = login(other_town_leader).post(
        reverse("outreach:nomination_score", args=[mine.pk]), {"score": "99", "version": 1}
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.status == Nomination.Status.NOMINATED


def test_the_nomination_form_offers_only_the_towns_enterprises(
    login, category, enterprise, other_town, town_leader
):
    EnterpriseFactory(district_union=other_town, name="湖塘织造有限公司")
    url = reverse("outreach:campaign_nominate", args=[category.campaign.pk])
    page = login(town_leader).get(url, {"category": category.pk}).content.decode()
    assert "五洋纺织机械有限公司" in page and "湖塘织造有限公司" not in page


def test_a_town_leader_nominates_with_a_reason(login, category, enterprise, town_leader):
    url = reverse("outreach:campaign_nominate", args=[category.campaign.pk])
    response = login(town_leader).post(
        url, {"category": category.pk, "nominee": enterprise.pk, "reason": "职工之家建设规范，活动经常。"}
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.enterprise == enterprise and nomination.nominated_by == town_leader
    assert "visits" in nomination.evidence and "membership" in nomination.evidence
    page = login(town_leader).get(detail(category.campaign)).content.decode()
    assert "职工之家建设规范" in page and "入会率" in page


def test_a_bad_nomination_rerenders_with_a_chinese_message(login, category, other_town, town_leader):
    foreign = EnterpriseFactory(district_union=other_town)
    url = reverse("outreach:campaign_nominate", args=[category.campaign.pk])
    response = login(town_leader).post(
        url, {"category": category.pk, "nominee": foreign.pk, "reason": "很好"}
    )
    assert response.status_code == 400
    assert "请选择本辖区内的推荐对象" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_second_nomination_of_the_same_enterprise_is_refused(login, category, enterprise, town_leader):
    NominationFactory(category=category, enterprise=enterprise)
    url = reverse("outreach:campaign_nominate", args=[category.campaign.pk])
    response = login(town_leader).post(
        url, {"category": category.pk, "nominee": enterprise.pk, "reason": "很好"}
    )
    assert response.status_code == 400 and "已被推荐" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_nominating_is_refused_once_nominations_are_closed(login, nominations, town_leader, town):
    campaign = nominations[0].category.campaign
    url = reverse("outreach:campaign_nominate", args=[campaign.pk])
    response = login(town_leader).post(
        url,
        {
            "category": nominations[0].category_id,
            "nominee": EnterpriseFactory(district_union=town).pk,
            "reason": "好",
        },
    )
    assert response.status_code == 403
    assert Nomination.objects.count() == 2


def test_a_cadre_does_not_nominate(login, category, enterprise, cadre):
    url = reverse("outreach:campaign_nominate", args=[category.campaign.pk])
    response = login(cadre).post(url, {"category": category.pk, "nominee": enterprise.pk, "reason": "很好"})
    assert response.status_code == 403 and not Nomination.objects.exists()


def test_a_visit_is_nominated_from_its_page(login, campaign, cadre, town_leader):
    visits = CampaignCategoryFactory(campaign=campaign, name="百个走访案例", nominee_kind="visit")
    visit = VisitFactory(cadre=cadre)
    client = login(town_leader)
    page = client.get(reverse("outreach:visit_detail", args=[visit.pk])).content.decode()
    link = f"{reverse('outreach:campaign_nominate', args=[campaign.pk])}?category={visits.pk}&amp;visit={visit.pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert str(visit.host_enterprise) in form
    response = client.post(
        reverse("outreach:campaign_nominate", args=[campaign.pk]),
        {"category": visits.pk, "nominee": visit.pk, "reason": "现场解答职工疑问，效果好。"},
    )
    assert response.status_code == 302 and Nomination.objects.get().visit == visit


def test_the_district_scores_selects_and_publishes(login, nominations, district_leader):
    mine, theirs = nominations
    campaign = mine.category.campaign
    client = login(district_leader)
    client.post(
        reverse("outreach:nomination_score", args=[mine.pk]),
        {"score": "92.5", "note": "材料翔实", "version": 1},
    )
    mine.refresh_from_db()
    assert mine.status == Nomination.Status.SCORED and mine.score == Decimal("92.5")
    client.post(
        reverse("outreach:nomination_decide", args=[mine.pk]), {"selected": "1", "version": mine.version}
    )
    mine.refresh_from_db()
    assert mine.status == Nomination.Status.SELECTED

    response = client.post(reverse("outreach:campaign_publish", args=[campaign.pk]), follow=True)
    assert "每一项推荐" in response.content.decode()  # 湖塘织造 is still undecided
    client.post(reverse("outreach:nomination_score", args=[theirs.pk]), {"score": "70", "version": 1})
    response = client.post(
        reverse("outreach:nomination_decide", args=[theirs.pk]), {"selected": "1", "version": 2}, follow=True
    )
    assert "名额" in response.content.decode()  # one place, taken
    client.post(reverse("outreach:nomination_decide", args=[theirs.pk]), {"selected": "0", "version": 2})
    response = client.post(reverse("outreach:campaign_publish", args=[campaign.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("outreach:campaign_results", args=[campaign.pk])
    page = response.content.decode()
    assert '<td class="text-break">五洋纺织' in page and '<td class="text-break">湖塘织造' not in page


def test_a_town_leader_cannot_review_or_publish(login, nominations, town_leader):
    mine = nominations[0]
    client = login(town_leader)
    assert (
        client.post(
            reverse("outreach:nomination_score", args=[mine.pk]), {"score": "99", "version": 1}
        ).status_code
        == 403
    )
    campaign = mine.category.campaign
    assert client.post(reverse("outreach:campaign_publish", args=[campaign.pk])).status_code == 403
    mine.refresh_from_db()
    campaign.refresh_from_db()
    assert mine.status == Nomination.Status.NOMINATED and not campaign.is_published


def test_a_bad_score_is_refused_in_chinese(login, nominations, district_leader):
    mine = nominations[0]
    response = login(district_leader).post(
        reverse("outreach:nomination_score", args=[mine.pk]), {"score": "120", "version": 1}, follow=True
    )
    assert "100" in response.content.decode() and "确保" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Nomination.Status.NOMINATED


def test_review_posts_need_the_csrf_token(nominations, district_leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(district_leader.user)
    response = client.post(
        reverse("outreach:nomination_score", args=[nominations[0].pk]), {"score": "90", "version": 1}
    )
    assert response.status_code == 403
    nominations[0].refresh_from_db()
    assert nominations[0].status == Nomination.Status.NOMINATED


def _decide_all(nominations, leader):
    for n, selected in zip(nominations, (True, False), strict=True):
        n = nomination_score(nomination=n, actor=leader, score=Decimal("90") if selected else Decimal("60"))
        nomination_decide(nomination=n, actor=leader, selected=selected)


def test_the_published_list_is_for_everyone_who_sees_the_campaign(
    login, nominations, district_leader, other_town_leader
):
    campaign = nominations[0].category.campaign
    url = reverse("outreach:campaign_results", args=[campaign.pk])
    assert "尚未公布" in login(other_town_leader).get(url).content.decode()
    _decide_all(nominations, district_leader)
    campaign_publish(campaign=campaign, actor=district_leader)
    page = login(other_town_leader).get(url).content.decode()
    assert "五洋纺织" in page and "湖塘织造" not in page


def test_the_workbook_has_a_row_per_nomination_the_leader_sees(
    login, nominations, district_leader, town_leader
):
    _decide_all(nominations, district_leader)
    campaign = nominations[0].category.campaign
    response = login(district_leader).get(reverse("outreach:campaign_xlsx", args=[campaign.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "类别", "推荐对象")
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"五洋纺织", "湖塘织造"}
    chosen = by_name["五洋纺织"]
    assert chosen[3] == "高新区总工会" and chosen[8] == 90 and chosen[10] == "入选"
    assert "完成走访：3" in chosen[5]
    response = login(town_leader).get(reverse("outreach:campaign_xlsx", args=[campaign.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["五洋纺织"]


def test_formula_like_reasons_stay_text_in_the_workbook(login, reviewing, town, district_leader):
    category = CampaignCategoryFactory(campaign=reviewing)
    NominationFactory(
        category=category, enterprise=EnterpriseFactory(district_union=town), reason="=HYPERLINK(1)"
    )
    response = login(district_leader).get(reverse("outreach:campaign_xlsx", args=[reviewing.pk]))
    cell = load_workbook(io.BytesIO(response.content)).active["E2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_the_enterprise_page_shows_its_campaigns(login, nominations, district_leader, cadre):
    mine = nominations[0]
    url = reverse("unions:enterprise_detail", args=[mine.enterprise_id])
    page = login(cadre).get(url).content.decode()
    assert "三个100" in page and "评审中" in page
    _decide_all(nominations, district_leader)
    campaign_publish(campaign=mine.category.campaign, actor=district_leader)
    page = login(cadre).get(url).content.decode()
    assert "三个100" in page and "入选" in page


def test_a_cadres_year_shows_the_campaigns_he_was_nominated_in(login, reviewing, cadre):
    category = CampaignCategoryFactory(campaign=reviewing, name="百名优秀工会干部", nominee_kind="cadre")
    NominationFactory(category=category, enterprise=None, cadre=cadre, town=cadre.unit)
    page = login(cadre).get(reverse("reports:my_year")).content.decode()
    assert "百名优秀工会干部" in page


def test_the_campaign_pages_take_constant_queries(login, query_count, reviewing, town, district_leader):
    category = CampaignCategoryFactory(campaign=reviewing)
    client = login(district_leader)
    urls = [
        detail(reviewing),
        reverse("outreach:campaign_list"),
        reverse("outreach:campaign_xlsx", args=[reviewing.pk]),
    ]

    def counts():
        return [query_count(client, url) for url in urls]

    for _ in range(3):
        NominationFactory(category=category, enterprise=EnterpriseFactory(district_union=town))
        CampaignFactory(unit=reviewing.unit)
    three = counts()
    for _ in range(3):
        NominationFactory(category=category, enterprise=EnterpriseFactory(district_union=town))
        CampaignFactory(unit=reviewing.unit)
    assert counts() == three


def test_the_published_list_takes_constant_queries(login, query_count, reviewing, town, district_leader):
    category = CampaignCategoryFactory(campaign=reviewing, quota=10)
    url = reverse("outreach:campaign_results", args=[reviewing.pk])
    reviewing.published_at = reviewing.created_at
    reviewing.save()
    client = login(district_leader)
    for _ in range(3):
        NominationFactory(
            category=category, enterprise=EnterpriseFactory(district_union=town), status="selected", score=90
        )
    three = query_count(client, url)
    for _ in range(3):
        NominationFactory(
            category=category, enterprise=EnterpriseFactory(district_union=town), status="selected", score=90
        )
    assert query_count(client, url) == three


def _setup_data(**overrides):
    data = {
        "name": "三个100",
        "description": "百家、百名、百个",
        "nomination_opens": "2026-12-01",
        "nomination_closes": "2026-12-20",
        "review_closes": "2027-01-10",
        "categories-TOTAL_FORMS": "3",
        "categories-INITIAL_FORMS": "0",
        "categories-MIN_NUM_FORMS": "1",
        "categories-MAX_NUM_FORMS": "1000",
        "categories-0-name": "百家模范职工之家",
        "categories-0-nominee_kind": "enterprise",
        "categories-0-quota": "100",
        "categories-1-name": "百名优秀工会干部",
        "categories-1-nominee_kind": "cadre",
        "categories-1-quota": "100",
    }
    return {**data, **overrides}


def test_a_district_leader_sets_up_a_campaign_with_its_categories(login, district_leader, district):
    response = login(district_leader).post(reverse("outreach:campaign_create"), _setup_data())
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.unit == district and campaign.created_by == district_leader
    assert [(c.name, c.quota) for c in campaign.categories.all()] == [
        ("百家模范职工之家", 100),
        ("百名优秀工会干部", 100),
    ]


def test_dates_out_of_order_rerender_and_save_nothing(login, district_leader):
    response = login(district_leader).post(
        reverse("outreach:campaign_create"), _setup_data(review_closes="2026-12-10")
    )
    assert response.status_code == 400 and "评审截止日期须晚于推荐截止日期" in response.content.decode()
    assert not Campaign.objects.exists() and not CampaignCategory.objects.exists()


def test_a_campaign_needs_a_category(login, district_leader):
    data = _setup_data(**{"categories-0-name": "", "categories-1-name": ""})
    data = {k: v for k, v in data.items() if not k.startswith("categories-") or k.endswith("FORMS")}
    response = login(district_leader).post(reverse("outreach:campaign_create"), data)
    assert response.status_code == 400 and not Campaign.objects.exists()


def test_a_town_leader_does_not_set_up_campaigns(login, town_leader):
    client = login(town_leader)
    assert client.get(reverse("outreach:campaign_create")).status_code == 403
    assert client.post(reverse("outreach:campaign_create"), _setup_data()).status_code == 403
    assert not Campaign.objects.exists()


def test_the_evidence_shows_in_a_fixed_order(reviewing, town):
    nomination = NominationFactory(
        category=CampaignCategoryFactory(campaign=reviewing),
        enterprise=EnterpriseFactory(district_union=town),
        evidence={"membership": "80%", "visits": 2, "period": "2025-12-02 — 2026-12-02"},
    )
    nomination.refresh_from_db()
    assert [str(label) for label, _ in nomination.evidence_items()] == ["时段", "完成走访", "入会率"]


def test_a_town_leader_withdraws_a_nomination_and_may_nominate_again(
    login, category, enterprise, town_leader
):
    nomination = NominationFactory(category=category, enterprise=enterprise)
    client = login(town_leader)
    assert "撤回推荐" in client.get(detail(category.campaign)).content.decode()
    response = client.post(reverse("outreach:nomination_withdraw", args=[nomination.pk]))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.is_deleted and nomination.history.count() == 2
    assert "五洋纺织机械有限公司" not in client.get(detail(category.campaign)).content.decode()
    url = reverse("outreach:campaign_nominate", args=[category.campaign.pk])
    client.post(url, {"category": category.pk, "nominee": enterprise.pk, "reason": "重新推荐。"})
    assert Nomination.objects.alive().get().reason == "重新推荐。"


def test_a_reviewed_nomination_is_not_withdrawn(login, nominations, town_leader, district_leader):
    mine = nominations[0]
    nomination_score(nomination=mine, actor=district_leader, score=Decimal("80"))
    response = login(town_leader).post(reverse("outreach:nomination_withdraw", args=[mine.pk]), follow=True)
    assert "不在推荐期内" in response.content.decode()
    mine.refresh_from_db()
    assert not mine.is_deleted
