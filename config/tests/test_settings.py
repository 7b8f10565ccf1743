"""The secret key is required to serve with DEBUG off, not to check a fresh checkout."""

import os
import subprocess
import sys
from pathlib import Path

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
