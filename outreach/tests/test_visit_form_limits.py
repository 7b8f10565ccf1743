"""The outside review's findings on the visit form: what a tampered or careless upload or POST
must not do (a formset of 100000 forms, any text as a phone, a photo's type from its name, a
144-megapixel PNG), and drafts that belong to one user."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from outreach.models import Concern, Visit, VisitPhoto
from outreach.photos import LONGEST_SIDE
from outreach.tests.factories import VisitFactory, VisitPhotoFactory, image_file
from unions.tests.factories import EnterpriseFactory

from .test_visit_form import _codes, _post, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(town):
    return EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司")


def test_a_tampered_total_forms_is_refused_cheaply(login, cadre, enterprise):
    response = _post(login(cadre), form_data(enterprise, **{"concerns-TOTAL_FORMS": "100000"}))
    assert response.status_code == 200
    formset = response.context["concern_formset"]
    assert [e.code for e in formset.non_form_errors().as_data()] == ["too_many_forms"]
    assert len(formset.forms) <= 20
    assert "本次未保存任何内容" in response.content.decode()
    assert not Visit.objects.exists()
    # Was ~8 s and 2.4 MB of HTML for 100000 forms; measured by size, not time (a loaded
    # machine makes any time limit flaky).
    assert len(response.content) < 200_000


@pytest.mark.parametrize("phone", ["不知道", "<b>1</b>", "138", "phone: 13812345678"])
def test_a_workers_phone_in_the_visit_form_is_checked_like_the_problem_form(login, cadre, enterprise, phone):
    data = form_data(
        enterprise,
        **{
            "concerns-0-category": "wages",
            "concerns-0-description": "加班费计算不清。",
            "concerns-0-worker_phone": phone,
        },
    )
    response = _post(login(cadre), data)
    assert response.status_code == 200
    codes = [e.code for e in response.context["concern_formset"].errors[0].as_data()["worker_phone"]]
    assert codes == ["bad_phone"]
    assert "请填写数字组成的电话号码" in response.content.decode()
    assert not Visit.objects.exists() and not Concern.objects.exists()


def test_a_good_phone_in_the_visit_form_is_kept(login, cadre, enterprise):
    data = form_data(
        enterprise,
        **{
            "concerns-0-category": "wages",
            "concerns-0-description": "加班费计算不清。",
            "concerns-0-worker_phone": " 0519-86661234 ",
        },
    )
    assert _post(login(cadre), data).status_code == 302
    assert Concern.objects.get().worker_phone == "0519-86661234"


# --- Photos -----------------------------------------------------------------------------


def _stored_photo(login, cadre, enterprise, upload):
    response = _post(login(cadre), form_data(enterprise, photos=[upload]))
    assert response.status_code == 302, response.context and response.context["form"].errors
    return VisitPhoto.objects.get()


def test_a_jpeg_named_pdf_is_stored_and_served_as_a_jpeg(login, cadre, enterprise):
    photo = _stored_photo(login, cadre, enterprise, image_file("x.pdf"))
    assert photo.image.name.endswith(".jpg")
    response = login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_png_with_transparency_stays_a_png(login, cadre, enterprise):
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 0, 0)).save(buffer, format="PNG")
    photo = _stored_photo(login, cadre, enterprise, SimpleUploadedFile("logo.jpg", buffer.getvalue()))
    assert photo.image.name.endswith(".png")
    assert login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk]))["Content-Type"] == "image/png"


def test_a_large_photo_is_shrunk_to_a_phone_friendly_size_without_its_metadata(login, cadre, enterprise):
    exif = Image.Exif()
    exif[0x010F] = "SomePhone"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1500), (10, 120, 200)).save(buffer, format="JPEG", exif=exif.tobytes())
    photo = _stored_photo(login, cadre, enterprise, SimpleUploadedFile("IMG_1.jpg", buffer.getvalue()))
    with Image.open(photo.image.path) as stored:
        assert stored.size == (LONGEST_SIDE, LONGEST_SIDE // 2)
        assert not stored.getexif()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header of width × height pixels with almost no data (17 KB would do the same)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_an_image_of_144_megapixels_is_refused_before_it_is_decoded(login, cadre, enterprise, media_root):
    upload = SimpleUploadedFile("bomb.png", _png_claiming(12_000, 12_000), content_type="image/png")
    response = _post(login(cadre), form_data(enterprise, photos=[upload]))
    assert _codes(response, "photos") == ["too_many_pixels"]
    assert "144" in response.content.decode()
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_photo_stored_under_a_non_image_name_is_downloaded_not_rendered(login, cadre, town):
    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town))
    photo = VisitPhotoFactory(visit=visit, image=image_file("old.html"))
    assert photo.image.name.endswith(".html")  # as photos were stored before
    response = login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


# --- Drafts in the browser --------------------------------------------------------------


def test_the_draft_key_belongs_to_the_user(login, cadre, other_cadre):
    first = login(cadre).get(reverse("outreach:visit_create")).content.decode()
    second = login(other_cadre).get(reverse("outreach:visit_create")).content.decode()
    assert f'data-draft-key="visit-draft:{cadre.user_id}:new"' in first
    assert f'data-draft-key="visit-draft:{other_cadre.user_id}:new"' in second
    # Every page names the owner for static/js/drafts.js, which removes other users' drafts.
    assert f'data-draft-owner="{other_cadre.user_id}"' in second
    assert 'id="logout-form"' in second and "js/drafts.js" in second
