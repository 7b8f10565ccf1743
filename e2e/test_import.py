"""An admin imports a small directory file: upload, preview, confirm, result."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from unions.models import EnterpriseUnion
from unions.tests.factories import EnterpriseFactory, valid_credit_code
from unions.tests.import_files import ENTERPRISE_HEADERS, csv_bytes

pytestmark = pytest.mark.e2e

# The first eight columns of the ledger template; the rest may be left out.
HEADERS = ENTERPRISE_HEADERS[:8]


def test_an_admin_imports_a_small_directory_file(ui, admin_cadre, town):
    known = EnterpriseFactory(
        name="常州恒力精密机械有限公司", district_union=town, employees=120, members=100
    )
    rows = [
        [valid_credit_code(900001), "常州新润纺织有限公司", town.name, 230, 180, "是", "否", "张伟"],
        [valid_credit_code(900002), "常州华信电子有限公司", town.name, 85, 0, "否", "否", ""],
        [known.credit_code, known.name, town.name, 150, 120, "是", "是", "刘芳"],
    ]
    # The Django admin is a desktop tool: checked for errors and sideways scrolling, not thumb sizes.
    ui.login(admin_cadre)
    ui.goto(reverse("admin:unions_enterpriseunion_changelist"), touch=False)
    ui.follow(ui.page.locator(f'a[href="{reverse("admin:unions_enterpriseunion_import")}"]'), touch=False)
    upload = ui.page.locator("form.directory-import-upload")
    upload.locator("input[type=file]").set_input_files(
        [{"name": "企业工会台账.csv", "mimeType": "text/csv", "buffer": csv_bytes([HEADERS, *rows])}]
    )
    ui.follow(upload.locator("input[type=submit]"), touch=False)

    preview = ui.page.locator(".directory-import-preview")
    expect(preview).to_contain_text("企业工会台账.csv")
    expect(preview.locator(".add strong")).to_have_text("2")
    expect(preview.locator(".update strong")).to_have_text("1")
    expect(preview.locator(".error strong")).to_have_text("0")
    assert EnterpriseUnion.objects.count() == 1  # nothing written before the confirmation

    ui.follow(ui.page.locator("form.directory-import-confirm input[type=submit]"), touch=False)
    expect(ui.page.locator(".messagelist .success")).to_be_visible()
    expect(ui.page.locator("#result_list")).to_contain_text("常州新润纺织有限公司")
    assert EnterpriseUnion.objects.count() == 3
    known.refresh_from_db()
    assert (known.employees, known.has_office, known.chair_name) == (150, True, "刘芳")
