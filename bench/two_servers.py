"""Two app servers behind nginx, one PostgreSQL primary with a streaming replica, one Redis.

    make bench        # or: .venv/bin/python bench/two_servers.py --users 30 --duration 40

Everything runs privately on 127.0.0.1 and is removed afterwards: a PostgreSQL cluster made with
initdb (the primary) and a streaming replica made from it with `pg_basebackup -R`, a Redis
server, two gunicorn instances with the production settings (REDIS_URL, DATABASE_REPLICA_URL,
one shared photo folder), and nginx balancing them. The load test's users (bench/load.py) work
through nginx; halfway through, the replica is stopped (`pg_ctl stop -m immediate`), and the
report pages must keep answering from the primary.

Prints requests/s and p50/p95/p99 per page, the requests each server answered, errors, and
checks that every visit saved with a success response is in the primary exactly once and has
reached the replica (before it was stopped, as far as replication had got). Bounded: --duration
seconds (at most 300) and --max-requests. Needs PostgreSQL's server binaries, nginx and
redis-server (Debian: postgresql, nginx, redis-server); says SKIPPED when one is missing.
"""

from __future__ import annotations

import argparse
import collections
import glob
import os
import shutil
import subprocess  # nosec B404 - runs PostgreSQL, Redis, nginx and gunicorn on loopback
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import PAGES, Stats, simulate  # noqa: E402
from bench.support.server import HOST, User, free_port, gunicorn, percentile, prepare  # noqa: E402

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: its commands run as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)  # noqa: S603 # nosec B603


