"""Several app servers: a shared cache in Redis, photos in an S3-compatible store, report pages
from a read replica that fall back to the primary when it is down."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from config import replica
from lib import ratelimit
from outreach.tests.factories import VisitFactory, VisitPhotoFactory, image_file
from outreach.tests.test_visit_form import form_data
from unions.tests.factories import EnterpriseFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _settings_with(**env) -> dict:
    """The settings a server started with this environment would use."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'], "
        "'media': settings.STORAGES['default']['BACKEND'], "
        "'bucket': settings.STORAGES['default'].get('OPTIONS', {}).get('bucket_name'), "
        "'databases': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
        "'replica_reads': settings.REPLICA_READS}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_server_keeps_its_cache_and_photos_on_its_own_machine():
    found = _settings_with()
    assert found["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["media"] == "django.core.files.storage.FileSystemStorage"
    assert found["databases"] == ["default"]
    assert found["replica_reads"] is False


def test_the_environment_turns_on_redis_s3_and_the_replica():
    found = _settings_with(
        REDIS_URL="redis://127.0.0.1:6379/3",
        MEDIA_STORAGE="s3",
        S3_BUCKET="outreach-photos",
        DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:5433/outreach",
    )
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["media"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "outreach-photos"
    assert found["databases"] == ["default", "replica"]
    assert found["routers"] == ["config.replica.ReplicaRouter"]
    assert found["replica_reads"] is True


# --- Redis --------------------------------------------------------------------------------------


@pytest.fixture
def redis_cache():
    """Django's Redis cache on the local Redis server, under a prefix of this test alone."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_URL} (.ci/run starts one)")
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    prefix = f"test-{uuid.uuid4().hex}"
    with override_settings(CACHES={"default": {**config, "KEY_PREFIX": prefix}}):
        yield lambda: RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}).clear()


def test_a_rate_limit_holds_across_app_servers(redis_cache):
    """Two servers share the count: three hits of a limit of two are refused, wherever they land."""
    assert ratelimit.hit("password-reset", "wang@example.cn", limit=2)
    other_server = redis_cache()  # a second process: its own connection, the same Redis
    keys = [k for k in other_server._cache.get_client().keys(f"{other_server.key_prefix}*")]
    assert len(keys) == 1 and other_server.get(keys[0].decode().split(":", 2)[2]) == 1
    assert ratelimit.hit("password-reset", "wang@example.cn", limit=2)
    assert not ratelimit.hit("password-reset", "wang@example.cn", limit=2)


# --- Photos in an S3-compatible store -----------------------------------------------------------


@pytest.fixture
def s3_storage():
    """A private bucket in moto's in-process S3, as STORAGES' default."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="outreach-photos")
        backend = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "outreach-photos",
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "photos",
                "default_acl": "private",
                "file_overwrite": False,
            },
        }
        from django.conf import settings

        with override_settings(STORAGES={**settings.STORAGES, "default": backend}):
            yield boto3.client("s3", region_name="us-east-1")


@pytest.mark.django_db
def test_a_photo_saved_on_one_server_is_shown_by_another(s3_storage, login, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    client = login(cadre)
    response = client.post(
        reverse("outreach:visit_create"), form_data(enterprise, photos=[image_file("车间.jpg")])
    )
    assert response.status_code == 302
    visit = cadre.visits.get()
    photo = visit.photos.get()
    stored = s3_storage.list_objects_v2(Bucket="outreach-photos")["Contents"]
    assert [obj["Key"] for obj in stored] == [f"photos/{photo.image.name}"]
    acl = s3_storage.get_object_acl(Bucket="outreach-photos", Key=stored[0]["Key"])
    assert all(grant["Grantee"].get("URI") is None for grant in acl["Grants"])  # not public

    shown = client.get(reverse("outreach:visit_photo", args=[photo.pk]))
    assert shown.status_code == 200
    body = b"".join(shown.streaming_content)
    original = s3_storage.get_object(Bucket="outreach-photos", Key=stored[0]["Key"])["Body"].read()
    assert body == original and body[:2] == b"\xff\xd8"


@pytest.mark.django_db
def test_a_photo_missing_from_the_store_is_a_404(s3_storage, login, cadre, town):
    photo = VisitPhotoFactory(
        visit=VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town))
    )
    photo.image.storage.delete(photo.image.name)
    assert login(cadre).get(reverse("outreach:visit_photo", args=[photo.pk])).status_code == 404


# --- The read replica ---------------------------------------------------------------------------


@pytest.fixture
def replica_on(settings):
    """Report pages read from the replica alias (the test database under a second connection)."""
    settings.REPLICA_READS = True
    replica._down_until = 0.0
    yield connections["replica"]
    replica._down_until = 0.0
    connections["replica"].close()


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_report_pages_read_the_practice_from_the_replica(replica_on, login, town_leader, cadre, town):
    VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town, name="常州精密钢管厂"))
    client = login(town_leader)
    with (
        CaptureQueriesContext(replica_on) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(reverse("reports:monthly"), {"month": "2026-11"})
    assert response.status_code == 200
    assert "outreach_visit" in _tables(on_replica.captured_queries)
    assert "outreach_visit" not in _tables(on_primary.captured_queries)
    assert "django_session" in _tables(on_primary.captured_queries)  # who is logged in: the primary
    assert "django_session" not in _tables(on_replica.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_other_pages_and_every_write_use_the_primary(replica_on, login, cadre, town):
    enterprise = EnterpriseFactory(district_union=town)
    client = login(cadre)
    with CaptureQueriesContext(replica_on) as on_replica:
        assert client.get(reverse("outreach:visit_list")).status_code == 200
        response = client.post(reverse("outreach:visit_create"), form_data(enterprise))
    assert response.status_code == 302
    assert on_replica.captured_queries == []


@pytest.fixture
def replica_down(replica_on):
    """The replica's server is unreachable (a database file that cannot be opened, a closed port)."""
    original = replica_on.settings_dict
    broken = dict(original)
    if replica_on.vendor == "sqlite":
        broken["NAME"] = "/nonexistent-folder/replica.sqlite3"
    else:
        broken.update(HOST="127.0.0.1", PORT="1")
    # (set before closing: SQLite keeps an in-memory test database's connection open otherwise)
    replica_on.settings_dict = broken
    replica_on.close()
    yield replica_on
    replica_on.close()
    replica_on.settings_dict = original


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_replica_that_is_down_gives_the_report_from_the_primary(
    replica_down, login, town_leader, cadre, town
):
    VisitFactory(cadre=cadre, host_enterprise=EnterpriseFactory(district_union=town, name="常州精密钢管厂"))
    client = login(town_leader)
    response = client.get(reverse("reports:monthly"), {"month": "2026-11"})
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.context["report"].completion["rows"]}
    assert cadre.pk in rows  # the figures, read from the primary
    assert not replica.replica_available()  # the primary serves the reports for a while

    # The next report does not wait for the dead replica again.
    with CaptureQueriesContext(connections["default"]) as on_primary:
        assert client.get(reverse("reports:monthly"), {"month": "2026-11"}).status_code == 200
    assert "outreach_visit" in _tables(on_primary.captured_queries)
