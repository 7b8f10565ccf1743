"""The notices journey: a town leader returns a visit; the cadre sees the bell go up, opens the
notice, fixes the visit and resubmits; the leader finds it in the review queue and reviews it in
a bulk action; run_notices delivered the two mails to a local SMTP server, each exactly once."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from notices.tests.smtp import mail_settings, smtp_server
from outreach.models import Notice, Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def smtp(settings, live_server):
    with smtp_server() as (inbox, port):
        mail_settings(settings, port)
        settings.SITE_URL = live_server.url
        yield inbox


def _run_notices() -> None:
    call_command("run_notices", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process


def test_a_returned_visit_goes_round_through_the_bell_the_queue_and_the_mails(
    ui, smtp, cadre, town_leader, town
):
    cadre.user.email = "xuwenjing@example.com"
    cadre.user.save()
    enterprise = EnterpriseFactory(name="常州天华电子有限公司", district_union=town)
    visit = VisitFactory(
        cadre=cadre, host_enterprise=enterprise, date=timezone.localdate(), submitted_at=timezone.now()
    )
    reason = "请补充职工反映的具体问题和涉及人数。"
    main = ui.page.locator("main")

    # The leader finds the visit in the queue and returns it with the reason.
    ui.login(town_leader)
    expect(ui.page.locator("#review-queue")).to_contain_text("天华")
    ui.nav(href=reverse("outreach:review_queue"))
    ui.follow(main.locator(f'#review-queue a[href="{visit.get_absolute_url()}"]'))
    returning = main.locator("form[action$='/return/']")
    returning.locator("[name=reason]").fill(reason)
    ui.follow(returning.locator("button[type=submit]"))
    expect(main).to_contain_text("已退回修改")
    _run_notices()
    # (from the 25th the cadre is told of the month's days too: only the visit's mails count here)
    [returned_mail] = [m for m in smtp.to("xuwenjing@example.com") if "走访" in m["Subject"]]
    assert "退回" in returned_mail["Subject"] and "天华" in returned_mail["Subject"]
    assert reason in returned_mail.get_body(("plain",)).get_content()

    # The cadre's bell says 1; the notice opens the visit, which the cadre fixes and resubmits.
    ui.login(cadre)
    unread = Notice.objects.for_inbox(cadre).unread().count()
    assert unread >= 1
    expect(ui.page.locator("#notice-count")).to_have_text(str(unread))
    ui.nav(href=reverse("notices:inbox"))
    notice = main.locator("#notice-list a").filter(has_text="我的走访被退回")
    expect(main.locator("#notice-list")).to_contain_text(reason)
    ui.follow(notice.first)
    assert ui.page.url.endswith(visit.get_absolute_url()), ui.page.url
    if unread == 1:
        expect(ui.page.locator("#notice-count")).to_have_count(0)  # read: the bell is quiet
    else:
        expect(ui.page.locator("#notice-count")).to_have_text(str(unread - 1))
    ui.follow(main.locator("a[href$='/edit/']").first)
    work_done = main.locator("[name=work_done]")
    work_done.fill(work_done.input_value() + "\n职工反映加班费问题，涉及约30人。")
    ui.follow(main.locator("button[name=action][value=submit]"))
    expect(main).to_contain_text("已提交")

    # The leader ticks it in the queue and marks it reviewed with the bulk action.
    ui.login(town_leader)
    ui.nav(href=reverse("outreach:review_queue"))
    box = main.locator(f'#review-queue input[name=visit][value^="{visit.pk}-"]')
    ui.tap(box)
    expect(box).to_be_checked()
    ui.follow(main.get_by_role("button", name="将勾选的走访标为已审核"))
    expect(main).to_contain_text("1 条走访已标为已审核")
    expect(main.locator("#review-queue")).not_to_contain_text("天华")
    visit.refresh_from_db()
    assert (visit.status, visit.reviewer) == (Visit.Status.REVIEWED, town_leader)

    # run_notices, twice: the review's mail arrives, once; nothing goes twice.
    _run_notices()
    _run_notices()
    subjects = [m["Subject"] for m in smtp.to("xuwenjing@example.com") if "走访" in m["Subject"]]
    assert len(subjects) == 2, subjects
    assert "退回" in subjects[0] and re.search("已审核", subjects[1]), subjects
    assert len(smtp.messages) == Notice.objects.filter(mail_state="sent").count()
