"""Schemathesis sends what the OpenAPI schema allows (a bounded number of examples per
operation) through the whole stack, logged in as a cadre: no 500, and every answer matches
the schema (statuses, content types, bodies)."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF = "a" * 32  # a CSRF secret of our own, sent as the cookie and the header (as the app does)
EXAMPLES = 6  # per operation: the whole run stays well under a minute


@pytest.fixture
def app():
    # As Django's test client does: the test's transaction must survive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def cookies(client, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    for _ in range(3):
        visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
        ConcernFactory(owner=cadre, enterprise=enterprise, visit=visit)
    client.force_login(cadre.user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def test_the_api_answers_what_its_schema_says(app, cookies):
    headers = {"X-CSRFToken": CSRF}
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(app=app, headers=headers, cookies=cookies)
            case.validate_response(response, checks=CHECKS, headers=headers)

        check()
