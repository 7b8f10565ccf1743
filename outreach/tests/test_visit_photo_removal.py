"""Photos: the author removes one before the review (soft: the file stays), and a save that
fails half-way through its photos leaves no file behind in storage."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from outreach.models import Visit, VisitPhoto
from outreach.services import visit_save
from outreach.tests.factories import VisitFactory, VisitPhotoFactory, image_file
from unions.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(cadre, companion, town):
    visit = VisitFactory(
        cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town), companions=[companion]
    )
    return VisitPhotoFactory(visit=visit)


def _url(photo):
    return reverse("outreach:visit_photo_delete", args=[photo.pk])


def test_it_requires_login(client, photo):
    response = client.post(_url(photo))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    photo.refresh_from_db()
    assert not photo.is_deleted


def test_the_author_confirms_then_removes_the_photo_and_the_file_stays(login, cadre, photo):
    client = login(cadre)
    detail = client.get(photo.visit.get_absolute_url()).content.decode()
    assert _url(photo) in detail
    confirm = client.get(_url(photo))
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    photo.refresh_from_db()
    assert not photo.is_deleted  # asking deletes nothing
    response = client.post(_url(photo))
    assert response.status_code == 302 and response["Location"] == photo.visit.get_absolute_url()
    photo.refresh_from_db()
    assert photo.is_deleted and VisitPhoto.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.image.name)
    detail = client.get(photo.visit.get_absolute_url()).content.decode()
    assert reverse("outreach:visit_photo", args=[photo.pk]) not in detail
    assert client.get(reverse("outreach:visit_photo", args=[photo.pk])).status_code == 404
    assert client.post(_url(photo)).status_code == 404  # removed already


def test_a_companion_may_not_remove_the_authors_photo(login, companion, photo):
    client = login(companion)
    assert _url(photo) not in client.get(photo.visit.get_absolute_url()).content.decode()
    assert client.post(_url(photo)).status_code == 403
    photo.refresh_from_db()
    assert not photo.is_deleted


def test_another_towns_leader_gets_a_404(login, other_town_leader, photo):
    assert login(other_town_leader).post(_url(photo)).status_code == 404


def test_a_reviewed_visits_photo_stays(login, cadre, photo):
    Visit.objects.filter(pk=photo.visit_id).update(status=Visit.Status.REVIEWED)
    assert login(cadre).post(_url(photo)).status_code == 403
    photo.refresh_from_db()
    assert not photo.is_deleted


def test_a_save_that_fails_at_the_second_photo_leaves_no_file(cadre, town, media_root, monkeypatch):
    saves = []
    original = VisitPhoto.save

    def failing_save(self, *args, **kwargs):
        saves.append(self.image.name)
        if len(saves) == 2:
            raise RuntimeError("the database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(VisitPhoto, "save", failing_save)
    visit = Visit(kind="worker", date="2026-11-10", host_union=town, work_done="跟班劳动。")
    with pytest.raises(RuntimeError):
        visit_save(
            visit=visit, editor=cadre, action="submit", photos=[image_file("a.jpg"), image_file("b.jpg")]
        )
    assert len(saves) == 2 and all(saves)
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))
