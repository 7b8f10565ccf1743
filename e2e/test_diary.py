"""民情日记 prints on A4 portrait: Chromium's own PDF of the page, read back."""

import datetime
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e

A4_POINTS = (595, 842)  # 210 × 297 mm


def test_a_leader_prints_the_units_diaries_on_a4_portrait(ui, town_leader, cadre, other_cadre, town):
    e = EnterpriseFactory(name="常州宏达电气有限公司", district_union=town)
    for day in range(1, 8):
        VisitFactory(
            cadre=cadre,
            host_enterprise=e,
            date=datetime.date(2026, 7, day * 4),
            worker_opinions="希望增加夜班补贴。" * 8,
            reflections="职工的诉求要当场回应，不能拖。" * 6,
        )
    VisitFactory(cadre=other_cadre, host_enterprise=e, date=datetime.date(2026, 8, 5), reflections="同事体会")

    ui.login(town_leader)
    ui.goto(f"{reverse('outreach:diary')}?unit={town.pk}&from=2026-07&to=2026-09")
    expect(ui.page.locator("article.diary-page")).to_have_count(3)
    ui.page.emulate_media(media="print")
    expect(ui.page.locator("form[aria-label]")).to_be_hidden()  # the period form does not print
    pdf = ui.page.pdf(format="A4", prefer_css_page_size=True, print_background=False)

    reader = PdfReader(io.BytesIO(pdf))
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {A4_POINTS}, sizes  # portrait, as the stylesheet asks
    assert len(reader.pages) >= 3  # each cadre's diary starts on a new page
    texts = [page.extract_text() or "" for page in reader.pages]
    text = "\n".join(texts)
    for needle in (cadre.name, other_cadre.name, "常州宏达电气有限公司", "2026-07-04", "同事体会"):
        assert needle in text, needle
    assert "选择时段" not in text and "起始月份" not in text
    first_pages = [i for i, t in enumerate(texts) if "民情日记" in t]
    assert len(first_pages) == 3 and len(set(first_pages)) == 3  # one title per page run
