"""gunicorn on 127.0.0.1 with production settings, a fresh seeded PostgreSQL database, and
simulated users (one cookie jar each) that talk to it. Loopback only, bounded in time."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess  # nosec B404 - runs our own manage.py and gunicorn
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only, never anything else


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(database_url: str, static_root: str) -> dict[str, str]:
    """Production settings (DEBUG off), but plain http on loopback: no https redirect or secure cookies."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "USE_X_FORWARDED_PROTO": "0",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # nosec B603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


@contextmanager
def _server_cursor(database_url: str):
    """(cursor on the server's postgres database, autocommit; the name of the URL's database)."""
    import psycopg2

    parts = urllib.parse.urlparse(database_url)
    conn = psycopg2.connect(parts._replace(path="/postgres").geturl())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor, parts.path.lstrip("/")
    finally:
        conn.close()


def recreate_database(database_url: str) -> None:
    """Drop and create the database named in the URL (a bench database, never the app's own)."""
    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    if not re.fullmatch(r"outreach_(load|bench|restart)\w*", name):
        raise SystemExit(f"refusing to recreate {name!r}: bench databases are named outreach_load…")
    with _server_cursor(database_url) as (cursor, name):
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')


def ensure_database(database_url: str) -> None:
    """Create the database named in the URL when it does not exist (kept when it does)."""
    with _server_cursor(database_url) as (cursor, name):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url: str, static_root: str) -> dict[str, str]:
    """A fresh database with the demo directory (60 cadres, 300 enterprises), static files collected."""
    env = server_env(database_url, static_root)
    recreate_database(database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--force")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return env


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 3, threads: int = 4):
    """gunicorn on 127.0.0.1:<free port>; yields the base URL; stops it (only it) afterwards."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # nosec B603 - fixed arguments
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # nosec B310 - loopback http
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None:
                    raise SystemExit(f"gunicorn exited; see {log.name}") from None
                time.sleep(0.3)
        else:
            raise SystemExit(f"gunicorn did not answer within 60 s; see {log.name}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        print(f"(gunicorn log: {log.name})")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    body: str
    location: str
    seconds: float


class User:
    """One simulated person: a cookie jar and a CSRF token; redirects are not followed (timed per page)."""

    def __init__(self, base: str, timeout: float = 30):
        if not base.startswith(f"http://{HOST}:"):
            raise ValueError("loopback only")
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback http only
        if data is not None:
            req.add_header("X-CSRFToken", self.csrf())
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=self.timeout) as reply:  # nosec B310 - loopback http
                status, text, location = reply.status, reply.read().decode("utf-8", "replace"), ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
            location = error.headers.get("Location", "")
        return Response(status, text, location, time.perf_counter() - start)

    def login(self, username: str, password: str) -> Response:
        self.request("/accounts/login/")
        return self.request(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()},
        )


class FormReader(HTMLParser):
    """The fields of the page's main POST form with their default values (selected options etc.)."""

    def __init__(self):
        super().__init__()
        self.in_post_form = False
        self.done = False
        self.fields: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "").lower() == "post" and not a.get("action"):
            self.in_post_form = True
        if not self.in_post_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if kind == "radio":  # a checkbox is an opt-in: left as the page has it
                    self.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields[name] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self.fields[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.options[self._select].append(value)
            if "selected" in a:
                self.fields[self._select] = [value]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form" and self.in_post_form:
            self.in_post_form, self.done = False, True


def read_form(html: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    reader = FormReader()
    reader.feed(html)
    return reader.fields, reader.options


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]
