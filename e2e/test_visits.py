"""Journeys of a visit: recorded on a phone, returned, resubmitted, reviewed; hidden from other towns.

Also the visit form's promises: a draft survives a failed submit, and the page stays light.
"""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Visit
from outreach.tests.factories import VisitFactory
from unions.tests.factories import EnterpriseFactory

from .browser import PageWeight

pytestmark = pytest.mark.e2e

WEIGHT_LIMIT = 100 * 1024  # as served: nginx gzips the HTML, whitenoise serves CSS/JS compressed


def png_bytes(color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


def choose_host(ui, query: str, name: str) -> None:
    """The one-thumb host search: type a few characters, tap the match."""
    box = ui.page.locator("#host-search-input")
    ui.tap(box)
    box.fill(query)
    option = ui.page.locator("#host-search-results").get_by_role("option").filter(has_text=name).first
    expect(option).to_be_visible()
    ui.check()  # the results are tap targets too
    ui.tap(option)
    expect(ui.page.locator("#host-chosen")).to_contain_text(name)


def fill_problem(form, n: int, category: str, description: str, worker: str = "") -> None:
    form.locator(f'select[name$="-{n}-category"]').select_option(category)
    form.locator(f'textarea[name$="-{n}-description"]').fill(description)
    if worker:
        form.locator(f'input[name$="-{n}-worker_name"]').fill(worker)


def test_a_cadre_records_a_day_as_a_worker_with_two_problems_and_a_photo(ui, cadre, town):
    enterprise = EnterpriseFactory(name="常州恒力精密机械有限公司", district_union=town)
    today = timezone.localdate()
    ui.login(cadre)
    ui.nav(href=reverse("outreach:my_month"))
    ui.follow(ui.page.locator("main a[href*='/visits/new/']").first)

    form = ui.page.locator("#visit-form")
    ui.tap(form.locator("input[name=kind][value=worker]"))
    form.locator("input[name=date]").fill(today.isoformat())
    choose_host(ui, "恒力", enterprise.name)
    form.locator("[name=work_done]").fill("在装配车间跟班劳动一天，和职工一起上流水线。")
    form.locator("[name=worker_opinions]").fill("职工希望夜班有热饭，加班费算法公开。")
    fill_problem(form, 0, "wages", "加班费计算方式不透明，职工要求公开。", worker="李强")
    fill_problem(form, 1, "hardship", "一名职工家属重病，生活困难，申请帮扶。")
    form.locator("input[name=photos]").set_input_files(
        [{"name": "车间.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    ui.check()
    ui.follow(form.locator("button[name=action][value=submit]"))

    assert re.search(r"/visits/\d+/(\?|$)", ui.page.url), ui.page.url
    main = ui.page.locator("main")
    expect(main.locator("h1")).to_contain_text(enterprise.name)
    expect(main).to_contain_text("已提交")
    expect(main).to_contain_text("加班费计算方式不透明")
    expect(main).to_contain_text("生活困难，申请帮扶")
    photo = main.locator("img[src*='/photos/']")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    ui.page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=photo.element_handle())

    visit = Visit.objects.get()
    assert (visit.kind, visit.status, visit.date, visit.host_enterprise) == (
        "worker",
        "submitted",
        today,
        enterprise,
    )
    assert visit.photos.count() == 1
    assert sorted(visit.concerns.values_list("category", "owner")) == [
        ("hardship", cadre.pk),
        ("wages", cadre.pk),
    ]

    ui.nav(href=reverse("outreach:my_month"))
    day = ui.page.locator("main [data-kind=worker]")
    expect(day).to_contain_text(enterprise.name)
    expect(day).to_contain_text("✓")


def test_a_town_leader_returns_a_visit_and_reviews_it_once_resubmitted(ui, cadre, town_leader, town):
    enterprise = EnterpriseFactory(name="常州天华电子有限公司", district_union=town)
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise, date=timezone.localdate())
    reason = "请补充职工反映的具体问题和涉及人数。"
    main = ui.page.locator("main")

    ui.login(town_leader)
    ui.nav(href=reverse("outreach:visit_list"))
    search = main.locator("form[role=search]")
    search.locator("[name=q]").fill("天华")
    ui.follow(search.locator("button[type=submit]"))
    ui.follow(main.locator(f'a[href="{visit.get_absolute_url()}"]').first)
    returning = main.locator("form[action$='/return/']")
    returning.locator("[name=reason]").fill(reason)
    ui.follow(returning.locator("button[type=submit]"))
    expect(main).to_contain_text("已退回修改")
    expect(main).to_contain_text(reason)

    ui.login(cadre)
    ui.nav(href=reverse("outreach:my_month"))
    ui.follow(main.locator(f'a[href="{visit.get_absolute_url()}"]').first)
    expect(main).to_contain_text(reason)
    ui.follow(main.locator("a[href$='/edit/']").first)
    work_done = main.locator("[name=work_done]")
    work_done.fill(work_done.input_value() + "\n职工反映加班费问题，涉及约30人。")
    ui.follow(main.locator("button[name=action][value=submit]"))
    expect(main).to_contain_text("已提交")

    ui.login(town_leader)
    ui.goto(visit.get_absolute_url())
    expect(main).to_contain_text("涉及约30人")
    ui.follow(main.locator("form[action$='/review/'] button[type=submit]"))
    expect(main).to_contain_text("已审阅")
    visit.refresh_from_db()
    assert (visit.status, visit.reviewer) == ("reviewed", town_leader)


def test_a_leader_of_another_town_gets_the_not_found_page(ui, guard, cadre, town, other_town_leader):
    visit = VisitFactory(
        cadre=cadre, host_enterprise=EnterpriseFactory(name="常州瑞博光电有限公司", district_union=town)
    )
    guard.allow_console_error("status of 404")
    ui.login(other_town_leader)
    for url in (visit.get_absolute_url(), reverse("outreach:visit_update", args=[visit.pk])):
        response = ui.goto(url)
        assert response.status == 404, url
        body = ui.page.locator("body")
        expect(body).not_to_contain_text("常州瑞博光电有限公司")
        expect(body).not_to_contain_text(visit.work_done[:10])
    assert Visit.objects.get().status == "submitted"


def test_the_visit_form_keeps_the_draft_when_the_submit_fails(ui, guard, cadre, town):
    EnterpriseFactory(name="常州新远物流有限公司", district_union=town)
    text = "在分拣中心跟班劳动，职工反映高温补贴发放不及时。"
    form = ui.page.locator("#visit-form")
    # The failed submits below are what the test is about.
    guard.allow_console_error(r"status of 500|net::ERR_INTERNET_DISCONNECTED|ERR_")

    ui.login(cadre)
    ui.goto(reverse("outreach:visit_create"))
    ui.tap(form.locator("input[name=kind][value=worker]"))
    form.locator("[name=work_done]").fill(text)
    form.locator("[name=worker_opinions]").fill("希望增加防暑降温用品。")

    def lose_connection(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.fallback()

    ui.page.route(re.compile(r"/visits/new/"), lose_connection)
    form.locator("button[name=action][value=submit]").click()
    ui.page.wait_for_url(re.compile(r"^chrome-error://"))
    ui.page.unroute(re.compile(r"/visits/new/"))
    assert Visit.objects.count() == 0

    ui.goto(reverse("outreach:visit_create"))
    expect(form.locator("[name=work_done]")).to_have_value(text)
    expect(form.locator("[name=worker_opinions]")).to_have_value("希望增加防暑降温用品。")
    expect(ui.page.locator("#draft-restored")).to_be_visible()

    # A server error: the browser shows the error page; coming back, the text is still there.
    def server_error(route):
        if route.request.method == "POST":
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.fallback()

    ui.page.route(re.compile(r"/visits/new/"), server_error)
    ui.page.locator("#visit-form button[name=action][value=submit]").click()
    expect(ui.page.locator("h1")).to_have_text("Server Error (500)")
    ui.page.unroute(re.compile(r"/visits/new/"))
    ui.page.go_back()
    ui.page.reload()
    expect(ui.page.locator("#visit-form [name=work_done]")).to_have_value(text)
    assert Visit.objects.count() == 0


def test_the_visit_form_weighs_at_most_100_kb_as_served(ui, cadre, town, device, capsys):
    EnterpriseFactory.create_batch(300, district_union=town)  # a district's directory, as in the demo
    ui.login(cadre)
    responses = []
    ui.page.on("response", lambda response: responses.append(response))
    # The guard routes every request, which turns Chromium's HTTP cache off: everything is fetched.
    ui.goto(reverse("outreach:visit_create"))
    ui.page.wait_for_load_state("networkidle")
    weight = PageWeight()
    for response in responses:
        weight.add(response)
    with capsys.disabled():
        print(f"\n[{device}] visit form page weight: {weight.report()}")
    assert weight.raw.get("html") and weight.raw.get("css") and weight.raw.get("js")
    assert weight.production < WEIGHT_LIMIT, weight.report()
