"""Fault: PostgreSQL restarts under load. Users must see the friendly 503 page (no traceback)
while it is down, and the first request after it is back must succeed (CONN_HEALTH_CHECKS).

    .venv/bin/python bench/db_restart.py                 # a private throw-away cluster (default)
    .venv/bin/python bench/db_restart.py --system-cluster --yes-restart-the-shared-postgresql

By default it creates its own PostgreSQL cluster in a temporary folder on a free port and
restarts that one, so nobody else's database is touched. --system-cluster restarts the
machine's cluster instead (`pg_ctlcluster … main restart`): every other connection is cut.
gunicorn on 127.0.0.1 with persistent connections (CONN_MAX_AGE=60); a few users request a
database page in a loop; the outage lasts --outage seconds (stop, wait, start). Bounded in time.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess  # nosec B404 - runs pg_ctl / pg_ctlcluster, our own commands
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import first_hosts, visit_post_data  # noqa: E402
from bench.support.server import HOST, User, free_port, gunicorn, prepare  # noqa: E402

FRIENDLY = "数据库暂时不可用"
PAGE = "/directory/enterprises/"
FORM = "/outreach/visits/new/"


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    found = shutil.which(name) or next(
        (str(v / name) for v in reversed(versions) if (v / name).exists()), None
    )
    if not found:
        raise FileNotFoundError(name)
    return found


def as_postgres(*cmd: str) -> list[str]:
    """Run as the postgres user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)  # nosec B603


class PrivateCluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        run(
            as_postgres(
                pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
        )
        self.start()

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/outreach_restart"

    def _ctl(self, *args: str) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST}"
        run(
            as_postgres(
                pg_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", *args
            )
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class SystemCluster:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/outreach_restart")

    def _ctl(self, action: str) -> None:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action])

    def stop(self) -> None:
        self._ctl("stop")

    def start(self) -> None:
        self._ctl("start")

    def destroy(self) -> None:
        pass


@dataclass
class Hit:
    start: float
    end: float
    status: int
    friendly: bool
    traceback: bool
    marker: str = ""  # a visit POST: the marker written into work_done

    @property
    def ok(self) -> bool:
        """A page shown, or a visit saved (its form redirects; shown again, it was not accepted)."""
        return self.status in (302, 303) if self.marker else self.status in (200, 302)

    @property
    def calm(self) -> bool:
        """The right answer while the database is down: the friendly 503, never a traceback."""
        return self.status == 503 and self.friendly and not self.traceback


def timed(user: User, path: str, data=None, marker: str = "") -> tuple[Hit, str]:
    """The request as a Hit, and the page's HTML."""
    start = time.monotonic()
    try:
        response = user.request(path, data)
    except Exception:  # noqa: BLE001 - no answer at all counts as a failure
        return Hit(start, time.monotonic(), 0, False, False, marker), ""
    body = response.body
    return Hit(start, time.monotonic(), response.status, FRIENDLY in body, "Traceback" in body, marker), body


