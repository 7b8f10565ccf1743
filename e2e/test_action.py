"""From visits to action (issue 17): a worker's wage-arrears problem referred to legal aid and
helped; a town leader's nomination through the district's review to the published list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Campaign, Concern, Nomination, Referral
from outreach.services import concern_create
from outreach.tests.factories import CampaignCategoryFactory, CampaignFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e


def test_a_wage_arrears_problem_is_referred_to_legal_aid_and_the_worker_helped(ui, cadre, town_leader, town):
    enterprise = EnterpriseFactory(name="五洋纺织机械有限公司", district_union=town)
    concern = concern_create(
        received_by=cadre,
        category=Concern.Category.WAGES,
        description="三名职工被拖欠两个月工资。",
        enterprise=enterprise,
        worker_name="李强",
        worker_phone="13812345678",
        workers_affected=3,
    )
    main = ui.page.locator("main")

    # The owner refers the problem to legal aid with the aid system's fields.
    ui.login(cadre)
    ui.nav(href=reverse("outreach:concern_mine"))
    ui.follow(main.locator(f'a[href="{concern.get_absolute_url()}"]'))
    ui.follow(main.locator("#referrals a[href$='?kind=legal_aid']"))
    form = main.locator("form[method=post]")
    expect(form.locator("[name=employer]")).to_have_value("五洋纺织机械有限公司")
    expect(form.locator("[name=workers_concerned]")).to_have_value("3")
    form.locator("select[name=dispute_type]").select_option("wage_arrears")
    form.locator("[name=amount_in_dispute]").fill("25600")
    ui.follow(form.locator("button[type=submit]"))
    expect(main.locator("[data-referral-status]")).to_have_text("已提交")
    referral = Referral.objects.get(concern=concern)
    assert (referral.kind, referral.dispute_type, referral.workers_concerned) == (
        "legal_aid",
        "wage_arrears",
        3,
    )

    # The town's leader accepts it, then records the help the workers received.
    ui.login(town_leader)
    ui.goto(referral.get_absolute_url())
    ui.follow(main.locator("form:has(input[name=to_status][value=accepted]) button[type=submit]"))
    expect(main.locator("[data-referral-status]")).to_have_text("已受理")
    helped = main.locator("form:has(input[name=to_status][value=helped])")
    helped.locator("[name=note]").fill("区职工法律援助工作站代理劳动仲裁，企业已补发工资。")
    ui.follow(helped.locator("button[type=submit]"))
    expect(main.locator("[data-referral-status]")).to_have_text("已帮扶")
    expect(main.locator("[data-outcome]")).to_contain_text("企业已补发工资")

    # The problem's page shows the referral and its outcome.
    ui.follow(main.locator(f'a[href="{concern.get_absolute_url()}"]').first)
    expect(main.locator("#referrals")).to_contain_text("已帮扶")
    expect(main.locator("#referrals [data-referral-outcome]")).to_contain_text("企业已补发工资")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.HELPED and referral.decided_by == town_leader


def test_a_town_leaders_nomination_goes_through_the_district_review_to_the_published_list(
    ui, town_leader, district_leader, district, town
):
    today = timezone.localdate()
    campaign = CampaignFactory(unit=district, name="三个100")
    category = CampaignCategoryFactory(campaign=campaign, name="百家模范职工之家", quota=100)
    enterprise = EnterpriseFactory(name="科能电子有限公司", district_union=town, employees=300, members=280)
    main = ui.page.locator("main")

    # The town's leader nominates an enterprise union of the town, with the reason.
    ui.login(town_leader)
    ui.nav(href=reverse("outreach:campaign_list"))
    ui.follow(main.locator(f'a[href="{campaign.get_absolute_url()}"]'))
    ui.follow(main.locator(f"[data-category='{category.pk}'] a", has_text="推荐"))
    form = main.locator("form[method=post]")
    form.locator("select[name=nominee]").select_option(str(enterprise.pk))
    form.locator("[name=reason]").fill("职工之家建设规范，工会工作办公室运转良好。")
    ui.follow(form.locator("button[type=submit]"))
    nomination = Nomination.objects.get(enterprise=enterprise)
    card = main.locator(f"[data-nomination='{nomination.pk}']")
    expect(card).to_contain_text("科能电子有限公司")
    expect(card.locator("[data-evidence]")).to_contain_text("93%")  # 280 members of 300 employees
    expect(card.locator("[data-nomination-status]")).to_have_text("已推荐")

    # Nominations close; the district's leaders review, score and decide, then publish.
    Campaign.objects.filter(pk=campaign.pk).update(
        nomination_opens=today - datetime.timedelta(days=20),
        nomination_closes=today - datetime.timedelta(days=1),
    )
    ui.login(district_leader)
    ui.nav(href=reverse("outreach:campaign_list"))
    ui.follow(main.locator(f'a[href="{campaign.get_absolute_url()}"]'))
    card = main.locator(f"[data-nomination='{nomination.pk}']")
    card.locator("[name=score]").fill("92.5")
    card.locator("[name=note]").fill("材料翔实，建家成效明显。")
    ui.follow(card.get_by_role("button", name="保存评分"))
    card = main.locator(f"[data-nomination='{nomination.pk}']")
    expect(card.locator("[data-nomination-status]")).to_have_text("已评分")
    ui.follow(card.get_by_role("button", name="入选", exact=True))
    expect(main.locator(f"[data-nomination='{nomination.pk}'] [data-nomination-status]")).to_have_text("入选")
    ui.follow(main.locator("#campaign-publish"))

    # The published list, and the enterprise's page, show the result.
    expect(main.locator(f"[data-selected='{nomination.pk}']")).to_contain_text("科能电子有限公司")
    expect(main.locator(f"[data-selected='{nomination.pk}']")).to_contain_text("92.5")
    ui.login(town_leader)
    ui.goto(reverse("unions:enterprise_detail", args=[enterprise.pk]))
    expect(main.locator("#nominee-campaigns")).to_contain_text("三个100")
    expect(main.locator(f"#nominee-campaigns [data-nominated='{nomination.pk}']")).to_contain_text("入选")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SELECTED and nomination.reviewed_by == district_leader
