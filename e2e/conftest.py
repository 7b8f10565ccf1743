"""End-to-end fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

Every journey runs twice, on a 390×844 phone and on a 1366×900 desktop. The `ui` fixture
wraps the page: it fails the test on any browser console error, uncaught page error or
request that leaves 127.0.0.1, and checks each visited page for horizontal scrolling and
small touch targets.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .browser import CHROMIUM, DEVICES, TIMEOUT_MS, Guard, Ui, launch_chromium

CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM}: end-to-end tests skipped (apt-get install chromium)"
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # Skip before live_server or the database are set up, so a machine without Chromium pays nothing.
    if os.access(CHROMIUM, os.X_OK):
        # A journey that timed out waiting for the browser (a loaded 2-core CI machine) runs once
        # more from the start; a failed assertion about what the page shows never does.
        from playwright.sync_api import TimeoutError as BrowserTimeout

        rerun = pytest.mark.flaky(reruns=1, only_rerun=[BrowserTimeout])
        for item in items:
            if E2E_DIR in Path(str(item.path)).resolve().parents:
                item.add_marker(rerun)
        return
    skip = pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server on 127.0.0.1, serving the app and static files but no MEDIA_URL.

    MEDIA_URL is None on purpose (photos go only through permission-checked views); Django's
    live server would serve MEDIA_URL and fails on None, so its media layer is left out.
    """
    import django.test.testcases as testcases
    from pytest_django.live_server_helper import LiveServer

    media_handler = testcases._MediaFilesHandler
    testcases._MediaFilesHandler = lambda application: application
    try:
        server = LiveServer(request.config.getvalue("liveserver") or "127.0.0.1")
    finally:
        testcases._MediaFilesHandler = media_handler
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM would
    # refuse to run beside it. Only for the browser's lifetime, so the unit tests keep the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@pytest.fixture
def context(request, browser, device, live_server):
    # The offline app's service worker runs only in the journeys about it (@pytest.mark.offline_app):
    # elsewhere its background fetches (keeping the pages of whoever was logged in) would race the
    # test's next login for the CSRF cookie, which a real phone's single user never does.
    workers = "allow" if request.node.get_closest_marker("offline_app") else "block"
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers=workers,
        **DEVICES[device],
    )
    # Generous: the suite must pass on a loaded 2-core machine and on a fresh clone's first run
    # (cold template and static caches). Playwright waits only as long as it must.
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def page(context, guard):
    page = context.new_page()
    guard.watch(page)
    yield page
    problems = guard.problems()
    if problems:
        pytest.fail("The browser saw problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def ui(page, device, guard) -> Ui:
    """The page with helpers: ui.login(cadre), ui.goto(url), ui.check(), ui.nav(text)."""
    return Ui(page, device, guard)
