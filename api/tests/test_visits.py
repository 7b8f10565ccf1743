"""The visits API: the same scope, rules and services as the pages."""

import datetime
import uuid

import pytest
from django.urls import reverse

from outreach.models import Concern, Visit
from outreach.tests.factories import ConcernFactory, VisitFactory, VisitPhotoFactory
from unions.tests.factories import CadreFactory, DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:visit-list")


def _payload(enterprise, **extra):
    return {
        "kind": "worker",
        "date": "2026-11-10",
        "host_enterprise": enterprise.pk,
        "topics": ["ideology"],
        "work_done": "在车间跟班劳动一天。",
        "worker_opinions": "希望改善食堂伙食。",
        **extra,
    }


def _detail(visit):
    return reverse("api:visit-detail", args=[visit.pk])


def test_it_requires_authentication(api):
    response = api().get(LIST)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_cadre_lists_own_visits_only(api, cadre, other_cadre, town):
    mine = VisitFactory(cadre=cadre)
    VisitFactory(cadre=other_cadre)
    body = api(cadre).get(LIST).json()
    assert [v["id"] for v in body["results"]] == [mine.pk]
    assert body["count"] == 1 and body["more"] is False


def test_another_towns_visit_is_404_for_read_and_update(api, cadre, other_town_leader, town):
    visit = VisitFactory(cadre=cadre)
    client = api(other_town_leader)
    assert client.get(_detail(visit)).status_code == 404
    response = client.put(_detail(visit), _payload(visit.host_enterprise), format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到：该记录不存在或不在您的范围内。", "code": "not_found"}
    assert Visit.objects.get(pk=visit.pk).work_done == visit.work_done


def test_the_list_filters_like_the_visit_list(api, cadre, town):
    VisitFactory(cadre=cadre, kind="worker")
    office = VisitFactory(cadre=cadre, kind="office")
    body = api(cadre).get(LIST, {"kind": "office"}).json()
    assert [v["id"] for v in body["results"]] == [office.pk]
    assert api(cadre).get(LIST, {"month": "abc"}).status_code == 400


def test_the_list_runs_the_same_queries_for_3_and_9_visits(
    api, town_leader, cadre, town, django_assert_num_queries
):
    def rich_visits(n):
        for _ in range(n):
            visit = VisitFactory(cadre=cadre, companions=[CadreFactory(unit=town)])
            VisitPhotoFactory(visit=visit)
            ConcernFactory(visit=visit, owner=cadre, enterprise=visit.host_enterprise)

    client = api(town_leader)
    rich_visits(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    rich_visits(6)
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(LIST).json()
    assert len(body["results"]) == 9
    assert all(v["photos"] and v["concerns"] and v["companions"] for v in body["results"])


def test_a_cadre_records_a_visit_with_a_problem_and_the_directory_check(api, cadre, town):
    enterprise = EnterpriseFactory(district_union=town, employees=10, members=5)
    payload = _payload(
        enterprise,
        concerns=[{"category": "wages", "description": "加班费计算不清。", "worker_phone": "13812345678"}],
        directory={"employees": 120, "members": 80, "has_union": True},
    )
    response = api(cadre).post(LIST, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert visit.cadre == cadre and visit.status == Visit.Status.SUBMITTED
    assert body["concerns"][0]["category"] == "wages"
    assert Concern.objects.get(visit=visit).owner == cadre
    enterprise.refresh_from_db()
    assert (enterprise.employees, enterprise.members) == (120, 80)


def test_the_same_client_uuid_creates_one_visit(api, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    client_uuid = str(uuid.uuid4())
    payload = _payload(
        enterprise, client_uuid=client_uuid, concerns=[{"category": "other", "description": "一"}]
    )
    client = api(cadre)
    first = client.post(LIST, payload, format="json")
    again = client.post(LIST, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Visit.objects.filter(client_uuid=client_uuid).count() == 1
    assert Concern.objects.filter(visit_id=first.json()["id"]).count() == 1


def test_another_cadres_client_uuid_is_a_conflict(api, cadre, other_cadre, town):
    visit = VisitFactory(cadre=other_cadre, client_uuid=uuid.uuid4())
    response = api(cadre).post(
        LIST, _payload(visit.host_enterprise, client_uuid=str(visit.client_uuid)), format="json"
    )
    assert response.status_code == 409
    assert "客户端" in response.json()["detail"] or response.json()["code"] == "conflict"


def test_the_forms_rules_refuse_with_chinese_messages(api, cadre, town, district):
    outside = EnterpriseFactory(district_union=TownFactory(parent=DistrictFactory()))  # another district
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    response = api(cadre).post(LIST, _payload(outside, date=future, work_done=""), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"] == "请修改下方标出的错误；本次未保存任何内容。"
    assert set(body["errors"]) >= {"date", "host_enterprise", "work_done"}
    assert Visit.objects.count() == 0


def test_more_than_20_problems_are_refused(api, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    concerns = [{"category": "other", "description": f"问题{n}"} for n in range(21)]
    response = api(cadre).post(LIST, _payload(enterprise, concerns=concerns), format="json")
    assert response.status_code == 400
    assert Visit.objects.count() == 0


def test_an_update_with_a_stale_version_is_a_conflict(api, cadre, town):
    visit = VisitFactory(cadre=cadre, status=Visit.Status.DRAFT)
    client = api(cadre)
    changed = client.put(
        _detail(visit), _payload(visit.host_enterprise, version=1, work_done="改过"), format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2 and changed.json()["work_done"] == "改过"
    stale = client.put(
        _detail(visit), _payload(visit.host_enterprise, version=1, work_done="旧"), format="json"
    )
    assert stale.status_code == 409
    assert Visit.objects.get(pk=visit.pk).work_done == "改过"


def test_a_reviewed_visit_cannot_be_changed(api, cadre, town):
    visit = VisitFactory(cadre=cadre, status=Visit.Status.REVIEWED)
    response = api(cadre).put(_detail(visit), _payload(visit.host_enterprise), format="json")
    assert response.status_code == 403
    assert "审阅" in response.json()["detail"] or response.json()["code"] == "permission_denied"


def test_a_session_write_needs_the_csrf_token(api, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    response = api(cadre, enforce_csrf_checks=True).post(LIST, _payload(enterprise), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Visit.objects.count() == 0


def test_a_removed_photo_is_not_listed(api, cadre):
    visit = VisitFactory(cadre=cadre)
    kept = VisitPhotoFactory(visit=visit)
    VisitPhotoFactory(visit=visit, is_deleted=True)
    listed = next(v for v in api(cadre).get(LIST).json()["results"] if v["id"] == visit.pk)
    detail = api(cadre).get(reverse("api:visit-detail", args=[visit.pk])).json()
    assert [p["id"] for p in listed["photos"]] == [kept.pk]
    assert [p["id"] for p in detail["photos"]] == [kept.pk]
