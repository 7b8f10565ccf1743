"""The deployment of deploy/ run for real: Debian's nginx with deploy/nginx.conf and a self-signed
certificate, in front of gunicorn started as deploy/outreach.service starts it, with the settings
of deploy/outreach.env.example and a throw-away SQLite database. Loopback only, free ports, every
process started here is stopped again (by its own process group id).

Used by config/tests/test_deploy.py; the paths and ports a real server has are the only things
rewritten (see `site_config`).
"""

from __future__ import annotations

import getpass
import gzip
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess  # nosec B404 - runs nginx, openssl, gunicorn and manage.py, all fixed arguments
import sys
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
HOST = "127.0.0.1"
# The browser's side of the test connects from another loopback address, so the app can tell the
# client's address (this one) from nginx's (127.0.0.1).
CLIENT_ADDRESS = "127.0.0.2"
SERVER_NAME = "outreach.test"
ADMIN_PASSWORD = "deploy-check-" + secrets.token_urlsafe(12)
START_TIMEOUT = 90  # seconds for gunicorn to answer on a loaded 2-core machine


def nginx_installed() -> bool:
    return os.access(NGINX, os.X_OK)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Poll until something accepts on the port; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}):\n{_tail(log)}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)  # polling interval, not a wait for readiness
    raise RuntimeError(f"nothing listened on {HOST}:{port} within {timeout} s:\n{_tail(log)}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads them (comments, quotes)."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def unit_exec_start() -> list[str]:
    """The gunicorn command line of deploy/outreach.service."""
    text = (DEPLOY / "outreach.service").read_text()
    (line,) = re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)
    return shlex.split(line)


def client_max_body_size() -> int:
    """nginx.conf's client_max_body_size, in bytes."""
    (value,) = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", (DEPLOY / "nginx.conf").read_text(), re.M)
    return int(value) * 1024 * 1024


