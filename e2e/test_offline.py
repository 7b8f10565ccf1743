"""The offline app (issue 15): a cadre in a basement with no signal records visits on the
phone; they arrive once, with their photos and problems, when the connection returns. A
visit the server refuses stays in the outbox with the server's message, and a create whose
answer was lost after the server saved it is never made twice.

Run on the phone only: the offline app is for phones (the desktop uses the same code)."""

import io
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Visit
from unions.models import EnterpriseUnion
from unions.tests.factories import EnterpriseFactory

from .test_visits import choose_host, fill_problem

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.offline_app,
    pytest.mark.parametrize("device", ["phone"]),
    # On SQLite the live server's threads share the one in-memory test connection (Django's
    # LiveServerThread), and the service worker's parallel requests (it keeps several pages at
    # once) left two of them waiting on each other forever in full runs. The journeys run on
    # PostgreSQL, in `make test` with DATABASE_URL and in CI's first pass.
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the offline journeys need a database the live server's threads can share (PostgreSQL)",
    ),
]

FORM = reverse("outreach:visit_create")
OUTBOX = reverse("outreach:outbox")


def jpeg_bytes(color=(30, 120, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), color).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def open_the_app(ui) -> None:
    """Online once: the service worker keeps the app shell and the hosts for this cadre."""
    ui.goto(FORM)
    ui.page.wait_for_selector("html[data-offline-ready='1']", state="attached")
    ui.page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def record(ui, *, kind: str, query: str, host: str, work: str, problem: str) -> None:
    form = ui.page.locator("#visit-form")
    ui.tap(form.locator(f"input[name=kind][value={kind}]"))
    choose_host(ui, query, host)
    form.locator("[name=work_done]").fill(work)
    fill_problem(form, 0, "wages", problem)
    form.locator("input[name=photos]").set_input_files(
        [{"name": "车间.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    with ui.page.expect_navigation(url=f"**{OUTBOX}"):
        ui.tap(form.locator("button[name=action][value=submit]"))
    expect(ui.page.locator("#outbox-flash")).to_have_text("已保存在本机，尚未发送")
    ui.check()


def outbox_records(ui):
    return ui.page.locator("#outbox-list .outbox-record")


def test_two_visits_recorded_offline_arrive_once_with_photos_and_problems(ui, context, cadre, town):
    hengli = EnterpriseFactory(name="常州恒力精密机械有限公司", district_union=town)
    tianhua = EnterpriseFactory(name="常州天华电子有限公司", district_union=town)
    ui.login(cadre)
    open_the_app(ui)

    context.set_offline(True)
    started = time.perf_counter()
    ui.page.reload()
    expect(ui.page.locator("#visit-form")).to_be_visible()
    ui.page.wait_for_load_state("load")
    opened_ms = (time.perf_counter() - started) * 1000
    print(f"\n[offline] the visit form opened from the cache in {opened_ms:.0f} ms (phone viewport)")
    expect(ui.page.locator("#offline-banner")).to_be_visible()
    ui.check()

    record(
        ui,
        kind="worker",
        query="恒力",
        host=hengli.name,
        work="在装配车间跟班劳动一天。",
        problem="夜班没有热饭。",
    )
    ui.goto(FORM)
    record(
        ui,
        kind="office",
        query="天华",
        host=tianhua.name,
        work="在工会办公室坐班一天。",
        problem="加班费算法不公开。",
    )
    expect(outbox_records(ui)).to_have_count(2)
    expect(outbox_records(ui).first).to_contain_text("已保存在本机，尚未发送")
    expect(outbox_records(ui).first).to_contain_text("1 张照片")
    assert Visit.objects.count() == 0

    ui.page.close()  # the tab is closed; later, upstairs, the signal returns
    context.set_offline(False)
    page = context.new_page()
    page.goto(OUTBOX)
    expect(page.locator("#outbox-empty")).to_be_visible()
    expect(page.locator("#outbox-list .outbox-record")).to_have_count(0)

    visits = {v.host_enterprise_id: v for v in Visit.objects.all()}
    assert set(visits) == {hengli.pk, tianhua.pk}
    for visit in visits.values():
        assert visit.client_uuid is not None and visit.status == "submitted" and visit.cadre == cadre
        assert visit.date == timezone.localdate()
        assert visit.photos.count() == 1 and visit.photos.get().client_uuid is not None
        assert visit.concerns.count() == 1
    assert visits[hengli.pk].concerns.get().description == "夜班没有热饭。"

    page.goto(reverse("outreach:my_month"))
    for kind, name in (("worker", hengli.name), ("office", tianhua.name)):
        day = page.locator(f"main [data-kind={kind}]")
        expect(day).to_contain_text(name)
        expect(day).to_contain_text("✓")
    page.close()


def test_a_refused_visit_stays_in_the_outbox_with_the_message_and_is_corrected(ui, context, cadre, town):
    closing = EnterpriseFactory(name="常州宏达纺织有限公司", district_union=town)
    other = EnterpriseFactory(name="常州新宇电机有限公司", district_union=town)
    ui.login(cadre)
    open_the_app(ui)
    context.set_offline(True)
    ui.page.reload()
    record(
        ui,
        kind="worker",
        query="宏达",
        host=closing.name,
        work="在车间跟班劳动一天。",
        problem="工资拖欠两个月。",
    )
    ui.guard.allow_console_error(r"/api/v1/visits/: Failed to load resource: .* 400")  # the refusal
    # Meanwhile the office deactivates the enterprise (it closed down).
    EnterpriseUnion.objects.filter(pk=closing.pk).update(is_active=False)

    context.set_offline(False)
    ui.goto(OUTBOX)
    refused = outbox_records(ui)
    expect(refused).to_have_count(1)
    expect(refused.locator(".outbox-state")).to_have_text("服务器未接收：")
    expect(refused.locator(".outbox-message")).not_to_be_empty()
    message = refused.locator(".outbox-message").inner_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # the server's words, in Chinese
    assert Visit.objects.count() == 0

    ui.follow(refused.locator(".outbox-edit"))
    form = ui.page.locator("#visit-form")
    expect(form.locator("[name=work_done]")).to_have_value("在车间跟班劳动一天。")
    choose_host(ui, "新宇", other.name)
    with ui.page.expect_navigation(url=f"**{OUTBOX}"):
        ui.tap(form.locator("button[name=action][value=submit]"))
    expect(ui.page.locator("#outbox-empty")).to_be_visible()
    visit = Visit.objects.get()
    assert visit.host_enterprise == other and visit.photos.count() == 1 and visit.concerns.count() == 1


def test_a_lost_answer_after_the_server_saved_the_visit_never_makes_a_second(ui, context, cadre, town):
    enterprise = EnterpriseFactory(name="常州恒力精密机械有限公司", district_union=town)
    ui.login(cadre)
    open_the_app(ui)
    context.set_offline(True)
    record(
        ui,
        kind="worker",
        query="恒力",
        host=enterprise.name,
        work="在车间跟班劳动一天。",
        problem="夜班没有热饭。",
    )

    creates = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            route.fallback()
            return
        creates.append(route.request.post_data)
        response = route.fetch()  # the server saves the visit…
        if len(creates) == 1:
            assert response.status == 201
            route.abort("connectionreset")  # …and the phone never hears of it
        else:
            route.fulfill(response=response)

    ui.guard.allow_console_error("ERR_CONNECTION_RESET|Failed to load resource")
    ui.page.route("**/api/v1/visits/", lose_the_first_answer)
    context.set_offline(False)  # the outbox is sent by itself when the connection returns
    expect(ui.page.locator("#outbox-status")).to_have_text("等待网络连接后发送。")
    assert Visit.objects.count() == 1  # saved, though the phone does not know it
    expect(outbox_records(ui)).to_have_count(1)

    ui.tap(ui.page.locator("#outbox-send"))
    expect(ui.page.locator("#outbox-empty")).to_be_visible()
    assert len(creates) == 2 and creates[0] == creates[1]  # the same client id, sent twice
    visit = Visit.objects.get()
    assert visit.photos.count() == 1 and visit.concerns.count() == 1


def test_logout_warns_while_visits_wait_and_empties_the_phone_once_they_are_sent(ui, context, cadre, town):
    enterprise = EnterpriseFactory(name="常州恒力精密机械有限公司", district_union=town)
    ui.login(cadre)
    open_the_app(ui)
    assert "outreach-pages" in ui.page.evaluate("caches.keys()")
    context.set_offline(True)
    record(
        ui,
        kind="worker",
        query="恒力",
        host=enterprise.name,
        work="在车间跟班劳动一天。",
        problem="夜班没有热饭。",
    )

    question = ui.answer_confirm(ui.logout_button(), accept=False)  # stay logged in: the visit waits
    assert "1 条记录尚未发送" in question
    expect(outbox_records(ui)).to_have_count(1)

    context.set_offline(False)
    expect(ui.page.locator("#outbox-empty")).to_be_visible()
    assert Visit.objects.count() == 1
    with ui.page.expect_navigation(url="**/accounts/login/**"):
        ui.tap(ui.logout_button())  # nothing waits: no question, and the pages kept for this cadre go
    assert "outreach-pages" not in ui.page.evaluate("caches.keys()")
