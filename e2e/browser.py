"""Chromium, devices and the checks every end-to-end page goes through."""

from __future__ import annotations

import gzip
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
# Debian's Chromium, never a downloaded build; nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
DEVICES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
# Touch targets: ~40 px for buttons and fields (Bootstrap's 38 px is too small for a thumb);
# checkboxes and radios count with their label row, WCAG 2.2's 24 px minimum.
MIN_TARGET = 40
MIN_CHECK_TARGET = 24
FACTORY_PASSWORD = "correct-horse-battery"  # unions.tests.factories.UserFactory
TIMEOUT_MS = 45_000  # for actions, navigations and expect() assertions alike


def _patient_expect() -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


_patient_expect()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Guard:
    """Collects what must never happen in a page: console errors, page errors, external requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.route("**/*", self._on_request)

    def allow_console_error(self, pattern: str) -> None:
        """Expect a console error matching pattern (e.g. the 404 of a page the test opens on purpose)."""
        self.allowed.append(re.compile(pattern))

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"external request (aborted): {u}" for u in self.external_requests]
        )

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = f"{message.location.get('url', '')}: {message.text}"
        if not any(p.search(text) for p in self.allowed):
            self.console_errors.append(text)

    def _on_request(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
            route.fallback()
        else:
            self.external_requests.append(url)
            route.abort("blockedbyclient")


LAYOUT_JS = """
({minTarget, minCheck}) => {
  const doc = document.documentElement;
  const small = [];
  const selector = [
    'main form input:not([type=hidden])', 'main form select', 'main form textarea',
    'main form button', 'main form a', '.navbar-toggler',
  ].join(',');
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? ' name=' + el.name : ''}> "${text}"`;
  };
  for (const el of document.querySelectorAll(selector)) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    let height = rect.height;
    let min = minTarget;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const row = el.closest('.form-check') || (el.labels && el.labels[0]) || el;
      const label = el.labels && el.labels[0];
      height = Math.max(row.getBoundingClientRect().height, label ? label.getBoundingClientRect().height : 0);
      min = el.classList.contains('btn-check') ? minTarget : minCheck;
    }
    if (height < min - 0.5) small.push(`${describe(el)} is ${Math.round(height)} px high (< ${min})`);
  }
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, small};
}
"""


class Ui:
    """A page plus the few moves every journey makes; each page visited is checked."""

    def __init__(self, page, device: str, guard: Guard):
        self.page = page
        self.device = device
        self.guard = guard
        self.checked: list[str] = []

    @property
    def phone(self) -> bool:
        return self.device == "phone"

    def check(self, *, touch: bool = True) -> None:
        """No horizontal scrolling on any device; on the phone, touch targets large enough
        (touch=False for the Django admin, a desktop tool with its own small controls)."""
        self.page.wait_for_load_state()
        result = self.page.evaluate(LAYOUT_JS, {"minTarget": MIN_TARGET, "minCheck": MIN_CHECK_TARGET})
        where = f"{self.page.url} ({self.device})"
        assert result["scrollWidth"] <= result["clientWidth"], (
            f"{where} scrolls sideways: {result['scrollWidth']} px content in {result['clientWidth']} px"
        )
        if self.phone and touch:
            assert not result["small"], f"{where} has small touch targets: " + "; ".join(result["small"])
        self.checked.append(self.page.url)

    def goto(self, url: str, *, check: bool = True, touch: bool = True):
        response = self.page.goto(url)
        if check:
            self.check(touch=touch)
        return response

    def tap(self, locator) -> None:
        """A thumb on the phone, a mouse on the desktop."""
        if self.phone:
            locator.tap()
        else:
            locator.click()

    def follow(self, locator, *, touch: bool = True) -> None:
        """Tap a link or submit button that loads a new page, wait for it and check it."""
        with self.page.expect_navigation():
            self.tap(locator)
        self.check(touch=touch)

    def login(self, who, password: str = FACTORY_PASSWORD) -> None:
        """Log in through the real login form (a Cadre, or a username); logs out whoever was in."""
        username = who if isinstance(who, str) else who.user.username
        self.page.context.clear_cookies()
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)
        self.check()

    def open_menu(self):
        """The main menu, opened by its hamburger on a phone; returns its locator."""
        from playwright.sync_api import expect

        toggler = self.page.locator(".navbar-toggler")
        menu = self.page.locator("#mainnav")
        if toggler.is_visible():
            if toggler.get_attribute("aria-expanded") != "true":
                self.tap(toggler)
            # Tap a link only once Bootstrap's collapse has finished opening: while it slides
            # open (class "collapsing") the links move under the thumb.
            expect(menu).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        return menu

    def logout_button(self):
        """The menu's 退出登录 button, the menu opened first on a phone."""
        return self.open_menu().locator("#logout-form button")

    def answer_confirm(self, locator, *, accept: bool, timeout: float = 30) -> str:
        """Tap what asks a confirm() question, answer it, and return the question.

        The answer is given by the dialog handler itself: a click does not finish while a
        dialog is open, so a test that answers after the click waits for ever whenever the
        page asks before the click has returned (as it does on a loaded machine)."""
        asked: list[str] = []

        def answer(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        self.page.once("dialog", answer)
        self.tap(locator)
        deadline = time.monotonic() + timeout
        while not asked and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        assert asked, f"tapping {locator} asked no question within {timeout} s"
        return asked[0]

    def nav(self, name: str | None = None, *, href: str | None = None) -> None:
        """Follow a link of the main menu (by text or href), opening the hamburger first on a phone."""
        menu = self.open_menu()
        if href is not None:
            link = menu.locator(f'a[href="{href}"]').first
        else:
            link = menu.get_by_role("link", name=name, exact=True)
        target = urlsplit(link.get_attribute("href")).path
        self.follow(link)
        arrived = urlsplit(self.page.url).path
        assert arrived == target, f"the menu link to {target} led to {self.page.url} ({self.device})"

    def submit(self, button_name: str | None = None) -> None:
        """Click the form's submit button (by its text, else the main form's only submit) and check."""
        if button_name:
            button = self.page.locator("main").get_by_role("button", name=button_name, exact=True)
        else:
            button = self.page.locator("main form button[type=submit]")
        self.follow(button)


@dataclass
class PageWeight:
    """Bytes of HTML, CSS and JS one page load fetched: as sent by the live server, and gzipped."""

    raw: dict[str, int] = field(default_factory=dict)
    gzipped: dict[str, int] = field(default_factory=dict)

    KINDS = {"document": "html", "stylesheet": "css", "script": "js"}

    def add(self, response) -> None:
        kind = self.KINDS.get(response.request.resource_type)
        if kind is None:
            return
        body = response.body()
        self.raw[kind] = self.raw.get(kind, 0) + len(body)
        # What whitenoise's compressed storage (or a gzipping proxy) would put on the wire.
        self.gzipped[kind] = self.gzipped.get(kind, 0) + len(gzip.compress(body, compresslevel=9))

    @property
    def production(self) -> int:
        """As served in production: HTML gzipped by nginx (deploy/nginx.conf, `gzip on`), CSS and
        JS as whitenoise's compressed storage sends them."""
        return sum(self.gzipped.get(kind, 0) for kind in ("html", "css", "js"))

    @property
    def total_raw(self) -> int:
        return sum(self.raw.values())

    @property
    def total_gzipped(self) -> int:
        return sum(self.gzipped.values())

    def report(self) -> str:
        def kb(n: int) -> str:
            return f"{n / 1024:.1f} KB"

        parts = ", ".join(
            f"{k} {kb(self.raw.get(k, 0))} ({kb(self.gzipped.get(k, 0))} gz)" for k in ("html", "css", "js")
        )
        return (
            f"{kb(self.production)} as served in production (all gzipped: nginx for HTML, whitenoise for static); "
            f"{kb(self.total_raw)} uncompressed; {kb(self.total_gzipped)} all gzipped [{parts}]"
        )