def site_config(
    *, http_port: int, https_port: int, app_port: int, cert: Path, key: Path, static: Path
) -> str:
    """deploy/nginx.conf with this machine's ports and folders instead of the server's."""
    text = (DEPLOY / "nginx.conf").read_text()
    replacements = [
        (r"^\s*listen \[::\].*\n", ""),  # IPv6 may be off here; loopback IPv4 only
        (r"listen 80;", f"listen {HOST}:{http_port};"),
        (r"listen 443 ", f"listen {HOST}:{https_port} "),
        (r"server 127\.0\.0\.1:8000", f"server {HOST}:{app_port}"),
        (r"server_name gh\.example\.local;", f"server_name {SERVER_NAME};"),
        (r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};"),
        (r"alias /srv/outreach/staticfiles/;", f"alias {static}/;"),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        if count == 0:
            raise AssertionError(f"deploy/nginx.conf no longer has {pattern!r}: update the test")
    return text


def main_config(tmp: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around a site, with every path under tmp."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the 0700 temp folders
    temp_paths = "".join(
        f"    {kind}_temp_path {tmp / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\nlock_file {tmp / 'nginx.lock'};\n"
        f"error_log {tmp / 'nginx-error.log'} warn;\nevents {{ worker_connections 128; }}\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log {tmp / 'nginx-access.log'};\n{temp_paths}    include {site};\n}}\n"
    )


def make_certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "outreach.crt", tmp / "outreach.key"
    subprocess.run(  # nosec B603 - fixed arguments
        [
            shutil.which("openssl") or "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={SERVER_NAME}",
            "-addext",
            f"subjectAltName=DNS:{SERVER_NAME},IP:{HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    raw: bytes  # as sent, possibly gzipped

    @property
    def body(self) -> bytes:
        if self.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(self.raw)
        return self.raw

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """A browser's part over real TLS: verifies the certificate, keeps cookies, follows no redirect."""

    https_port: int
    http_port: int
    cert: Path
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[SimpleCookie] = field(default_factory=list)

    def _connection(self, secure: bool) -> http.client.HTTPConnection:
        source = (CLIENT_ADDRESS, 0)
        if not secure:
            return http.client.HTTPConnection(HOST, self.http_port, timeout=60, source_address=source)
        context = ssl.create_default_context(cafile=str(self.cert))  # the certificate is checked
        return http.client.HTTPSConnection(
            HOST, self.https_port, timeout=60, context=context, source_address=source
        )

    def request(self, method: str, path: str, *, body=None, headers=None, secure: bool = True) -> Response:
        # Host without a port, as a browser on 443 sends it; nginx passes it on as $host.
        sent = {"Host": SERVER_NAME, "Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = self._connection(secure)
        try:
            connection.request(method, path, body=body, headers=sent)
            reply = connection.getresponse()
            raw = reply.read()
        finally:
            connection.close()
        for value in reply.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            self.set_cookies.append(jar)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return Response(reply.status, reply.headers, raw)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def cookie(self, name: str):
        """The last Set-Cookie morsel for the name (its attributes: secure, httponly, samesite)."""
        for jar in reversed(self.set_cookies):
            if name in jar:
                return jar[name]
        raise KeyError(name)

    def login(self, username: str, password: str, **extra_headers) -> Response:
        form = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        origin = f"https://{SERVER_NAME}"
        return self.request(
            "POST",
            "/accounts/login/",
            body=urllib.parse.urlencode(
                {"username": username, "password": password, "csrfmiddlewaretoken": token}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + "/accounts/login/",
                **extra_headers,
            },
        )


@dataclass
class Deployment:
    tmp: Path
    http_port: int
    https_port: int
    app_port: int
    cert: Path
    media: Path
    static: Path
    database: Path
    logs: dict[str, Path]

    def browser(self) -> Browser:
        return Browser(https_port=self.https_port, http_port=self.http_port, cert=self.cert)


def _stop(process: subprocess.Popen, sig: int, *, group: bool = True) -> None:
    """Stop a process started here, by id only: the signal to its whole process group, or with
    group=False to the process alone (which stops its workers itself); its group is killed if
    it is still there after 30 s."""
    if process.poll() is not None:
        return
    try:
        if group:
            os.killpg(process.pid, sig)
        else:
            os.kill(process.pid, sig)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)


def _env(tmp: Path, database: Path, static: Path, media: Path) -> tuple[Path, dict[str, str]]:
    """The example environment file with this run's secrets and folders appended (later lines win)."""
    overrides = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": SERVER_NAME,
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(static),
        "MEDIA_ROOT": str(media),
        "EMAIL_HOST": "localhost",
        "LOG_LEVEL": "WARNING",
    }
    env_file = tmp / "outreach.env"
    env_file.write_text(
        (DEPLOY / "outreach.env.example").read_text()
        + "\n# the test's own values\n"
        + "".join(f"{key}={value}\n" for key, value in overrides.items())
    )
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env = {**base, **read_env_file(env_file), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    return env_file, env


def _manage(env_file: Path, env: dict[str, str], *args: str) -> None:
    """deploy/manage.sh, as an admin runs it (here as the current user, with the test's file)."""
    command = [str(DEPLOY / "manage.sh"), *args]
    run_env = {**env, "OUTREACH_ENV": str(env_file), "OUTREACH_USER": getpass.getuser()}
    result = subprocess.run(command, env=run_env, capture_output=True, text=True, timeout=300)  # nosec B603
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def running(tmp: Path):
    """Start the whole deployment under tmp; yield a Deployment; stop everything afterwards."""
    database, static, media = tmp / "db.sqlite3", tmp / "static", tmp / "media"
    media.mkdir()
    env_file, env = _env(tmp, database, static, media)
    if Path(sys.executable).parent != ROOT / ".venv" / "bin":
        # deploy/manage.sh and the unit use the app's own .venv, as on the server.
        raise RuntimeError(f"run the suite with {ROOT / '.venv/bin/python'} (make test)")
    _manage(env_file, env, "migrate", "--noinput", "-v", "0")
    _manage(env_file, env, "collectstatic", "--noinput", "-v", "0")
    _manage(
        env_file,
        {**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD},
        "createsuperuser",
        "--noinput",
        "--username",
        "admin",
        "--email",
        "admin@outreach.test",
    )
    cert, key = make_certificate(tmp)
    http_port, https_port, app_port = free_port(), free_port(), free_port()
    logs = {
        "gunicorn": tmp / "gunicorn.log",
        "nginx": tmp / "nginx-error.log",
        "access": tmp / "nginx-access.log",
    }

    command = unit_exec_start()
    command[0] = str(VENV_BIN / "gunicorn")
    command[command.index("--bind") + 1] = f"{HOST}:{app_port}"
    command[command.index("--workers") + 1] = "2"  # the unit's 5 would only slow a shared test machine
    command[command.index("--control-socket") + 1] = str(tmp / "gunicorn.ctl")  # not /run/outreach
    processes = []
    try:
        with logs["gunicorn"].open("w") as gunicorn_log:
            gunicorn = subprocess.Popen(  # nosec B603 - the unit's own command line
                command,
                cwd=ROOT,
                env=env,
                stdout=gunicorn_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # SIGTERM to the master alone, as systemd stops the unit: gunicorn's graceful shutdown,
        # in which a worker finishes the request in hand. Its quick shutdown (SIGINT), sent to
        # every worker as well, could end a worker in the middle of closing a response and log a
        # traceback the site fixture then reports as a server error.
        processes.append((gunicorn, signal.SIGTERM, False))
        site = tmp / "outreach-site.conf"
        site.write_text(
            site_config(
                http_port=http_port,
                https_port=https_port,
                app_port=app_port,
                cert=cert,
                key=key,
                static=static,
            )
        )
        main = tmp / "nginx.conf"
        main.write_text(main_config(tmp, site))
        nginx_command = [NGINX, "-p", f"{tmp}/", "-c", str(main), "-e", str(logs["nginx"])]
        checked = subprocess.run([*nginx_command, "-t"], capture_output=True, text=True, timeout=60)  # nosec B603
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused the site:\n{checked.stderr}")
        with (tmp / "nginx-stderr.log").open("w") as nginx_log:
            nginx = subprocess.Popen(  # nosec B603 - fixed arguments
                nginx_command, stdout=nginx_log, stderr=subprocess.STDOUT, start_new_session=True
            )
        processes.append((nginx, signal.SIGTERM, True))  # SIGTERM: nginx's fast shutdown
        wait_for_port(https_port, nginx, tmp / "nginx-stderr.log", timeout=30)
        wait_for_port(http_port, nginx, tmp / "nginx-stderr.log", timeout=30)
        wait_for_port(app_port, gunicorn, logs["gunicorn"], timeout=START_TIMEOUT)
        yield Deployment(
            tmp=tmp,
            http_port=http_port,
            https_port=https_port,
            app_port=app_port,
            cert=cert,
            media=media,
            static=static,
            database=database,
            logs=logs,
        )
    finally:
        for process, sig, group in reversed(processes):
            _stop(process, sig, group=group)
