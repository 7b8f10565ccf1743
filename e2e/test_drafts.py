"""A visit draft kept in the browser belongs to its user (the review's finding): on a shared phone
the next user never sees the last user's workers' names and phones, whether the last user
logged out or simply left the phone to someone who logged in."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from unions.tests.factories import CadreFactory

pytestmark = pytest.mark.e2e

TEXT = "职工李强反映加班费未按时发放，电话13812345678。"


def _drafts(ui) -> dict:
    return ui.page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter(k => k.startsWith('visit-draft:')).map(k => [k, localStorage.getItem(k)]))"
    )


def _type_a_draft(ui, cadre) -> None:
    ui.login(cadre)
    ui.goto(reverse("outreach:visit_create"))
    form = ui.page.locator("#visit-form")
    form.locator("[name=work_done]").fill(TEXT)
    form.locator('input[name="concerns-0-worker_phone"]').fill("13812345678")
    drafts = _drafts(ui)
    assert (
        list(drafts) == [f"visit-draft:{cadre.user_id}:new"]
        and TEXT in drafts[f"visit-draft:{cadre.user_id}:new"]
    )


def _log_out(ui) -> None:
    toggler = ui.page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        ui.tap(toggler)
    ui.follow(ui.page.locator("#logout-form button"))


def test_logging_out_removes_every_draft(ui, cadre, town):
    _type_a_draft(ui, cadre)
    _log_out(ui)
    assert _drafts(ui) == {}


def test_the_next_user_on_a_shared_phone_never_sees_the_last_users_draft(ui, cadre, town):
    _type_a_draft(ui, cadre)
    ui.login(CadreFactory(unit=town, name="王强"))  # the phone changes hands without a logout
    assert _drafts(ui) == {}
    ui.goto(reverse("outreach:visit_create"))
    expect(ui.page.locator("#visit-form [name=work_done]")).to_have_value("")
    expect(ui.page.locator("#draft-restored")).to_be_hidden()
    expect(ui.page.locator("body")).not_to_contain_text("13812345678")


def test_a_cadre_who_stays_at_the_outbox_warning_keeps_the_draft(ui, cadre, town):
    _type_a_draft(ui, cadre)
    ui.page.evaluate(  # a visit recorded offline waits in the outbox
        "() => OutreachOffline.put({uuid: OutreachOffline.newId(), created: Date.now(), kind: 'worker'})"
    )
    question = ui.answer_confirm(ui.logout_button(), accept=False)  # stay logged in
    assert "1 条记录尚未发送" in question
    expect(ui.page.locator("#visit-form [name=work_done]")).to_have_value(TEXT)
    assert list(_drafts(ui)) == [f"visit-draft:{cadre.user_id}:new"]

    with ui.page.expect_navigation(url="**/accounts/login/**"):
        ui.answer_confirm(ui.logout_button(), accept=True)  # leave anyway
    assert _drafts(ui) == {}
