"""Buttons stay readable: the colour pairs of the app's own button styles meet WCAG AA."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from outreach.tests.factories import VisitFactory

APP_CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"


def _luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _custom_properties(selector: str) -> dict[str, str]:
    css = APP_CSS.read_text(encoding="utf-8")
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert block, f"{selector} not found in {APP_CSS}"
    return dict(re.findall(r"--bs-btn-([a-z-]+)\s*:\s*(#[0-9a-fA-F]{6})", block.group(1)))


def test_the_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    # Bootstrap's outline-warning, the old 退回修改 button: yellow on white fails AA.
    assert contrast("#ffc107", "#ffffff") < 2


@pytest.mark.parametrize("state", ["", "hover-", "active-"])
def test_the_return_button_meets_aa_in_every_state(state):
    colours = _custom_properties(".btn-return")
    assert contrast(colours[f"{state}color"], colours[f"{state}bg"]) >= 4.5


@pytest.mark.django_db
def test_the_leader_sees_the_readable_return_button(login, cadre, town_leader):
    visit = VisitFactory(cadre=cadre)
    body = login(town_leader).get(reverse("outreach:visit_detail", args=[visit.pk])).content.decode()
    button = re.search(r'<button[^>]*class="([^"]*)"[^>]*>退回修改</button>', body)
    assert button and "btn-return" in button.group(1).split()
