"""The end-to-end checks themselves can fail: each one is shown a page that breaks it."""

import pytest

from .browser import DEVICES, Guard, Ui

pytestmark = pytest.mark.e2e


@pytest.fixture
def raw_page(browser, device, live_server):
    """A page without the failing `page` fixture, so the guard's findings can be inspected.
    The app's Content-Security-Policy is bypassed: it would stop the external fetch before
    the guard sees it (and report it as a console error, which the guard also catches)."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, **DEVICES[device])
    page = context.new_page()
    guard = Guard()
    guard.watch(page)
    yield page, guard
    context.close()


def test_the_guard_aborts_and_reports_requests_that_leave_the_machine(raw_page, live_server):
    page, guard = raw_page
    page.goto(live_server.url + "/accounts/login/")
    # evaluate() waits for the fetch, which fails only once the guard has aborted it.
    page.evaluate("() => fetch('http://cdn.example.com/lib.js').catch(() => null)")
    assert guard.external_requests == ["http://cdn.example.com/lib.js"]
    assert any("external request" in p for p in guard.problems())


def test_the_guard_reports_console_errors_and_uncaught_exceptions(raw_page, live_server):
    page, guard = raw_page
    page.goto(live_server.url + "/accounts/login/")
    with page.expect_console_message(lambda message: "boom" in message.text):
        page.evaluate("() => console.error('boom')")
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('kaput'); }, 0)")
    assert any("boom" in m for m in guard.console_errors)
    assert any("kaput" in m for m in guard.page_errors)


def test_the_guard_lets_an_expected_404_through(raw_page, live_server):
    page, guard = raw_page
    guard.allow_console_error("status of 404")
    page.goto(live_server.url + "/no-such-page/")
    assert guard.problems() == []


def test_the_layout_check_catches_sideways_scrolling(raw_page, device, live_server):
    page, guard = raw_page
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        "() => { document.querySelector('main').insertAdjacentHTML('beforeend', '<div style=\"width:2000px\">x</div>'); }"
    )
    with pytest.raises(AssertionError, match="scrolls sideways"):
        Ui(page, device, guard).check()


def test_the_layout_check_catches_small_buttons_on_a_phone(raw_page, device, live_server):
    page, guard = raw_page
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        "() => { document.querySelector('main form button').style.cssText = 'min-height:0;height:20px;padding:0'; }"
    )
    ui = Ui(page, device, guard)
    if device == "phone":
        with pytest.raises(AssertionError, match="small touch targets"):
            ui.check()
    else:
        ui.check()
