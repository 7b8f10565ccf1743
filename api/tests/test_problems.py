"""The problems API and the directory: scoped lists with constant queries, the services' rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Concern
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        (
            "api:problem-list",
            lambda town, cadre: ConcernFactory(
                owner=cadre, enterprise=EnterpriseFactory(district_union=town)
            ),
        ),
        ("api:enterprise-list", lambda town, cadre: EnterpriseFactory(district_union=town)),
        ("api:cadre-list", lambda town, cadre: CadreFactory(unit=town)),
    ],
)
def test_lists_run_the_same_queries_for_3_and_9_rows(
    api, town_leader, cadre, town, name, make, django_assert_num_queries
):
    client = api(town_leader)
    for _ in range(3):
        make(town, cadre)
    small = _queries(client, reverse(name))
    for _ in range(6):
        make(town, cadre)
    with django_assert_num_queries(small):
        body = client.get(reverse(name)).json()
    assert len(body["results"]) >= 9


def test_the_owner_sees_the_phone_and_others_see_it_masked(api, cadre, other_cadre, town, town_leader):
    concern = ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=town))
    url = reverse("api:problem-detail", args=[concern.pk])
    assert api(cadre).get(url).json()["worker_phone"] == "13812345678"
    assert api(town_leader).get(url).json()["worker_phone"] == "13812345678"
    assert api(other_cadre).get(url).status_code == 404


def test_a_problem_is_recorded_for_a_visit_and_moved_along(api, cadre, town):
    visit = VisitFactory(cadre=cadre)
    client = api(cadre)
    created = client.post(
        reverse("api:problem-list"),
        {"visit": visit.pk, "category": "legal_aid", "description": "劳动合同纠纷。"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"]["id"] == cadre.pk and body["received_on"] == visit.date.isoformat()
    url = reverse("api:problem-transition", args=[body["id"]])
    refused = client.post(url, {"to_status": "closed", "version": 1}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["non_field_errors"] == [
        "只有已解决的诉求才能办结：请先填写办理结果，标记为已解决。"
    ]
    moved = client.post(url, {"to_status": "resolved", "version": 1, "note": "已协调解决。"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "resolved"
    stale = client.post(url, {"to_status": "in_progress", "version": 1, "note": "再跟进"}, format="json")
    assert stale.status_code == 409
    assert Concern.objects.get(pk=body["id"]).status == "resolved"


def test_only_the_owner_moves_a_problem(api, cadre, town, town_leader):
    concern = ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=town))
    url = reverse("api:problem-transition", args=[concern.pk])
    response = api(town_leader).post(url, {"to_status": "in_progress", "version": 1}, format="json")
    assert response.status_code == 403


def test_a_problem_for_an_invisible_visit_is_refused(api, cadre, other_cadre, town):
    visit = VisitFactory(cadre=other_cadre)
    response = api(cadre).post(
        reverse("api:problem-list"),
        {"visit": visit.pk, "category": "other", "description": "x"},
        format="json",
    )
    assert response.status_code == 400 and "visit" in response.json()["errors"]


def test_units_are_the_callers_scope(api, cadre, district_leader, town, other_town, district):
    assert [u["id"] for u in api(cadre).get(reverse("api:unit-list")).json()["results"]] == [town.pk]
    ids = {u["id"] for u in api(district_leader).get(reverse("api:unit-list")).json()["results"]}
    assert {district.pk, town.pk, other_town.pk} <= ids


def test_the_monthly_figures_are_for_leaders(api, cadre, town_leader, other_town):
    url = reverse("api:report-monthly")
    assert api(cadre).get(url).status_code == 403
    assert api(town_leader).get(url, {"unit": other_town.pk}).status_code == 404
    assert api(town_leader).get(url, {"month": "2026-13"}).status_code == 400
    assert api(town_leader).get(url, {"month": "2026-11"}).status_code == 200


def test_the_schema_and_the_docs(client, cadre):
    client.force_login(cadre.user)
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/visits/", "/api/v1/visits/{id}/", "/api/v1/problems/{id}/transition/"} <= set(paths)
    docs = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "<script>" not in docs and "<style>" not in docs  # CSP: no inline code
