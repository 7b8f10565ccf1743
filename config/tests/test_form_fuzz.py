"""Every form, fed hostile strings, control characters, huge values and odd dates: never a 500,
and whatever is shown back is escaped. A new form is one line in FORMS."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lib.admin import SafeAutocompleteMixin
from unions.tests.factories import CadreFactory, EnterpriseFactory

from .formfuzz import HOSTILE, MARKERS, find_form, fuzzed_values, uniform_values

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class FormCase:
    name: str
    url: str  # URL name
    who: str | None  # fixture of the cadre who submits it; None for anonymous
    method: str = "post"
    kwargs: Callable[[dict], dict] | None = None  # URL kwargs from the fixtures (town, cadre, ...)
    settings: dict = field(default_factory=dict)
    xfail_on_sqlite: str = ""  # a known SQLite-only failure (production runs PostgreSQL): why


FORMS = [
    FormCase("login", "login", None),
    FormCase("login with lock-out", "login", None, settings={"AXES_ENABLED": True}),
    FormCase("enterprise search", "unions:enterprise_list", "town_leader", method="get"),
    FormCase("admin enterprise add", "admin:unions_enterpriseunion_add", "admin_cadre"),
    FormCase(
        "admin enterprise change",
        "admin:unions_enterpriseunion_change",
        "admin_cadre",
        kwargs=lambda f: {"object_id": EnterpriseFactory(district_union=f["town"]).pk},
    ),
    FormCase(
        "admin enterprise search", "admin:unions_enterpriseunion_changelist", "admin_cadre", method="get"
    ),
    FormCase("admin district union add", "admin:unions_districtunion_add", "admin_cadre"),
    FormCase("admin cadre add", "admin:unions_cadre_add", "admin_cadre"),
    FormCase(
        "admin cadre change",
        "admin:unions_cadre_change",
        "admin_cadre",
        kwargs=lambda f: {"object_id": CadreFactory(unit=f["town"]).pk},
    ),
    FormCase("admin user add", "admin:auth_user_add", "admin_cadre"),
    FormCase("admin visit add", "admin:outreach_visit_add", "admin_cadre"),
    # The visit and problem pages:
    FormCase("visit create", "outreach:visit_create", "cadre"),
    FormCase("visit list filter", "outreach:visit_list", "town_leader", method="get"),
    FormCase("problem create", "outreach:concern_create", "cadre"),
    FormCase("problem list filter", "outreach:concern_list", "town_leader", method="get"),
    FormCase("admin problem add", "admin:outreach_concern_add", "admin_cadre"),
]


@pytest.mark.parametrize("case", FORMS, ids=[case.name for case in FORMS])
def test_hostile_input_never_breaks_a_form(request, client, case):
    if case.xfail_on_sqlite and connection.vendor == "sqlite":
        request.applymarker(pytest.mark.xfail(reason=case.xfail_on_sqlite, strict=False))
    fixtures = {name: request.getfixturevalue(name) for name in ("district", "town", "other_town", "cadre")}
    if case.who:
        client.force_login(request.getfixturevalue(case.who).user)
    with override_settings(**case.settings):
        url = reverse(case.url, kwargs=case.kwargs(fixtures) if case.kwargs else None)
        page = client.get(url)
        assert page.status_code == 200
        form = find_form(page.content.decode(), case.method, url)
        submit = client.post if case.method == "post" else client.get

        def check(values):
            response = submit(url, values, follow=True)
            assert response.status_code < 500, f"{case.name}: {response.status_code} for {values!r:.300}"
            body = response.content.decode(errors="replace")
            for marker in MARKERS:
                assert marker not in body, f"{case.name}: {marker!r} came back unescaped"

        for value in HOSTILE:  # every nasty value in every field, then random mixes
            check(uniform_values(form, value))

        @given(st.data())
        def submit_hostile_values(data):
            check(fuzzed_values(data.draw, form))

        submit_hostile_values()


def test_every_admin_with_autocomplete_fields_survives_tampered_values():
    """Django's autocomplete widget answers 500 to a tampered value (see lib.admin)."""
    unsafe = []
    for model, model_admin in admin.site._registry.items():
        for candidate in (model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)):
            if candidate.autocomplete_fields and not isinstance(candidate, SafeAutocompleteMixin):
                unsafe.append(type(candidate).__name__)
    assert unsafe == [], f"add SafeAutocompleteMixin to {unsafe}"
