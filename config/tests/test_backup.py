"""`make backup` then `make restore` into a fresh PostgreSQL database gives back every row."""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from outreach.tests.factories import ConcernFactory, VisitFactory
from unions.tests.factories import CadreFactory, EnterpriseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),  # committed rows, so that pg_dump sees them
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres") or shutil.which("pg_dump") is None,
        reason="needs DATABASE_URL on PostgreSQL and pg_dump",
    ),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _row_counts(url: str) -> dict[str, int]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from pg_tables
            counts[table] = cursor.fetchone()[0]
    return counts


def _make(target: str, url: str, tmp_path: Path, *extra: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "--no-print-directory", target, f"BACKUP_DIR={tmp_path}", *extra],  # noqa: S607
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_backup_restores_into_a_fresh_database_with_every_row(tmp_path):
    town_cadre = CadreFactory()
    EnterpriseFactory.create_batch(5, district_union=town_cadre.unit)
    VisitFactory.create_batch(3, cadre=town_cadre)
    ConcernFactory.create_batch(2)
    source = _url(connection.settings_dict["NAME"])
    fresh = f"{connection.settings_dict['NAME']}_restore"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        _make("backup", source, tmp_path)
        (dump,) = tmp_path.glob("outreach-*.dump")
        _make("restore", _url(fresh), tmp_path, f"FILE={dump}")
        before, after = _row_counts(source), _row_counts(_url(fresh))
        assert before["outreach_visit"] == 3 and before["unions_enterpriseunion"] >= 5
        assert after == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
