"""deploy/ proven: Debian's nginx with deploy/nginx.conf and a self-signed certificate in front of
gunicorn as deploy/outreach.service runs it, with deploy/outreach.env.example's production settings.
A browser's part logs in over HTTPS; the responses are checked as a server admin would.

Runs whenever nginx is installed (CI installs it); without the binary it is skipped.
"""

import re
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from outreach.forms.visits import PHOTO_MAX_COUNT

from . import deployment
from .deployment import ADMIN_PASSWORD, CLIENT_ADDRESS, DEPLOY, SERVER_NAME

MB = 1024 * 1024
# nginx logs a refused upload at "error" level; that one is expected (the 413 test causes it).
EXPECTED = ("client intended to send too large body",)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not deployment.nginx_installed():
        pytest.skip(
            f"nginx not found at {deployment.NGINX}: the deployment test needs it (apt-get install nginx)"
        )
    tmp = tmp_path_factory.mktemp("deploy")
    with deployment.running(tmp) as running:
        yield running
    problems = [
        line
        for line in running.logs["gunicorn"].read_text(errors="replace").splitlines()
        if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line
    ]
    problems += [
        line
        for line in running.logs["nginx"].read_text(errors="replace").splitlines()
        if re.search(r"\[(error|crit|alert|emerg)\]", line) and not any(known in line for known in EXPECTED)
    ]
    assert not problems, "the server logs show errors:\n" + "\n".join(problems[:20])


@pytest.fixture
def browser(site):
    return site.browser()


def test_http_redirects_to_https(browser):
    response = browser.get("/accounts/login/?next=/", secure=False)
    assert response.status == 301
    assert response.header("Location") == f"https://{SERVER_NAME}/accounts/login/?next=/"


def test_an_admin_logs_in_over_https_with_the_csrf_flow(site, browser):
    form = browser.get("/")
    assert form.status == 302 and form.header("Location") == "/accounts/login/?next=/"
    # A forged first X-Forwarded-For entry: nginx appends the real address and the app takes that.
    response = browser.login("admin", ADMIN_PASSWORD, **{"X-Forwarded-For": "203.0.113.66"})
    assert response.status == 302, response.text[:500]
    assert response.header("Location") == "/"
    session = browser.cookie(settings.SESSION_COOKIE_NAME)
    assert session["secure"] and session["httponly"]
    assert browser.cookie(settings.CSRF_COOKIE_NAME)["secure"]
    home = browser.get("/")
    assert home.status == 200
    assert "管理" in home.text and 'id="mainnav"' in home.text
    assert home.header("Cache-Control") == "no-store"
    with sqlite3.connect(site.database) as db:
        addresses = {row[0] for row in db.execute("SELECT ip_address FROM axes_accesslog")}
    assert addresses == {CLIENT_ADDRESS}  # not the forged 203.0.113.66, not nginx's 127.0.0.1


def test_pages_carry_hsts_and_the_security_headers(browser):
    response = browser.get("/accounts/login/")
    assert response.status == 200
    assert "max-age=31536000" in response.header("Strict-Transport-Security")
    assert "default-src 'self'" in response.header("Content-Security-Policy")
    assert response.header("Cross-Origin-Resource-Policy") == "same-origin"
    assert "camera=()" in response.header("Permissions-Policy")
    assert response.header("X-Content-Type-Options") == "nosniff"