def hammer(
    user: User, hits: list[Hit], until: float, lock: threading.Lock, run: str, writer: bool, host: int | None
) -> None:
    """Readers load a database page in a loop; writers open the visit form and save a visit."""
    while time.monotonic() < until:
        if writer:
            form, html = timed(user, FORM)
            new = [form]
            if form.status == 200:
                marker = f"{run}-{uuid.uuid4().hex}"
                new.append(timed(user, FORM, visit_post_data(html, marker, host), marker)[0])
        else:
            new = [timed(user, PAGE)[0]]
        with lock:
            hits.extend(new)
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--system-cluster", action="store_true")
    parser.add_argument("--yes-restart-the-shared-postgresql", action="store_true")
    parser.add_argument(
        "--outage", type=float, default=3.0, help="seconds PostgreSQL stays down (at most 30)"
    )
    parser.add_argument("--users", type=int, default=4)
    args = parser.parse_args()
    if args.system_cluster and not args.yes_restart_the_shared_postgresql:
        print("Refusing: --system-cluster cuts every connection to the machine's PostgreSQL.")
        print("Add --yes-restart-the-shared-postgresql when nobody else is using it.")
        return 2
    static_root = ""
    try:
        cluster = SystemCluster() if args.system_cluster else PrivateCluster()
    except (FileNotFoundError, subprocess.SubprocessError, PermissionError) as error:
        print(f"SKIPPED: cannot run a private PostgreSQL cluster here ({error})")
        return 0
    try:
        static_root = tempfile.mkdtemp(prefix="bench-static-")
        env = prepare(cluster.url, static_root)
        env["CONN_MAX_AGE"] = "60"  # persistent connections: the case health checks exist for
        os.environ.update(env)
        import django

        django.setup()
        from unions.demo import DEMO_PASSWORD

        with gunicorn(env, workers=2, threads=2) as base:
            users = [User(base, timeout=20) for _ in range(args.users)]
            names = ["cadre", "town_cadre", "district_leader", "town_leader"]
            hosts = first_hosts(names)
            from django.db import connection

            connection.close()  # this process's own connection would not survive the restart
            for index, user in enumerate(users):
                if user.login(names[index % len(names)], DEMO_PASSWORD).status != 302:
                    raise SystemExit("a demo user could not log in")
            hits: list[Hit] = []
            lock = threading.Lock()
            until = time.monotonic() + 3 + min(args.outage, 30) + 10
            run = f"restart-{uuid.uuid4().hex[:8]}"
            threads = [  # the cadres write visits, the leaders read
                threading.Thread(
                    target=hammer,
                    args=(
                        u,
                        hits,
                        until,
                        lock,
                        run,
                        index % len(names) < 2,
                        hosts.get(names[index % len(names)]),
                    ),
                    daemon=True,
                )
                for index, u in enumerate(users)
            ]
            for thread in threads:
                thread.start()
            time.sleep(3)
            down = time.monotonic()
            cluster.stop()
            stopped = time.monotonic()
            time.sleep(min(args.outage, 30))
            cluster.start()
            up = time.monotonic()
            for thread in threads:
                thread.join(timeout=60)
            from outreach.models import Visit

            stored = collections.Counter(
                Visit.objects.filter(work_done__startswith=run).values_list("work_done", flat=True)
            )
    finally:
        cluster.destroy()
        shutil.rmtree(static_root, ignore_errors=True)

    return report(hits, down, stopped, up, stored)


def report(hits: list[Hit], down: float, stopped: float, up: float, stored: collections.Counter) -> int:
    """A request that overlapped the outage (began before PostgreSQL was back, ended after it was
    stopped) may get the friendly 503 as well as a success; one entirely before or after it must
    succeed; never a 500 or a traceback; every save that got a success response is a row, once."""
    overlapping = [h for h in hits if h.start < up and h.end > down]
    before = [h for h in hits if h.end <= down]
    after = sorted((h for h in hits if h.start >= up), key=lambda h: h.start)
    bad_during = [h for h in overlapping if not (h.ok or h.calm)]
    bad_outside = [h for h in before + after if not h.ok]
    saves = [h for h in hits if h.marker]
    saved = [h.marker for h in saves if h.ok]
    missing = [m for m in saved if stored[m] == 0]
    doubled = [m for m, n in stored.items() if n > 1]
    refused = [h for h in saves if not h.ok and h.status != 200]
    rejected = [h for h in saves if h.status == 200]  # the form shown again: the bench's post is wrong
    print(f"before: {len(before)} requests, {sum(h.ok for h in before)} OK")
    print(
        f"outage ({up - down:.1f} s, stop took {stopped - down:.1f} s): {len(overlapping)} requests overlapped it: "
        f"{sum(h.calm for h in overlapping)} friendly 503, {sum(h.ok for h in overlapping)} OK, "
        f"{len(bad_during)} other ({sorted({h.status for h in bad_during})})"
    )
    first = after[0] if after else None
    print(
        f"after: {len(after)} requests, {sum(h.ok for h in after)} OK, {len(after) - sum(h.ok for h in after)} errors; "
        f"first request after PostgreSQL was back: {first.status if first else 'none'}"
    )
    print(
        f"saves: {len(saves)} posted, {len(saved)} successful = rows {sum(stored[m] >= 1 for m in saved)}; "
        f"missing {len(missing)}, doubled {len(doubled)}; {len(refused)} refused with 503 during the outage, "
        f"{sum(stored[h.marker] > 0 for h in refused)} of them stored anyway; {len(rejected)} not accepted by the form"
    )
    if any(h.traceback for h in hits):
        print("FAIL: a response showed a traceback")
    ok = not bad_during and not bad_outside and first is not None and first.ok
    ok = ok and not any(h.traceback or h.status == 500 for h in hits) and any(h.calm for h in overlapping)
    ok = ok and not missing and not doubled and not rejected and bool(saved)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
