"""The monthly report's Excel download is a real workbook with the month's figures."""

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e


def test_the_monthly_report_downloads_as_a_real_workbook(ui, town_leader, cadre, town, tmp_path):
    today = timezone.localdate()
    for name in ("常州宏达电气有限公司", "常州博远模具有限公司"):
        VisitFactory(
            cadre=cadre, host_enterprise=EnterpriseFactory(name=name, district_union=town), date=today
        )

    ui.login(town_leader)
    ui.nav(href=reverse("reports:monthly"))
    expect(ui.page.locator("main h1")).to_contain_text(town.name)
    link = ui.page.locator("main a[href*='monthly.xlsx']")
    with ui.page.expect_download() as download_info:
        ui.tap(link)
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames
    text = "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert town.name in text
    assert cadre.name in text
    ui.check()  # downloading left the report page as it was