def test_html_is_gzipped(browser):
    response = browser.get("/accounts/login/")
    assert response.header("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.header("Vary")
    assert "登录" in response.text
    assert len(response.raw) < len(response.body) / 2


def test_static_files_are_served_by_nginx_with_a_long_cache(site, browser):
    page = browser.get("/accounts/login/").text
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
    response = browser.get(stylesheet)
    assert response.status == 200
    assert response.header("Content-Type").startswith("text/css")
    # nginx's rule (whitenoise would say max-age=315360000): hashed names are cached for a year
    assert response.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.header("Content-Encoding") == "gzip"  # the .gz collectstatic wrote beside it
    assert "max-age=31536000" in response.header("Strict-Transport-Security")
    assert response.header("Cross-Origin-Resource-Policy") == "same-origin"
    assert response.body == (site.static / stylesheet.removeprefix("/static/")).read_bytes()


def test_the_favicon_answers_without_a_404(browser):
    response = browser.get("/favicon.ico")
    assert response.status == 200
    assert response.body[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_html_css_and_javascript_are_all_sent_gzipped(browser):
    """What a phone downloads: the page, its stylesheets and its scripts, each compressed."""
    page = browser.get("/accounts/login/")
    assets = re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', page.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for path in [page, *assets]:
        response = path if not isinstance(path, str) else browser.get(path)
        assert response.header("Content-Encoding") == "gzip", path
        assert len(response.raw) < len(response.body) * 0.6, path


def test_uploaded_photos_are_not_exposed(site, browser):
    secret = site.media / "visits" / "2026" / "11" / "photo.jpg"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"\xff\xd8 personal data " + uuid.uuid4().bytes)
    for path in ("/media/visits/2026/11/photo.jpg", "/static/../media/visits/2026/11/photo.jpg"):
        response = browser.get(path)
        assert response.status == 404, path
        assert secret.read_bytes() not in response.body
    assert not (site.static / "visits").exists()
    assert "media" not in re.sub(r"#.*", "", (DEPLOY / "nginx.conf").read_text()).replace(
        "location ^~ /media/", ""
    )


def test_the_upload_limit_matches_the_apps_limits():
    photos = PHOTO_MAX_COUNT * settings.VISIT_PHOTO_MAX_BYTES
    expected = max(photos, settings.DIRECTORY_IMPORT_MAX_BYTES) + 1 * MB
    assert deployment.client_max_body_size() == expected


def _upload(browser, size: int):
    """A multipart POST of `size` bytes to the login form, with its CSRF token: the app reads it all."""
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get("/accounts/login/").text
    ).group(1)
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        left = size - len(head) - len(tail)
        while left > 0:
            yield b"\0" * min(MB, left)
            left -= MB
        yield tail

    return browser.request(
        "POST",
        "/accounts/login/",
        body=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(size),
            "Origin": f"https://{SERVER_NAME}",
        },
    )


def test_a_request_over_the_limit_gets_the_chinese_413_page_and_one_within_reaches_the_app(browser):
    limit = deployment.client_max_body_size()
    too_big = browser.request(
        "POST", "/accounts/login/", headers={"Content-Length": str(limit + 1), "Content-Type": "image/jpeg"}
    )
    assert too_big.status == 413
    assert "上传的内容太大" in too_big.text
    within = _upload(browser, limit - 64 * 1024)
    assert within.status == 200  # the login form again (no user name): the app read the whole body
    assert "登录" in within.text


def test_error_pages_render_in_production(browser):
    response = browser.get("/no-such-page/")
    assert response.status == 404
    assert "页面不存在" in response.text and "Not Found" not in response.text
    browser.login("admin", ADMIN_PASSWORD)
    response = browser.get("/no-such-page/")
    assert response.status == 404
    assert "页面不存在" in response.text and 'id="mainnav"' in response.text  # the menu, logged in


def test_the_example_environment_lists_every_setting():
    source = Path(settings.BASE_DIR, "config", "settings", "base.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|list)\(\s*"([A-Z_]+)"', source)) | {"DATABASE_URL"}
    example = (DEPLOY / "outreach.env.example").read_text()
    readme = Path(settings.BASE_DIR, "README.md").read_text()
    listed = set(re.findall(r"^#?([A-Z_]+)=", example, re.MULTILINE))
    assert names - listed == set(), "settings missing from deploy/outreach.env.example"
    assert {name for name in names if f"`{name}`" not in readme} == set(), "settings missing from the README"
    assert deployment.read_env_file(DEPLOY / "outreach.env.example")["TRUSTED_PROXY_COUNT"] == "1"


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"), reason="systemd-analyze not installed (package systemd)"
)
def test_the_gunicorn_unit_passes_systemd_analyze(tmp_path):
    unit = tmp_path / "outreach.service"
    gunicorn = Path(deployment.VENV_BIN, "gunicorn")  # the server's .venv path does not exist here
    unit.write_text(
        (DEPLOY / "outreach.service")
        .read_text()
        .replace("/srv/outreach/app/.venv/bin/gunicorn", str(gunicorn))
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), (
        result.stdout + result.stderr
    )


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"), reason="systemd-analyze not installed (package systemd)"
)
def test_the_notices_timer_and_its_service_pass_systemd_analyze(tmp_path):
    python = Path(deployment.VENV_BIN, "python")
    service = tmp_path / "outreach-notices.service"
    service.write_text(
        (DEPLOY / "outreach-notices.service")
        .read_text()
        .replace("/srv/outreach/app/.venv/bin/python", str(python))
    )
    timer = tmp_path / "outreach-notices.timer"
    timer.write_text((DEPLOY / "outreach-notices.timer").read_text())
    assert "OnUnitActiveSec=5min" in timer.read_text()
    assert "run_notices" in service.read_text()
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["systemd-analyze", "verify", "--man=no", str(service), str(timer)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), (
        result.stdout + result.stderr
    )
