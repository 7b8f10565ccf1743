"""Shared fixtures: a district with two towns, and people in each role."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from unions.tests.factories import (
    AdminCadreFactory,
    CadreFactory,
    LeaderFactory,
    TownFactory,
    shared_district,
)

# Property-based tests (hypothesis): modest and repeatable by default (the same examples on every
# run keep `make test` fast and CI stable); HYPOTHESIS_PROFILE=thorough for a deeper random run.
# Fixtures hold across examples on purpose.
_hypothesis = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}
hypothesis_settings.register_profile("default", max_examples=12, derandomize=True, **_hypothesis)
hypothesis_settings.register_profile("thorough", max_examples=300, **_hypothesis)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def district(db):
    """武进区总工会: the district that factories build in unless told otherwise."""
    return shared_district()


@pytest.fixture
def town(district):
    return TownFactory(name="高新区总工会", level="zone", parent=district)


@pytest.fixture
def other_town(district):
    return TownFactory(name="湖塘镇总工会", parent=district)


@pytest.fixture
def cadre(town):
    return CadreFactory(unit=town, name="许文静")


@pytest.fixture
def other_cadre(town):
    return CadreFactory(unit=town, name="王强")


@pytest.fixture
def town_leader(town):
    return LeaderFactory(unit=town, name="吴允超")


@pytest.fixture
def other_town_leader(other_town):
    return LeaderFactory(unit=other_town, name="陈明")


@pytest.fixture
def district_leader(district):
    return LeaderFactory(unit=district, name="蒋亚诚")


@pytest.fixture
def admin_cadre(district):
    return AdminCadreFactory(unit=district, name="吴志伟")


@pytest.fixture
def login(client):
    """login(cadre) logs the cadre's user in on the test client and returns the client."""

    def _login(cadre):
        client.force_login(cadre.user)
        return client

    return _login


@pytest.fixture
def companion(town):
    """A cadre of the same town who took part in a visit."""
    return CadreFactory(unit=town, name="赵敏")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded photos go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def query_count():
    """query_count(client, url, params) -> the SQL queries of one GET (which must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def _count(client, url, params=None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params or {})
        assert response.status_code == 200, f"{url}: {response.status_code}"  # nosec B101 - a test fixture
        return len(ctx.captured_queries)

    return _count


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits (in Django's cache) start from zero in every test."""
    from django.core.cache import cache

    cache.clear()
