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
import os
import shutil
import subprocess  # nosec B404 - runs pg_ctl / pg_ctlcluster, our own commands
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.support.server import HOST, User, free_port, gunicorn, prepare  # noqa: E402

FRIENDLY = "数据库暂时不可用"
PAGE = "/directory/enterprises/"


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
    status: int
    friendly: bool
    traceback: bool


def hammer(user: User, hits: list[Hit], until: float, lock: threading.Lock) -> None:
    while time.monotonic() < until:
        start = time.monotonic()
        try:
            response = user.request(PAGE)
            hit = Hit(start, response.status, FRIENDLY in response.body, "Traceback" in response.body)
        except Exception:  # noqa: BLE001 - no answer at all counts as a failure
            hit = Hit(start, 0, False, False)
        with lock:
            hits.append(hit)
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
            for index, user in enumerate(users):
                if user.login(names[index % len(names)], DEMO_PASSWORD).status != 302:
                    raise SystemExit("a demo user could not log in")
            hits: list[Hit] = []
            lock = threading.Lock()
            until = time.monotonic() + 3 + min(args.outage, 30) + 10
            threads = [
                threading.Thread(target=hammer, args=(u, hits, until, lock), daemon=True) for u in users
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
    finally:
        cluster.destroy()
        shutil.rmtree(static_root, ignore_errors=True)

    before = [h for h in hits if h.start < down]
    during = [h for h in hits if down <= h.start < up]
    after = sorted((h for h in hits if h.start >= up), key=lambda h: h.start)
    bad_during = [
        h for h in during if h.status != 200 and not (h.status == 503 and h.friendly and not h.traceback)
    ]
    print(f"before: {len(before)} requests, {sum(h.status == 200 for h in before)} OK")
    print(
        f"outage ({up - down:.1f} s, stop took {stopped - down:.1f} s): {len(during)} requests: "
        f"{sum(h.status == 503 and h.friendly for h in during)} friendly 503, "
        f"{sum(h.status == 200 for h in during)} OK (before the stop took effect), {len(bad_during)} other"
    )
    first = after[0] if after else None
    print(
        f"after: {len(after)} requests, {sum(h.status == 200 for h in after)} OK; first request after "
        f"PostgreSQL was back: {first.status if first else 'none'}"
    )
    if any(h.traceback for h in hits):
        print("FAIL: a response showed a traceback")
    ok = not bad_during and first is not None and first.status == 200 and all(h.status == 200 for h in before)
    ok = ok and not any(h.traceback for h in hits) and any(h.status == 503 for h in during)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