@contextmanager
def postgres_pair(base: Path):
    """A primary and its streaming replica on free loopback ports; yields (primary_port, replica_port, stop_replica)."""
    bindir = pg_bin()
    base.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    p_port, r_port = free_port(), free_port()
    _as_postgres(str(bindir / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '{HOST}'\nport = {p_port}\nunix_socket_directories = '{base}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nmax_connections = 200\n"
            "shared_buffers = 256MB\nfsync = on\n"
        )
    with (primary / "pg_hba.conf").open("w") as hba:
        hba.write(
            f"local all all trust\nhost all all {HOST}/32 trust\nhost replication all {HOST}/32 trust\n"
        )
    _as_postgres(str(bindir / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"), "-w", "start")
    stopped = []
    try:
        _as_postgres(
            str(bindir / "pg_basebackup"), "-h", HOST, "-p", str(p_port), "-U", "postgres",
            "-D", str(replica), "-R", "-X", "stream",
        )  # fmt: skip
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {r_port}\n")
        _as_postgres(
            str(bindir / "pg_ctl"), "-D", str(replica), "-l", str(base / "replica.log"), "-w", "start"
        )

        def stop_replica():
            if not stopped:
                _as_postgres(str(bindir / "pg_ctl"), "-D", str(replica), "-m", "immediate", "-w", "stop")
                stopped.append(True)

        yield p_port, r_port, stop_replica
        stop_replica()
    finally:
        for folder in (replica, primary):
            if (folder / "postmaster.pid").exists():
                subprocess.run(  # noqa: S603 # nosec B603
                    [*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                     str(bindir / "pg_ctl"), "-D", str(folder), "-m", "fast", "-w", "stop"],
                    capture_output=True, check=False,
                )  # fmt: skip


@contextmanager
def redis_server(base: Path):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 # nosec B603
        [REDIS, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(base)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host=HOST, port=port, socket_connect_timeout=1)
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        yield f"redis://{HOST}:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def nginx_in_front(base: Path, upstreams: list[str]):
    """nginx on a free loopback port, round-robin over the app servers; logs which one answered."""
    port = free_port()
    servers = "\n".join(f"        server {u.removeprefix('http://')};" for u in upstreams)
    conf = base / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log;
events {{ worker_connections 512; }}
http {{
    log_format upstream '$upstream_addr $status';
    access_log {base}/nginx-access.log upstream;
    client_body_temp_path {base}/body; proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi; uwsgi_temp_path {base}/uwsgi; scgi_temp_path {base}/scgi;
    upstream app {{
{servers}
        keepalive 32;
    }}
    server {{
        listen {HOST}:{port};
        client_max_body_size 51m;
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""
    )
    subprocess.run([NGINX, "-t", "-q", "-c", str(conf)], check=True, capture_output=True)  # noqa: S603 # nosec B603
    process = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)  # noqa: S603 # nosec B603
    try:
        time.sleep(0.5)
        yield f"http://{HOST}:{port}", base / "nginx-access.log"
    finally:
        process.terminate()
        process.wait(timeout=10)


def count_on(url: str, run: str) -> collections.Counter:
    import psycopg2

    conn = psycopg2.connect(url, connect_timeout=5)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT work_done FROM outreach_visit WHERE work_done LIKE %s", [run + "%"])
            return collections.Counter(row[0] for row in cursor.fetchall())
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=float, default=40.0, help="seconds (at most 300)")
    parser.add_argument("--think", type=float, default=0.2)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    args.duration = min(args.duration, 300.0)
    missing = [
        name
        for name, path in (("initdb", pg_bin()), ("nginx", NGINX), ("redis-server", REDIS))
        if not path or not os.path.exists(path)
    ]
    if missing:
        print(f"SKIPPED: {', '.join(missing)} not installed")
        return 0

    base = Path(tempfile.mkdtemp(prefix="bench-two-servers-"))
    os.chmod(base, 0o755)  # noqa: S103 - the postgres user needs to reach its clusters below
    run = f"two-{uuid.uuid4().hex[:8]}"
    stats = Stats()
    try:
        with ExitStack() as stack:
            p_port, r_port, stop_replica = stack.enter_context(postgres_pair(base / "pg"))
            primary = f"postgres://postgres@{HOST}:{p_port}/outreach_load_two"
            replica = f"postgres://postgres@{HOST}:{r_port}/outreach_load_two"
            redis_url = stack.enter_context(redis_server(base))
            static_root, media = base / "static", base / "media"
            media.mkdir()
            print(
                f"Preparing the primary on port {p_port} (migrate, demo directory); replica on {r_port} ..."
            )
            env = prepare(primary, str(static_root))
            env.update(
                REDIS_URL=redis_url, DATABASE_REPLICA_URL=replica, MEDIA_ROOT=str(media), CONN_MAX_AGE="60"
            )
            os.environ.update({k: v for k, v in env.items() if k != "DATABASE_REPLICA_URL"})
            import django

            django.setup()
            from django.urls import reverse

            from unions.demo import DEMO_PASSWORD
            from unions.models import Cadre, EnterpriseUnion

            paths = {label: reverse(name) for label, name in PAGES}
            cadres = Cadre.objects.active().exclude(role=Cadre.Role.ADMIN).select_related("user", "unit")
            people, hosts = [], {}
            leaders = list(cadres.filter(role=Cadre.Role.LEADER).order_by("pk")[: args.users // 3])
            for cadre in leaders + list(
                cadres.exclude(role=Cadre.Role.LEADER).order_by("pk")[: args.users - len(leaders)]
            ):
                # the first host the visit form's host search offers (bench/load.py posts it)
                hosts[cadre.user.username] = (
                    EnterpriseUnion.objects.hosts_for(cadre).values_list("pk", flat=True).first()
                )
                people.append((cadre.user.username, cadre.role == Cadre.Role.LEADER))
            servers = [
                stack.enter_context(gunicorn(env, workers=args.workers, threads=args.threads))
                for _ in range(2)
            ]
            front, access_log = stack.enter_context(nginx_in_front(base, servers))
            print(
                f"{len(people)} users for {args.duration:.0f} s through nginx {front} to {', '.join(servers)}"
            )
            start = time.monotonic()
            until = start + args.duration
            threads = [
                threading.Thread(
                    target=simulate,
                    args=(User(front), person, DEMO_PASSWORD, paths, stats, run, until, args, hosts),
                    daemon=True,
                )
                for person in people
            ]
            for thread in threads:
                thread.start()
            time.sleep(args.duration * 2 / 3)
            # Replication: the replica catches up with what the primary holds now, then it stops.
            on_primary, deadline = count_on(primary, run), time.monotonic() + 15
            while (replicated := count_on(replica, run)) != on_primary and time.monotonic() < deadline:
                time.sleep(0.2)
            stop_replica()
            print(
                f"  {time.monotonic() - start:.0f} s: replica stopped; reports from the primary from now on"
            )
            for thread in threads:
                thread.join(timeout=args.duration + 120)
            elapsed = time.monotonic() - start
            stored = count_on(primary, run)
            answered = collections.Counter(
                line.split()[0] for line in access_log.read_text().splitlines() if line.strip()
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)

    print(f"\n{'page':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label in ["login", *dict.fromkeys(label for label, _ in PAGES)]:
        values = stats.seconds.get(label, [])
        if values:
            print(
                f"{label:<16}{len(values):>9}{stats.errors[label]:>8}{percentile(values, 50) * 1000:>9.0f}"
                f"{percentile(values, 95) * 1000:>9.0f}{percentile(values, 99) * 1000:>9.0f}"
            )
    errors = sum(stats.errors.values())
    print(
        f"\n{stats.requests} requests in {elapsed:.1f} s = {stats.requests / elapsed:.1f} requests/s; errors: {errors}"
    )
    for page, sample in stats.samples.items():
        print(f"  first error on {page}: {sample}")
    for upstream, n in sorted(answered.items()):
        print(f"  answered by {upstream}: {n} requests")
    once = [m for m in stats.saved if stored[m] == 1]
    doubled = [m for m, n in stored.items() if n > 1]
    lost = [m for m in stats.saved if stored[m] == 0]
    behind = [m for m in on_primary if replicated[m] != on_primary[m]]
    print(
        f"visits: {len(stats.saved)} saved with a success response; in the primary exactly once: {len(once)}; "
        f"lost {len(lost)}, doubled {len(doubled)}; {sum(replicated.values())} had reached the replica "
        f"when it was stopped, of {sum(on_primary.values())} in the primary then ({len(behind)} missing)"
    )
    both = len([u for u in answered if u != "-"]) >= 2
    print(
        f"ratio: requests answered by the busier server / all = {max(answered.values(), default=0) / max(sum(answered.values()), 1):.2f}"
    )
    ok = not errors and not lost and not doubled and not behind and both and replicated
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
