"""How pages look: the problem timeline's numbers sit on the first line of their entries."""

import pytest
from playwright.sync_api import expect

from outreach.models import Concern
from outreach.services import concern_create, concern_transition
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e


def test_the_timeline_number_is_on_the_same_line_as_its_entry(ui, cadre, town):
    concern = concern_create(
        received_by=cadre,
        category=Concern.Category.WAGES,
        description="职工反映加班费计算不清，要求公开计算方式。",
        enterprise=EnterpriseFactory(district_union=town),
    )
    concern_transition(concern=concern, actor=cadre, to_status="in_progress", note="已联系企业人事部门。")
    ui.login(cadre)
    ui.goto(concern.get_absolute_url())
    items = ui.page.locator("main ol.list-group-numbered > li")
    expect(items).to_have_count(2)
    for n in range(2):
        item, entry = items.nth(n), items.nth(n).locator(".timeline-entry")
        item_box, entry_box = item.bounding_box(), entry.bounding_box()
        padding_top = float(item.evaluate("li => getComputedStyle(li).paddingTop").removesuffix("px"))
        padding_left = float(item.evaluate("li => getComputedStyle(li).paddingLeft").removesuffix("px"))
        # The entry starts on the item's first line (the number does not push it down) ...
        assert abs(entry_box["y"] - (item_box["y"] + padding_top)) <= 2, (item_box, entry_box)
        # ... to the right of the number, which takes the start of that line.
        assert entry_box["x"] >= item_box["x"] + padding_left + 8, (item_box, entry_box)
