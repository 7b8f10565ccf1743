"""The problem pages: permission matrix, happy paths and bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lib.workdays import add_working_days
from outreach.models import CategoryTimeLimit, Concern
from outreach.services import concern_create
from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(cadre, town):
    return concern_create(
        received_by=cadre,
        category="wages",
        description="职工反映加班费计算不清。",
        enterprise=EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司"),
        worker_name="李强",
        worker_phone="13812345678",
    )


def _post_data(name, concern, other_cadre):
    return {
        "concern_update": {
            "version": concern.version,
            "category": "wages",
            "description": "改过的描述",
            "worker_name": "李强",
            "worker_phone": "13812345678",
        },
        "concern_transition": {"version": concern.version, "to_status": "in_progress", "note": "已联系"},
        "concern_handover": {"version": concern.version, "to_owner": other_cadre.pk, "reason": "转交"},
        "concern_escalate": {"version": concern.version, "escalated_to": "区总工会法律援助中心"},
        "concern_delete": {},
    }[name]


ROLES = ["anonymous", "owner", "another_cadre", "town_leader", "other_town_leader", "district_leader"]
# What each role gets: 302 = done (redirect), 200 = page, 403 = sees it but may not, 404 = out of scope.
MATRIX = {
    ("concern_detail", "GET"): [302, 200, 404, 200, 404, 200],
    ("concern_update", "GET"): [302, 200, 404, 403, 404, 403],
    ("concern_update", "POST"): [302, 302, 404, 403, 404, 403],
    ("concern_transition", "POST"): [302, 302, 404, 403, 404, 403],
    ("concern_handover", "POST"): [302, 302, 404, 302, 404, 302],
    ("concern_escalate", "POST"): [302, 302, 404, 403, 404, 403],
    ("concern_delete", "GET"): [302, 200, 404, 200, 404, 200],
    ("concern_delete", "POST"): [302, 302, 404, 302, 404, 302],
}


@pytest.fixture
def person(request, cadre, town, other_town):
    def _person(role):
        return {
            "anonymous": None,
            "owner": cadre,
            "another_cadre": CadreFactory(unit=town, name="赵六"),
            "town_leader": request.getfixturevalue("town_leader"),
            "other_town_leader": request.getfixturevalue("other_town_leader"),
            "district_leader": request.getfixturevalue("district_leader"),
        }[role]

    return _person


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, person, concern, other_cadre, name, method, role):
    someone = person(role)
    if someone is not None:
        client.force_login(someone.user)
    url = reverse(f"outreach:{name}", args=[concern.pk])
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, _post_data(name, concern, other_cadre))
    expected = MATRIX[(name, method)][ROLES.index(role)]
    assert response.status_code == expected, response.content.decode()[:500]
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["concern_transition", "concern_handover", "concern_escalate"])
def test_changing_urls_refuse_get(login, cadre, concern, name):
    assert login(cadre).get(reverse(f"outreach:{name}", args=[concern.pk])).status_code == 405


@pytest.mark.parametrize("name", ["concern_list", "concern_mine", "concern_create"])
def test_list_and_create_pages_require_login(client, name):
    response = client.get(reverse(f"outreach:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- detail ---


def test_detail_shows_the_timeline_and_the_full_phone_to_the_owner(login, cadre, concern):
    body = login(cadre).get(concern.get_absolute_url()).content.decode()
    assert "五洋纺织机械有限公司" in body and "13812345678" in body
    assert "许文静" in body  # recorded by
    assert reverse("outreach:concern_transition", args=[concern.pk]) in body


def test_detail_masks_the_phone_for_the_first_receiver_after_handover(login, cadre, other_cadre, concern):
    client = login(cadre)
    response = client.post(
        reverse("outreach:concern_handover", args=[concern.pk]),
        {"version": 1, "to_owner": other_cadre.pk, "reason": "属工资协商，转交王强"},
        follow=True,
    )
    body = response.content.decode()
    assert "王强" in body and "属工资协商，转交王强" in body  # confirmation and the timeline
    assert "138****5678" in body and "13812345678" not in body
    assert reverse("outreach:concern_transition", args=[concern.pk]) not in body  # no longer acts
    # The new owner finds it under "my problems" and can act.
    client.force_login(other_cadre.user)
    assert "职工反映加班费计算不清" in client.get(reverse("outreach:concern_mine")).content.decode()
    body = client.get(concern.get_absolute_url()).content.decode()
    assert "13812345678" in body
    assert reverse("outreach:concern_transition", args=[concern.pk]) in body


def test_detail_shows_the_masked_phone_to_a_leader_outside_the_problems_town(
    login, cadre, town_leader, other_town
):
    concern = ConcernFactory(owner=cadre, enterprise=EnterpriseFactory(district_union=other_town))
    body = login(town_leader).get(concern.get_absolute_url()).content.decode()
    assert "138****5678" in body and "13812345678" not in body


# --- create ---


def test_create_records_a_problem_owned_by_the_receiver(login, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    response = login(cadre).post(
        reverse("outreach:concern_create"),
        {
            "category": "legal_aid",
            "description": "工伤认定需要法律援助",
            "enterprise": enterprise.pk,
            "worker_name": "张三",
            "worker_phone": "13900001111",
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302 and response.url == concern.get_absolute_url()
    assert concern.owner == cadre and concern.received_by == cadre and concern.town == town
    assert concern.events.get().kind == "created"


def test_create_for_a_visit_attaches_it_and_suggests_its_enterprise(login, cadre):
    visit = VisitFactory(cadre=cadre)
    client = login(cadre)
    url = reverse("outreach:concern_create") + f"?visit={visit.pk}"
    assert f'value="{visit.host_enterprise_id}" selected' in client.get(url).content.decode()
    client.post(
        url, {"category": "concern", "description": "食堂伙食差", "enterprise": visit.host_enterprise_id}
    )
    assert Concern.objects.get().visit == visit


@pytest.mark.parametrize("visit", ["other", "junk"])
def test_create_for_someone_elses_visit_is_not_found(login, cadre, visit):
    visit_id = VisitFactory().pk if visit == "other" else "abc"
    response = login(cadre).get(reverse("outreach:concern_create") + f"?visit={visit_id}")
    assert response.status_code == 404


def test_create_offers_only_enterprises_of_the_users_district(login, cadre, town):
    EnterpriseFactory(district_union=town, name="本区企业有限公司")
    EnterpriseFactory(district_union=TownFactory(parent=DistrictFactory()), name="外区企业有限公司")
    body = login(cadre).get(reverse("outreach:concern_create")).content.decode()
    assert "本区企业有限公司" in body and "外区企业有限公司" not in body


def test_create_refuses_an_enterprise_of_another_district(login, cadre):
    outsider = EnterpriseFactory(district_union=TownFactory(parent=DistrictFactory()))
    response = login(cadre).post(
        reverse("outreach:concern_create"),
        {"category": "concern", "description": "x", "enterprise": outsider.pk},
    )
    assert response.status_code == 200 and not Concern.objects.exists()


def test_invalid_create_rerenders_with_a_message_and_keeps_the_text(login, cadre):
    response = login(cadre).post(
        reverse("outreach:concern_create"),
        {"category": "", "description": "保留这段描述", "worker_phone": "abc"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "保留这段描述" in body
    assert "is-invalid" in body
    assert not Concern.objects.exists()


# --- edit with optimistic concurrency ---


def test_owner_edits_without_moving_the_deadline(login, cadre, concern):
    due = concern.due_date
    response = login(cadre).post(
        reverse("outreach:concern_update", args=[concern.pk]),
        {
            "version": 1,
            "category": "dispute",
            "description": "改为劳动争议",
            "worker_name": "李强",
            "worker_phone": "",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.category == "dispute" and concern.due_date == due and concern.worker_phone == ""


def test_stale_edit_shows_a_conflict_and_keeps_the_users_text(login, cadre, concern):
    client = login(cadre)
    client.post(
        reverse("outreach:concern_escalate", args=[concern.pk]), {"version": 1, "escalated_to": "上级工会"}
    )
    response = client.post(
        reverse("outreach:concern_update", args=[concern.pk]),
        {
            "version": 1,
            "category": "wages",
            "description": "我刚写的新描述",
            "worker_name": "",
            "worker_phone": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "我刚写的新描述" in body
    assert 'name="version" value="2"' in body
    concern.refresh_from_db()
    assert concern.description == "职工反映加班费计算不清。"


def test_closed_problem_cannot_be_edited(login, cadre):
    concern = ConcernFactory(owner=cadre, status="closed", closed_at="2026-11-01T10:00+08:00")
    response = login(cadre).get(reverse("outreach:concern_update", args=[concern.pk]), follow=True)
    assert response.redirect_chain and concern.description in response.content.decode()


# --- transitions through the page ---


def test_close_without_resolving_is_refused_with_a_message(login, cadre, concern):
    response = login(cadre).post(
        reverse("outreach:concern_transition", args=[concern.pk]),
        {"version": 1, "to_status": "closed", "callback_note": "已回访", "satisfaction": "satisfied"},
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.status == "open"
    assert "只有已解决的诉求才能办结" in response.content.decode()


def test_resolve_without_a_note_keeps_the_form_with_an_error(login, cadre, concern):
    response = login(cadre).post(
        reverse("outreach:concern_transition", args=[concern.pk]),
        {"version": 1, "to_status": "resolved", "note": ""},
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.status == "open" and not concern.events.filter(kind="status").exists()


def test_close_records_callback_and_satisfaction(login, cadre, concern):
    client = login(cadre)
    url = reverse("outreach:concern_transition", args=[concern.pk])
    client.post(url, {"version": 1, "to_status": "resolved", "note": "企业已补发"})
    response = client.post(
        url,
        {"version": 2, "to_status": "closed", "callback_note": "职工表示满意", "satisfaction": "basically"},
        follow=True,
    )
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.satisfaction == "basically" and concern.closed_at
    body = response.content.decode()
    assert "职工表示满意" in body and "企业已补发" in body


def test_stale_transition_keeps_the_users_text(login, cadre, concern):
    client = login(cadre)
    client.post(
        reverse("outreach:concern_transition", args=[concern.pk]), {"version": 1, "to_status": "in_progress"}
    )
    response = client.post(
        reverse("outreach:concern_transition", args=[concern.pk]),
        {"version": 1, "to_status": "resolved", "note": "我写的处理结果"},
    )
    assert response.status_code == 400 and "我写的处理结果" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "in_progress"


def test_handover_to_a_cadre_of_another_district_is_refused(login, cadre, concern):
    outsider = CadreFactory(unit=TownFactory(parent=DistrictFactory()))
    response = login(cadre).post(
        reverse("outreach:concern_handover", args=[concern.pk]),
        {"version": 1, "to_owner": outsider.pk, "reason": "转交"},
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.owner == cadre


def test_escalation_without_a_target_is_refused(login, cadre, concern):
    response = login(cadre).post(
        reverse("outreach:concern_escalate", args=[concern.pk]), {"version": 1, "escalated_to": ""}
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.escalated_to == ""


def test_delete_asks_then_hides_the_problem(login, cadre, concern):
    client = login(cadre)
    url = reverse("outreach:concern_delete", args=[concern.pk])
    assert "<form" in client.get(url).content.decode()
    Concern.objects.get(pk=concern.pk)  # still there after the GET
    response = client.post(url)
    assert response.status_code == 302
    assert client.get(concern.get_absolute_url()).status_code == 404
    assert Concern.objects.get(pk=concern.pk).is_deleted


def test_admin_restores_a_deleted_problem(client, admin_cadre, concern):
    Concern.objects.filter(pk=concern.pk).update(is_deleted=True)
    client.force_login(admin_cadre.user)
    client.post(
        reverse("admin:outreach_concern_changelist"),
        {"action": "restore", "_selected_action": [concern.pk]},
    )
    assert not Concern.objects.get(pk=concern.pk).is_deleted


@pytest.mark.parametrize("to_status", ["%s%d", "bogus", ""])
def test_junk_status_is_refused_without_an_error_page(login, cadre, concern, to_status):
    response = login(cadre).post(
        reverse("outreach:concern_transition", args=[concern.pk]), {"version": "x", "to_status": to_status}
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.status == "open"


def test_a_problem_received_outside_a_visit_keeps_the_day_entered(login, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    day = timezone.localdate() - datetime.timedelta(days=9)
    login(cadre).post(
        reverse("outreach:concern_create"),
        {
            "category": "concern",
            "description": "职工来电反映食堂问题",
            "enterprise": enterprise.pk,
            "received_on": f"{day:%Y-%m-%d}",
        },
    )
    concern = Concern.objects.get()
    limit = CategoryTimeLimit.objects.get(category="concern").working_days
    assert concern.received_on == day and concern.due_date == add_working_days(day, limit)


def test_a_problem_cannot_be_received_in_the_future(login, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(cadre).post(
        reverse("outreach:concern_create"),
        {
            "category": "concern",
            "description": "职工来电反映食堂问题",
            "enterprise": enterprise.pk,
            "received_on": f"{tomorrow:%Y-%m-%d}",
        },
    )
    assert response.status_code == 200 and not Concern.objects.exists()
    body = response.content.decode()
    assert "受理日期不能晚于今天" in body and "职工来电反映食堂问题" in body


def test_a_problem_of_a_visit_is_received_on_the_visits_date(login, cadre):
    visit = VisitFactory(cadre=cadre, date=timezone.localdate() - datetime.timedelta(days=3))
    client = login(cadre)
    url = reverse("outreach:concern_create") + f"?visit={visit.pk}"
    assert 'name="received_on"' not in client.get(url).content.decode()
    client.post(
        url,
        {
            "category": "concern",
            "description": "食堂伙食差",
            "enterprise": visit.host_enterprise_id,
            "received_on": "2020-01-01",  # ignored: the visit's date rules
        },
    )
    assert Concern.objects.get().received_on == visit.date
