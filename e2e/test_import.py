"""An admin imports a small directory file: upload, preview, confirm, result."""

import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from unions.models import EnterpriseUnion
from unions.tests.factories import EnterpriseFactory, valid_credit_code

pytestmark = pytest.mark.e2e

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属镇（开发区）",
    "职工人数",
    "会员人数",
    "是否建会",
    "是否有工会办公室",
    "工会主席",
]


def ledger_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADERS, *rows])
    return buffer.getvalue().encode("utf-8-sig")


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
        [{"name": "企业工会台账.csv", "mimeType": "text/csv", "buffer": ledger_csv(rows)}]
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
