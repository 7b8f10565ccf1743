"""The pages every role meets first: login, home, the enterprise directory, the Django admin."""

import pytest
from playwright.sync_api import expect

from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.e2e


def test_it_sends_anonymous_visitors_to_the_login_form(ui):
    ui.goto("/")
    assert "/accounts/login/" in ui.page.url
    expect(ui.page.locator("h1")).to_have_text("登录「三个一天」")


def test_a_wrong_password_keeps_the_user_on_the_form(ui, cadre):
    ui.goto("/accounts/login/")
    ui.page.fill("#id_username", cadre.user.username)
    ui.page.fill("#id_password", "not-the-password")
    ui.submit()
    assert "/accounts/login/" in ui.page.url
    expect(ui.page.locator("main .alert-danger, main .invalid-feedback").first).to_be_visible()
    expect(ui.page.locator("#id_username")).to_have_value(cadre.user.username)


def test_a_cadre_logs_in_and_sees_their_home(ui, cadre):
    ui.login(cadre)
    expect(ui.page.locator("h1")).to_have_text(f"{cadre.name}，您好")
    expect(ui.page.locator("nav.navbar")).to_contain_text(cadre.unit.name)


def test_a_town_leader_sees_only_the_enterprises_of_the_town(ui, town_leader, town, other_town):
    mine = EnterpriseFactory(name="常州恒力精密机械有限公司", district_union=town)
    EnterpriseFactory(name="湖塘纺织有限公司", district_union=other_town)
    ui.login(town_leader)
    expect(ui.page.locator("h1")).to_contain_text(town.name)
    ui.nav("企业名录")
    table = ui.page.locator("main table")
    expect(table).to_contain_text(mine.name)
    expect(table).not_to_contain_text("湖塘纺织有限公司")

    ui.page.get_by_role("searchbox").fill("恒力")
    ui.submit("搜索")
    expect(table).to_contain_text(mine.name)
    assert "q=" in ui.page.url


def test_an_admin_reaches_the_directory_in_the_django_admin(ui, admin_cadre, town):
    EnterpriseFactory(name="常州天华电子有限公司", district_union=town)
    ui.login(admin_cadre)
    expect(ui.page.locator("h1")).to_have_text("名录管理")
    ui.page.locator("main").get_by_role("link", name="企业工会").click()
    ui.page.wait_for_load_state()
    # The Django admin is a desktop tool: only check it does not break the page or call out.
    assert "/admin/unions/enterpriseunion/" in ui.page.url
    expect(ui.page.locator("#result_list")).to_contain_text("常州天华电子有限公司")


def test_logging_out_returns_to_the_login_form(ui, cadre):
    ui.login(cadre)
    toggler = ui.page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    with ui.page.expect_navigation():
        ui.page.get_by_role("button", name="退出登录").click()
    ui.page.wait_for_url("**/accounts/login/")
    ui.check()
    expect(ui.page.locator("#id_username")).to_be_visible()
