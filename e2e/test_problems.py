"""Journey of a problem: handed over by its owner, resolved and closed by the new owner with the
worker's satisfaction; the town's monthly report counts it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Concern
from outreach.services import concern_create
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e


def problem_totals(ui, town) -> list[str]:
    """The report's problem totals row: raised, resolved, closed, on time, overdue, on-time %, satisfaction %."""
    ui.goto(f"{reverse('reports:monthly')}?month={timezone.localdate():%Y-%m}&unit={town.pk}")
    cells = ui.page.locator("main [data-row=problems-total] td")
    expect(cells.first).to_be_visible()
    return [text.strip() for text in cells.all_inner_texts()]


def test_a_problem_is_handed_over_resolved_and_closed_and_the_report_counts_it(
    ui, cadre, other_cadre, town_leader, town
):
    enterprise = EnterpriseFactory(name="常州金盛纺织有限公司", district_union=town)
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise, date=timezone.localdate())
    concern = concern_create(
        received_by=cadre,
        category=Concern.Category.WAGES,
        description="职工反映加班费计算不清，要求公开计算方式。",
        visit=visit,
        worker_name="李强",
        worker_phone="13812345678",
    )
    main = ui.page.locator("main")

    ui.login(town_leader)
    before = problem_totals(ui, town)
    assert before[0] == "1", before  # raised this month

    # The owner hands it over to a colleague.
    ui.login(cadre)
    ui.nav(href=reverse("outreach:concern_mine"))
    ui.follow(main.locator(f'a[href="{concern.get_absolute_url()}"]'))
    handover = main.locator("form[action$='/hand-over/']")
    ui.tap(main.locator("details:has(form[action$='/hand-over/']) > summary"))
    handover.locator("select[name=to_owner]").select_option(str(other_cadre.pk))
    handover.locator("[name=reason]").fill("该企业由王强同志定点联系，转交跟进。")
    ui.follow(handover.locator("button[type=submit]"))
    expect(main).to_contain_text(f"{other_cadre.name} · {town.name}")

    # The new owner resolves it, calls the worker back and closes it.
    ui.login(other_cadre)
    ui.nav(href=reverse("outreach:concern_mine"))
    ui.follow(main.locator(f'a[href="{concern.get_absolute_url()}"]'))
    resolve = main.locator("form:has(input[name=to_status][value=resolved])")
    resolve.locator("[name=note]").fill("已与企业协商，公示加班费计算方式。")
    ui.follow(resolve.locator("button[type=submit]"))
    expect(main).to_contain_text("已解决")
    close = main.locator("form:has(input[name=to_status][value=closed])")
    close.locator("[name=callback_note]").fill("电话回访李强，职工表示满意。")
    ui.tap(close.locator("input[name=satisfaction][value=satisfied]"))
    ui.follow(close.locator("button[type=submit]"))
    expect(main).to_contain_text("已办结")
    expect(main).to_contain_text("满意")

    concern.refresh_from_db()
    assert (concern.status, concern.owner, concern.satisfaction) == ("closed", other_cadre, "satisfied")
    assert concern.received_by == cadre  # 首问负责: who first received it stays on record

    ui.login(town_leader)
    after = problem_totals(ui, town)
    assert after[0] == before[0]  # still one raised
    assert after[1] == before[1] == "1"  # one worker affected
    assert int(after[3]) == int(before[3]) + 1  # closed
    assert int(after[4]) == int(before[4]) + 1  # closed on time
    assert before[-1] == "—" and after[-1] == "100.0%"  # satisfaction rate
