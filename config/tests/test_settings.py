"""The secret key is required to serve with DEBUG off, not to check a fresh checkout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_the_server_refuses_to_start_without_a_secret_key():
    result = _run("-c", "import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_server_starts_with_a_secret_key():
    result = _run("-c", "import config.wsgi", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.invalid")
    assert result.returncode == 0, result.stderr


def test_checks_run_on_an_unconfigured_checkout():
    result = _run("manage.py", "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_postgresql_connections_plan_for_memory_not_spinning_disks(monkeypatch):
    """random_page_cost 1.1 on every PostgreSQL connection (the default and the replica),
    merged with options the URL already gives, overridable, and nothing for SQLite."""
    from config.settings.base import planner_options

    pg = "django.db.backends.postgresql"
    assert planner_options({"ENGINE": pg})["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    merged = planner_options({"ENGINE": pg, "OPTIONS": {"options": "-c statement_timeout=5000"}})
    assert merged["OPTIONS"]["options"] == "-c statement_timeout=5000 -c random_page_cost=1.1"
    assert "OPTIONS" not in planner_options({"ENGINE": "django.db.backends.sqlite3"})
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "2")
    assert planner_options({"ENGINE": pg})["OPTIONS"]["options"] == "-c random_page_cost=2.0"
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "")
    assert "OPTIONS" not in planner_options({"ENGINE": pg})


@pytest.mark.django_db
def test_the_database_connection_uses_the_planner_setting():
    from django.db import connection

    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
