"""The offline app's endpoints: the cadre's own hosts kept on the phone (api:offline-hosts),
photos uploaded in pieces that resume (api:photo-upload), the manifest and the service worker."""

import io
import json
import uuid

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from outreach.models import Visit, VisitPhoto
from outreach.tests.factories import VisitFactory
from unions.tests.factories import CadreFactory, DistrictFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db

HOSTS = reverse("api:offline-hosts")


def _upload_url(visit):
    return reverse("api:photo-upload", args=[visit.pk])


def _jpeg(size=(1200, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def _piece(client, visit, photo_id, data: bytes, offset: int, total: int):
    return client.post(
        _upload_url(visit),
        {
            "client_uuid": str(photo_id),
            "offset": offset,
            "size": total,
            "chunk": SimpleUploadedFile("车间.jpg", data[offset : offset + len(data)]),
        },
        format="multipart",
    )


# --- hosts ----------------------------------------------------------------------------------


def test_the_hosts_are_the_cadres_own_and_the_districts_with_the_facts(api, cadre, town, other_town):
    mine = EnterpriseFactory(district_union=town, name="五洋纺织机械", employees=300, members=280)
    cadre.contact_enterprises.add(mine)
    EnterpriseFactory(district_union=other_town, name="科能电子")
    EnterpriseFactory(district_union=town, name="停业企业", is_active=False)
    outside = EnterpriseFactory(district_union=TownFactory(parent=DistrictFactory()), name="外区企业")

    body = api(cadre).get(HOSTS).json()

    names = [e["label"] for e in body["enterprises"]]
    assert names[0] == "五洋纺织机械" and "科能电子" in names
    assert "停业企业" not in names and outside.name not in names  # what the form's search offers
    first = body["enterprises"][0]
    assert first["mine"] is True and first["town"] == town.name
    assert first["facts"]["employees"] == 300 and first["facts"]["members"] == 280
    assert town.name in [u["label"] for u in body["unions"]]


def test_the_hosts_need_a_cadre_not_a_token(api, town, token_for):
    _, key = token_for(town)
    response = api().get(HOSTS, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_hosts_run_the_same_queries_for_3_and_30_enterprises(api, cadre, town):
    client = api(cadre)
    for _ in range(3):
        EnterpriseFactory(district_union=town)
    with CaptureQueriesContext(connection) as small:
        assert client.get(HOSTS).status_code == 200
    for _ in range(27):
        EnterpriseFactory(district_union=town)
    with CaptureQueriesContext(connection) as large:
        body = client.get(HOSTS).json()
    assert len(body["enterprises"]) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_hosts_of_a_300_enterprise_district_stay_under_200_kb(api, cadre, town):
    EnterpriseFactory.create_batch(
        300, district_union=town, chair_name="张建国", fulltime_cadre_name="李秀英"
    )
    response = api(cadre).get(HOSTS)
    assert len(response.json()["enterprises"]) == 300
    assert len(response.content) < 200 * 1024


# --- photos in pieces -------------------------------------------------------------------------


def test_a_photo_arrives_in_pieces_and_is_stored_once(api, cadre):
    visit = VisitFactory(cadre=cadre)
    client = api(cadre)
    data, photo_id = _jpeg(), uuid.uuid4()
    half = len(data) // 2

    first = _piece(client, visit, photo_id, data[:half], 0, len(data))
    assert first.status_code == 200
    assert first.json()["received"] == half and first.json()["photo"] is None
    # The answer to the first piece was lost: the phone sends it again, then asks where it is.
    assert _piece(client, visit, photo_id, data[:half], 0, len(data)).json()["received"] == half
    assert client.get(_upload_url(visit), {"client_uuid": str(photo_id)}).json()["received"] == half

    last = client.post(
        _upload_url(visit),
        {
            "client_uuid": str(photo_id),
            "offset": half,
            "size": len(data),
            "chunk": SimpleUploadedFile("车间.jpg", data[half:]),
        },
        format="multipart",
    )
    assert last.status_code == 200
    photo = VisitPhoto.objects.get(client_uuid=photo_id)
    assert last.json()["photo"] == {"id": photo.pk, "url": reverse("outreach:visit_photo", args=[photo.pk])}
    assert photo.visit == visit and photo.uploaded_by == cadre
    assert photo.image.name.endswith(".jpg")
    # Sent once more (a second tab, a retry): the same photo, no second one.
    again = _piece(client, visit, photo_id, data, 0, len(data))
    assert again.json()["photo"]["id"] == photo.pk
    assert VisitPhoto.objects.filter(visit=visit).count() == 1


def test_a_photo_that_is_not_an_image_is_refused_in_chinese(api, cadre):
    visit = VisitFactory(cadre=cadre)
    data = b"not an image at all"
    response = _piece(api(cadre), visit, uuid.uuid4(), data, 0, len(data))
    assert response.status_code == 400
    assert "图片" in json.dumps(response.json(), ensure_ascii=False)
    assert not VisitPhoto.objects.filter(visit=visit).exists()


def test_a_photo_over_the_limit_is_refused_before_its_pieces(api, cadre, settings):
    settings.VISIT_PHOTO_MAX_BYTES = 1024 * 1024
    visit = VisitFactory(cadre=cadre)
    response = _piece(api(cadre), visit, uuid.uuid4(), b"x" * 10, 0, 2 * 1024 * 1024)
    assert response.status_code == 400
    assert "1.0 MB" in response.json()["errors"]["size"][0]


def test_another_towns_visit_is_404_and_gets_no_piece(api, cadre, other_town_leader, other_town):
    visit = VisitFactory(cadre=cadre)
    intruder = CadreFactory(unit=other_town)
    data, photo_id = _jpeg(), uuid.uuid4()
    for who in (other_town_leader, intruder):
        assert _piece(api(who), visit, photo_id, data, 0, len(data)).status_code == 404
        assert api(who).get(_upload_url(visit), {"client_uuid": str(photo_id)}).status_code == 404
    assert not VisitPhoto.objects.exists()


def test_a_leader_who_may_read_the_visit_cannot_add_a_photo(api, cadre, town_leader):
    visit = VisitFactory(cadre=cadre)
    data = _jpeg()
    assert _piece(api(town_leader), visit, uuid.uuid4(), data, 0, len(data)).status_code == 403


def test_a_photo_id_of_another_visit_is_a_conflict(api, cadre):
    first, second = VisitFactory(cadre=cadre), VisitFactory(cadre=cadre)
    client = api(cadre)
    data, photo_id = _jpeg(), uuid.uuid4()
    assert _piece(client, first, photo_id, data, 0, len(data)).json()["photo"]
    assert _piece(client, second, photo_id, data, 0, len(data)).status_code == 409


def test_an_upload_runs_the_same_queries_for_a_small_and_a_rich_visit(api, cadre, town):
    client = api(cadre)
    small_visit = VisitFactory(cadre=cadre)
    rich_visit = VisitFactory(cadre=cadre, companions=[CadreFactory(unit=town) for _ in range(5)])
    data = _jpeg((300, 200))
    counts = []
    for visit in (small_visit, rich_visit):
        with CaptureQueriesContext(connection) as ctx:
            assert _piece(client, visit, uuid.uuid4(), data, 0, len(data)).json()["photo"]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- the installable app --------------------------------------------------------------------


def test_the_manifest_names_the_app_in_chinese(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "三个一天" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL).lstrip("/"))


def test_the_service_worker_is_served_at_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("text/javascript")
    assert b"offline/hosts" in response.content


def test_the_outbox_page_is_for_cadres(client, cadre):
    url = reverse("outreach:outbox")
    assert client.get(url).status_code == 302
    client.force_login(cadre.user)
    response = client.get(url)
    assert response.status_code == 200
    assert "待发送" in response.content.decode()


def test_a_visit_and_its_photo_sent_twice_exist_once(api, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    client = api(cadre)
    visit_id = uuid.uuid4()
    payload = {
        "client_uuid": str(visit_id),
        "kind": "worker",
        "date": "2026-11-10",
        "host_enterprise": enterprise.pk,
        "work_done": "在车间跟班劳动一天。",
    }
    first = client.post(reverse("api:visit-list"), payload, format="json")
    second = client.post(reverse("api:visit-list"), payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    visit = Visit.objects.get(client_uuid=visit_id)
    data, photo_id = _jpeg(), uuid.uuid4()
    for _ in range(2):
        _piece(client, visit, photo_id, data, 0, len(data))
    assert visit.photos.count() == 1
