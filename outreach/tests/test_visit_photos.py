"""Photos are personal data: only through the permission-checked view, never as public media."""

import pytest
from django.urls import reverse

from outreach.tests.factories import VisitFactory, VisitPhotoFactory
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(cadre, town):
    visit = VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town))
    return VisitPhotoFactory(visit=visit)


def test_the_author_gets_the_image(login, cadre, photo):
    response = login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


def test_another_town_gets_a_404(login, other_town_leader, photo):
    assert login(other_town_leader).get(reverse("outreach:visit_photo", args=[photo.pk])).status_code == 404


def test_a_photo_of_a_deleted_visit_is_gone(login, cadre, photo):
    photo.visit.is_deleted = True
    photo.visit.save()
    assert login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk])).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(login, cadre, photo):
    photo.image.storage.delete(photo.image.name)
    assert login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk])).status_code == 404


def test_media_is_not_served_as_public_files(client, cadre, photo):
    client.force_login(cadre.user)
    assert client.get("/media/" + photo.image.name).status_code == 404
