"""Recording and editing a visit: the happy paths and every bad input a cadre may type."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outreach.models import Concern, Visit, VisitPhoto
from outreach.tests.factories import VisitFactory, image_file
from unions.tests.factories import DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(
        district_union=town, name="五洋纺织机械有限公司", employees=860, members=720, chair_name="刘刚"
    )


def form_data(enterprise=None, **overrides):
    data = {
        "kind": "worker",
        "date": "2026-11-19",
        "host_union": "",
        "host_enterprise": enterprise.pk if enterprise else "",
        "topics": ["ideology", "activities"],
        "people_met": "工会专职干部向保年",
        "work_done": "在装配车间跟班劳动一天。",
        "worker_opinions": "希望增加夜班补贴。",
        "action": "submit",
        "dir-has_union": "unknown",
        "dir-has_office": "unknown",
        "concerns-TOTAL_FORMS": "2",
        "concerns-INITIAL_FORMS": "0",
        "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, data, visit=None):
    url = reverse("outreach:visit_update", args=[visit.pk]) if visit else reverse("outreach:visit_create")
    return client.post(url, data)


def _errors(response, form="form"):
    return response.context[form].errors.as_data()


def _codes(response, field, form="form"):
    return [e.code for e in _errors(response, form).get(field, [])]


# --- Happy paths ----------------------------------------------------------------------


def test_it_records_a_worker_visit_with_two_problems_and_a_photo(
    login, cadre, companion, enterprise, media_root
):
    data = form_data(
        enterprise,
        companions=[companion.pk],
        photos=[image_file("IMG_0001.jpg")],
        **{
            "concerns-0-category": "wages",
            "concerns-0-description": "加班费计算不清。",
            "concerns-0-worker_name": "李强",
            "concerns-0-worker_phone": "13812345678",
            "concerns-1-category": "answered",
            "concerns-1-description": "职工询问互助保障如何办理，已当场解答。",
            "concerns-1-answered_on_site": "on",
        },
    )
    response = _post(login(cadre), data)

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:visit_detail", args=[visit.pk]) + "?saved=1"
    assert visit.status == Visit.Status.SUBMITTED and visit.submitted_at is not None
    assert visit.cadre == cadre and list(visit.companions.all()) == [companion]
    assert visit.town == enterprise.district_union
    assert visit.topics == ["ideology", "activities"]
    concerns = list(Concern.objects.order_by("id"))
    assert [c.category for c in concerns] == ["wages", "answered"]
    assert all(c.visit == visit and c.owner == cadre and c.enterprise == enterprise for c in concerns)
    assert concerns[1].answered_on_site
    photo = VisitPhoto.objects.get()
    assert "IMG_0001" not in photo.image.name  # stored under a generated name
    assert (media_root / photo.image.name).exists()

    page = login(cadre).get(response["Location"]).content.decode()
    assert "加班费计算不清。" in page
    assert reverse("outreach:visit_photo", args=[photo.pk]) in page
    assert f'data-clear-drafts="visit-draft:{cadre.user_id}:new' in page


def test_it_saves_a_draft_without_what_was_done(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, work_done="", action="draft"))
    assert response.status_code == 302
    assert Visit.objects.get().status == Visit.Status.DRAFT


def test_a_planned_visit_may_be_in_the_future_and_completed_later(login, cadre, enterprise):
    client = login(cadre)
    response = _post(client, form_data(enterprise, date="2026-12-03", work_done="", action="plan"))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.PLANNED

    response = _post(client, form_data(enterprise, date="2026-11-20", version=visit.version), visit=visit)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED and visit.date == TODAY


def test_a_companion_edits_the_visit_and_the_author_stays(login, cadre, companion, enterprise):
    visit = VisitFactory(cadre=cadre, companions=[companion], host_enterprise=enterprise)
    data = form_data(enterprise, companions=[companion.pk], reflections="受益匪浅。", version=visit.version)
    response = _post(login(companion), data, visit=visit)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.cadre == cadre and visit.reflections == "受益匪浅。" and visit.version == 2


def test_the_host_may_be_a_federation(login, cadre, town):
    response = _post(login(cadre), form_data(None, kind="chairman", host_union=town.pk))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.host_union == town and visit.host_enterprise is None and visit.town == town


def test_the_form_preselects_a_host_from_the_link(login, cadre, enterprise):
    response = login(cadre).get(
        reverse("outreach:visit_create"), {"host_enterprise": enterprise.pk, "kind": "office"}
    )
    assert response.context["form"].initial["host_enterprise"] == enterprise.pk
    assert response.context["directory_form"].initial["employees"] == 860


# --- The directory stays true -----------------------------------------------------------


def test_directory_corrections_update_the_enterprise_with_a_stamp(login, cadre, enterprise):
    data = form_data(
        enterprise,
        **{"dir-confirm": "on", "dir-employees": "900", "dir-members": "780", "dir-has_office": "true"},
    )
    _post(login(cadre), data)
    visit = Visit.objects.get()
    enterprise.refresh_from_db()
    assert (enterprise.employees, enterprise.members, enterprise.has_office) == (900, 780, True)
    assert enterprise.chair_name == "刘刚"  # left alone
    assert enterprise.last_verified_by == cadre and enterprise.last_verified_at is not None
    reason = enterprise.history.first().history_change_reason
    assert f"#{visit.pk}" in reason and cadre.name in reason


def test_unconfirmed_directory_facts_change_nothing(login, cadre, enterprise):
    _post(login(cadre), form_data(enterprise, **{"dir-employees": "5"}))
    enterprise.refresh_from_db()
    assert enterprise.employees == 860 and enterprise.last_verified_at is None


@pytest.mark.parametrize("facts", [{"dir-members": "900"}, {"dir-employees": "100", "dir-members": "200"}])
def test_members_above_employees_is_refused_and_nothing_is_saved(login, cadre, enterprise, facts):
    response = _post(login(cadre), form_data(enterprise, **{"dir-confirm": "on", **facts}))
    assert response.status_code == 200
    assert _errors(response, "directory_form")["members"]  # shown where the number was typed
    assert not Visit.objects.exists()
    enterprise.refresh_from_db()
    assert enterprise.members == 720 and enterprise.last_verified_at is None


# --- Bad input ------------------------------------------------------------------------


def test_a_future_date_is_refused_unless_it_is_a_plan(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, date="2026-11-21"))
    assert response.status_code == 200
    assert _codes(response, "date") == ["future"]
    assert response.context["form"]["work_done"].value() == "在装配车间跟班劳动一天。"  # the form is kept
    assert not Visit.objects.exists()


def test_no_host_is_refused(login, cadre):
    response = _post(login(cadre), form_data(None))
    assert _codes(response, "host_enterprise") == ["no_host"]
    assert not Visit.objects.exists()


def test_two_hosts_are_refused(login, cadre, enterprise, town):
    response = _post(login(cadre), form_data(enterprise, host_union=town.pk))
    assert _codes(response, "host_enterprise") == ["two_hosts"]
    assert not Visit.objects.exists()


def test_a_host_outside_the_district_is_refused(login, cadre):
    elsewhere = TownFactory(parent=DistrictFactory(name="新北区总工会"))
    foreign = EnterpriseFactory(district_union=elsewhere)
    response = _post(login(cadre), form_data(foreign))
    assert _codes(response, "host_enterprise") == ["invalid_choice"]
    response = _post(login(cadre), form_data(None, host_union=elsewhere.pk))
    assert _codes(response, "host_union") == ["invalid_choice"]
    assert not Visit.objects.exists()


def test_submitting_without_what_was_done_is_refused(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, work_done="  "))
    assert _codes(response, "work_done") == ["required"]
    assert not Visit.objects.exists()


def test_an_oversized_photo_is_refused(login, cadre, enterprise, settings, media_root):
    settings.VISIT_PHOTO_MAX_BYTES = 200
    response = _post(login(cadre), form_data(enterprise, photos=[image_file(size=(400, 400))]))
    assert _codes(response, "photos") == ["too_large"]
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.jpg"))


def test_a_file_that_is_not_an_image_is_refused(login, cadre, enterprise):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg")
    response = _post(login(cadre), form_data(enterprise, photos=[fake]))
    assert _codes(response, "photos") == ["invalid_image"]
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "field", ["work_done", "people_met", "worker_opinions", "suggestions", "reflections"]
)
def test_a_ten_thousand_character_text_is_refused(login, cadre, enterprise, field):
    response = _post(login(cadre), form_data(enterprise, **{field: "长" * 10_000}))
    assert _codes(response, field) == ["max_length"]
    assert not Visit.objects.exists()


def test_a_problem_without_description_stops_the_whole_save(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, **{"concerns-0-category": "wages"}))
    assert response.status_code == 200
    assert response.context["concern_formset"].errors[0]["description"]
    assert not Visit.objects.exists() and not Concern.objects.exists()


def test_html_and_script_are_shown_escaped(login, cadre, enterprise):
    script = '<script>alert("x")</script><b onclick="x()">粗</b>'
    _post(login(cadre), form_data(enterprise, work_done=script, people_met=script))
    visit = Visit.objects.get()
    assert visit.work_done == script  # kept as typed
    page = login(cadre).get(reverse("outreach:visit_detail", args=[visit.pk])).content.decode()
    assert "<script>alert" not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert" in page


def test_a_stale_edit_shows_a_conflict_and_keeps_the_text(login, cadre, companion, enterprise):
    visit = VisitFactory(
        cadre=cadre, companions=[companion], host_enterprise=enterprise, work_done="原来的记录"
    )
    opened_version = visit.version
    # The companion saves first.
    _post(
        login(companion), form_data(enterprise, work_done="同伴的修改", version=opened_version), visit=visit
    )
    # The author submits the form opened earlier.
    response = _post(
        login(cadre), form_data(enterprise, work_done="作者的修改", version=opened_version), visit=visit
    )

    assert response.status_code == 200
    assert any(
        "while you were editing" in str(m) or "编辑期间" in str(m) for m in response.context["messages"]
    )
    assert response.context["form"]["work_done"].value() == "作者的修改"
    visit.refresh_from_db()
    assert visit.work_done == "同伴的修改"  # never overwritten silently
    # Saving again, after seeing the conflict, is a deliberate choice.
    assert response.context["form"]["version"].value() == visit.version
    response = _post(
        login(cadre), form_data(enterprise, work_done="作者的修改", version=visit.version), visit=visit
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.work_done == "作者的修改"


def test_a_tampered_action_is_treated_as_submit(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, action="reviewed"))
    assert response.status_code == 302
    assert Visit.objects.get().status == Visit.Status.SUBMITTED


# --- Delete and history -----------------------------------------------------------------


def test_delete_asks_for_confirmation_then_hides_the_visit(login, cadre, enterprise):
    visit = VisitFactory(cadre=cadre, host_enterprise=enterprise)
    client = login(cadre)
    page = client.get(reverse("outreach:visit_delete", args=[visit.pk]))
    assert page.status_code == 200 and Visit.objects.filter(is_deleted=False).exists()
    response = client.post(reverse("outreach:visit_delete", args=[visit.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.is_deleted  # soft: the row stays for the admin to restore
    assert client.get(reverse("outreach:visit_detail", args=[visit.pk])).status_code == 404


def test_history_shows_who_changed_what(login, cadre, companion, enterprise):
    client = login(cadre)
    _post(client, form_data(enterprise, companions=[companion.pk]))
    visit = Visit.objects.get()
    _post(
        login(companion),
        form_data(enterprise, companions=[companion.pk], work_done="补充记录", version=visit.version),
        visit=visit,
    )
    response = login(cadre).get(reverse("outreach:visit_detail", args=[visit.pk]))
    history = response.context["history"]
    assert history[0]["who"] == companion.name
    assert [str(c["field"]) for c in history[0]["changes"]] == [
        str(Visit._meta.get_field("work_done").verbose_name)
    ]
    assert history[-1]["who"] == cadre.name and history[-1]["created"]
    assert "补充记录" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "chinese"),
    [
        ({"date": "2026-12-01"}, "日期在今天之后"),
        ({"host_enterprise": ""}, "请选择走访对象"),
        ({"host_enterprise": "999999"}, "不在本区范围内"),
        ({"work_done": "长" * 10_000}, "5000"),
    ],
)
def test_bad_input_is_explained_in_chinese(login, cadre, enterprise, overrides, chinese):
    response = _post(login(cadre), form_data(enterprise, **overrides))
    page = response.content.decode()
    assert chinese in page
    assert "本次未保存任何内容" in page
