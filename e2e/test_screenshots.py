"""The main pages with the demo data, on a phone and a desktop: a smoke test, and the README's pictures.

Always run as a test (no console error, no external request, no sideways scrolling on the
demo data). With E2E_SCREENSHOTS=1 (`make screenshots`) it also writes docs/screenshots/*.png.
A page that is missing, or demo data without a visit or problem to show, fails the test.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from unions.demo import DEMO_PASSWORD

from .browser import DEVICES, Guard, Ui

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WRITE = os.environ.get("E2E_SCREENSHOTS") == "1"


def _town_leader():
    from unions.models import Cadre

    return Cadre.objects.select_related("unit").get(user__username="town_leader")


def _first_visit_url(name: str) -> str:
    from outreach.models import Visit

    visit = Visit.objects.visible_to(_town_leader()).order_by("-date", "-pk").first()
    assert visit is not None, "the demo data has no visit of the town leader's town"
    return reverse(name, args=[visit.pk])


def _first_concern_url(name: str) -> str:
    from outreach.models import Concern

    # One with a history worth showing: handed over or further along, else the newest.
    concerns = Concern.objects.visible_to(_town_leader())
    concern = concerns.exclude(status="open").order_by("-pk").first()
    assert concern is not None, "the demo data has no problem of the town leader's town past “open”"
    return reverse(name, args=[concern.pk])


def _checked_enterprise_url() -> str:
    from unions.models import EnterpriseUnion

    # One checked at a visit, so that the page shows who verified what.
    enterprise = (
        EnterpriseUnion.objects.visible_to(_town_leader())
        .filter(last_verified_at__isnull=False)
        .order_by("-last_verified_at", "pk")
        .first()
    )
    assert enterprise is not None, (
        "the demo data has no enterprise of the town leader's town checked at a visit"
    )
    return reverse("unions:enterprise_detail", args=[enterprise.pk])


# (file name, caption in the README, demo login or None, URL name or a callable giving the URL)
PAGES = [
    ("login", "Log in", None, "login"),
    ("cadre-home", "A cadre's home (town_cadre)", "town_cadre", "home"),
    ("my-month", "My month: the three days (town_cadre)", "town_cadre", "outreach:my_month"),
    ("visit-form", "Recording a visit (town_cadre)", "town_cadre", "outreach:visit_create"),
    ("my-problems", "My problems, by deadline (town_cadre)", "town_cadre", "outreach:concern_mine"),
    ("visit-list", "Visits of the town (town_leader)", "town_leader", "outreach:visit_list"),
    (
        "visit-detail",
        "A visit (town_leader)",
        "town_leader",
        lambda: _first_visit_url("outreach:visit_detail"),
    ),
    ("problem-list", "Problems to follow up (town_leader)", "town_leader", "outreach:concern_list"),
    (
        "problem-detail",
        "A problem and its history (town_leader)",
        "town_leader",
        lambda: _first_concern_url("outreach:concern_detail"),
    ),
    ("monthly-report", "Monthly report (district_leader)", "district_leader", "reports:monthly"),
    ("trend", "12-month trend (district_leader)", "district_leader", "reports:trend"),
    ("leader-home", "A town leader's home (town_leader)", "town_leader", "home"),
    ("enterprise-directory", "Enterprise directory (town_leader)", "town_leader", "unions:enterprise_list"),
    ("enterprise-file", "An enterprise file, 企业档案 (town_leader)", "town_leader", _checked_enterprise_url),
]
README = SCREENSHOTS.parent.parent / "README.md"
README_START = "<!-- screenshots:start (written by make screenshots) -->"
README_END = "<!-- screenshots:end -->"


def _url(target) -> str:
    return target() if callable(target) else reverse(target)


def _save(page, path: Path) -> None:
    from PIL import Image

    # A 256-colour palette keeps the PNGs small enough for the repository; text stays sharp.
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def _write_readme_block() -> None:
    """The README's table of screenshots, from the files that exist (both devices of a page)."""
    rows = ["| page | phone (390 px) | desktop (1366 px) |", "|---|---|---|"]
    for name, caption, _login, _target in PAGES:
        phone, desktop = (f"docs/screenshots/{name}-{d}.png" for d in ("phone", "desktop"))
        if (README.parent / phone).exists() and (README.parent / desktop).exists():
            rows.append(
                f'| {caption} | <img src="{phone}" width="195" alt="{caption}, phone"> '
                f'| <img src="{desktop}" width="480" alt="{caption}, desktop"> |'
            )
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(README_START)
    _, _, tail = rest.partition(README_END)
    README.write_text(f"{head}{README_START}\n" + "\n".join(rows) + f"\n{README_END}{tail}", encoding="utf-8")


@pytest.mark.parametrize("device", list(DEVICES))
def test_the_main_pages_work_with_the_demo_data(browser, live_server, device, capsys):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    # Screenshots at 1x keep the files small; the checks are the same as in the journeys.
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        **{**DEVICES[device], "device_scale_factor": 1},
    )
    page = context.new_page()
    guard = Guard()
    guard.watch(page)
    ui = Ui(page, device, guard)
    if WRITE:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shown, current_login = [], ""
    for name, _caption, login, target in PAGES:
        url = _url(target)
        if login != current_login:
            if login:
                ui.login(login, password=DEMO_PASSWORD)
            else:
                context.clear_cookies()
            current_login = login
        ui.goto(url)
        assert page.locator("main").is_visible(), f"{name}: no main content"
        shown.append(name)
        if WRITE:
            _save(page, SCREENSHOTS / f"{name}-{device}.png")
    context.close()
    assert guard.problems() == []
    if WRITE:
        _write_readme_block()
    with capsys.disabled():
        print(f"\n[{device}] pages checked with demo data: {', '.join(shown)}")
