"""Accounts in a real browser: a new cadre from an imported roster activates the account through
the mailed link and logs in; a town leader manages the town's cadres."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from outreach.tests.factories import ConcernFactory
from unions.models import Cadre
from unions.tests.import_files import CADRE_HEADERS, csv_bytes

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "春风-李新-2026-密码"


def _mail_to(address: str, timeout: float = 30):
    """The mail the live server sent (Django's locmem backend, same process), waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if address in message.to:
                return message
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address}")


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/activate/\S+/", message.body).group(0)


def test_a_cadre_imported_with_an_address_activates_the_account_and_logs_in(
    ui, admin_cadre, town, settings, live_server
):
    settings.SITE_URL = live_server.url
    ui.login(admin_cadre)
    ui.goto(reverse("admin:unions_cadre_import"), touch=False)
    upload = ui.page.locator("form.directory-import-upload")
    row = ["", "李新", town.name, "干事", "13900000011", "干部", "", "是", "li@example.cn", ""]
    upload.locator("input[type=file]").set_input_files(
        [{"name": "干部名册.csv", "mimeType": "text/csv", "buffer": csv_bytes([CADRE_HEADERS, row])}]
    )
    ui.follow(upload.locator("input[type=submit]"), touch=False)
    expect(ui.page.locator(".directory-import-preview .add strong")).to_have_text("1")
    ui.follow(ui.page.locator("form.directory-import-confirm input[type=submit]"), touch=False)
    expect(ui.page.locator(".messagelist")).to_contain_text("已发送 1 封邀请邮件")

    message = _mail_to("li@example.cn")
    assert "激活" in message.subject
    ui.page.context.clear_cookies()  # the cadre's own phone or PC
    ui.goto(_link(message))
    expect(ui.page.locator("main")).to_contain_text("13900000011")
    ui.page.fill("#id_new_password1", NEW_PASSWORD)
    ui.page.fill("#id_new_password2", NEW_PASSWORD)
    ui.submit("激活")
    expect(ui.page.locator("main .alert-success")).to_contain_text("账号已激活")

    ui.login("13900000011", NEW_PASSWORD)
    expect(ui.page.locator(".navbar")).to_contain_text("李新")
    # The link worked once.
    ui.page.context.clear_cookies()
    ui.goto(_link(message))
    expect(ui.page.locator("main")).to_contain_text("此激活链接已失效")


def test_a_town_leader_manages_the_towns_cadres(
    ui, guard, town_leader, cadre, other_cadre, other_town_leader, settings, live_server
):
    settings.SITE_URL = live_server.url
    problem = ConcernFactory(
        owner=cadre, enterprise__district_union=cadre.unit, description="职工反映加班费未发"
    )
    ui.login(town_leader)
    ui.nav("工会干部")
    cadres = ui.page.locator("main table")
    expect(cadres).to_contain_text("许文静")
    expect(cadres).not_to_contain_text("陈明")  # another town's leader

    ui.follow(ui.page.get_by_role("link", name="新增干部"))
    ui.page.fill("#id_name", "孙新人")
    ui.page.fill("#id_phone", "13700001234")
    ui.page.fill("#id_email", "sun@example.cn")
    ui.submit("新增并邀请")
    expect(ui.page.locator("main .alert-success")).to_contain_text("sun@example.cn")
    assert "/accounts/activate/" in _mail_to("sun@example.cn").body
    newcomer = Cadre.objects.get(name="孙新人")
    row = ui.page.locator(f'tr[data-cadre="{newcomer.pk}"]')
    expect(row).to_contain_text("邀请")
    ui.follow(row.get_by_role("button", name="重新邀请"))
    expect(ui.page.locator("main .alert-success")).to_contain_text("新的邀请邮件")

    # A cadre who owns an open problem: listed, linked to its hand-over, and no deactivation.
    ui.follow(ui.page.locator(f'tr[data-cadre="{cadre.pk}"]').get_by_role("link", name="停用"))
    expect(ui.page.locator("#open-problems")).to_contain_text("职工反映加班费未发")
    expect(ui.page.locator(f'#open-problems a[href="{problem.get_absolute_url()}"]')).to_be_visible()
    expect(ui.page.locator("main form button")).to_have_count(0)

    ui.goto(reverse("unions:cadre_list"))
    ui.follow(ui.page.locator(f'tr[data-cadre="{other_cadre.pk}"]').get_by_role("link", name="停用"))
    ui.submit("停用")
    expect(ui.page.locator("main .alert-success")).to_contain_text("已停用")
    expect(ui.page.locator(f'tr[data-cadre="{other_cadre.pk}"]')).to_contain_text("已停用")
    other_cadre.refresh_from_db()
    assert not other_cadre.is_active

    guard.allow_console_error("status of 404")
    response = ui.goto(reverse("unions:cadre_deactivate", args=[other_town_leader.pk]))
    assert response.status == 404
