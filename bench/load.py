"""Load: 50 simulated users for 60 s against gunicorn on 127.0.0.1 with PostgreSQL.

    make bench                      # or: .venv/bin/python bench/load.py --users 50 --duration 60
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach_load (default; recreated!)
    .venv/bin/python bench/load.py --visits 1000000   # on seed_bench data instead of the demo

With --visits N the database (BENCH_DATABASE_URL, default outreach_load_<N>) is kept between
runs and filled by `seed_bench` when it holds fewer visits (a few minutes for 1M); the users are
the first district's leader, town leaders and cadres, given the demo password for the run.

Each user logs in once, then repeats: the home page, my month, record a visit (GET the form,
POST it with a unique marker in work_done), the visit list, the monthly report (leaders only)
and the enterprise directory. Pages whose
URL name does not exist (yet) are skipped with a note. Reports requests/s, p50/p95/p99 per
page and errors, then checks that every visit that got a success response is in the database
exactly once. Bounded: --duration seconds and --max-requests in all; loopback only.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.support.server import (  # noqa: E402
    ROOT,
    User,
    gunicorn,
    manage,
    percentile,
    prepare,
    read_form,
    recreate_database,
    server_env,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/outreach_load"
PAGES = [  # (label, URL name); the order is one round of a user's work
    ("home", "home"),
    ("my month", "outreach:my_month"),
    ("visit form", "outreach:visit_create"),
    ("record a visit", "outreach:visit_create"),
    ("visit list", "outreach:visit_list"),
    ("monthly report", "reports:monthly"),
    ("enterprises", "unions:enterprise_list"),
]


# Pages only leaders open (cadres get 403 there, by design).
LEADER_PAGES = {"monthly report"}

# The filler picks the first option of each select and radio group the page left empty, except
# these, which it leaves at their default: the visit has exactly one host (the enterprise is
# filled), and nobody needs to be listed as a companion.
LEAVE_EMPTY = {"host_union", "companions"}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.seconds: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter = collections.Counter()
        self.samples: dict[str, str] = {}
        self.saved: list[str] = []  # markers of visits that got a success response
        self.failed_markers: list[str] = []
        self.requests = 0

    def record(self, page: str, response, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.requests += 1
            self.seconds[page].append(response.seconds if response else 0.0)
            if not ok:
                self.errors[page] += 1
                self.samples.setdefault(page, detail or f"HTTP {response.status if response else '-'}")


def visit_post_data(html: str, marker: str, host: int | None = None) -> dict[str, list[str]]:
    """The create form's own defaults, the first real option of each choice, the host (chosen
    with the host search in a browser: a hidden field here), and our marker."""
    fields, options = read_form(html)
    data = dict(fields)
    if host and not any(data.get("host_enterprise", [""])):
        data["host_enterprise"] = [str(host)]
    from django.utils import timezone

    for name, choices in options.items():
        real = [c for c in choices if c]
        # formset rows ("concerns-0-category") stay untouched: an empty extra row is not filled in
        if real and data.get(name, [""]) == [""] and name not in LEAVE_EMPTY and "-" not in name:
            data[name] = [real[0]]
    if "worker" in options.get("kind", []):
        data["kind"] = ["worker"]
    if "date" in data:
        data["date"] = [timezone.localdate().isoformat()]  # the business date, Asia/Shanghai
    data["work_done"] = [marker]
    return data


def first_hosts(usernames) -> dict[str, int | None]:
    """Each user's first host the host search offers (his or her contact enterprises first): the
    form's host is a search field, a hidden id in the posted form. Django set up."""
    from unions.models import Cadre, EnterpriseUnion

    hosts = {}
    for cadre in Cadre.objects.filter(user__username__in=list(usernames)).select_related("user", "unit"):
        hosts[cadre.user.username] = (
            EnterpriseUnion.objects.hosts_for(cadre).values_list("pk", flat=True).first()
        )
    return hosts


def simulate(
    user: User,
    person: tuple[str, bool],
    password: str,
    paths: dict,
    stats: Stats,
    run: str,
    until,
    args,
    hosts: dict | None = None,
):
    username, is_leader = person
    hosts = hosts or {}
    try:
        response = user.login(username, password)
    except Exception as error:  # noqa: BLE001 - a login that times out is an error, and ends this user
        stats.record("login", None, False, repr(error))
        return
    stats.record("login", response, response.status == 302, f"login HTTP {response.status}")
    if response.status != 302:
        return
    rng = random.Random(username)  # nosec B311 - think times, not secrets
    if not any(paths.values()):
        return
    while time.monotonic() < until and stats.requests < args.max_requests:
        for label, _name in PAGES:
            path = paths.get(label)
            if path is None or time.monotonic() >= until or (label in LEADER_PAGES and not is_leader):
                continue
            if label == "record a visit":
                continue  # posted right after "visit form"
            try:
                response = user.request(path)
            except Exception as error:  # noqa: BLE001 - a timeout or reset is an error to count
                stats.record(label, None, False, repr(error))
                continue
            stats.record(label, response, response.status == 200, f"HTTP {response.status}")
            if label == "visit form" and response.status == 200 and paths.get("record a visit"):
                marker = f"{run}-{uuid.uuid4().hex}"
                try:
                    posted = user.request(path, visit_post_data(response.body, marker, hosts.get(username)))
                except Exception as error:  # noqa: BLE001
                    stats.record("record a visit", None, False, repr(error))
                    stats.failed_markers.append(marker)
                    continue
                ok = posted.status in (302, 303)
                errors = re.findall(r"invalid-feedback[^>]*>(?:\s|<[^>]+>)*([^<]+)", posted.body)
                detail = f"HTTP {posted.status}: form not accepted: {errors[:3]}"
                stats.record("record a visit", posted, ok, "" if ok else detail)
                (stats.saved if ok else stats.failed_markers).append(marker)
            if args.think:
                time.sleep(rng.uniform(0, 2 * args.think))


def throughput(base: str, path: str, login: tuple[str, str] | None, seconds: float, clients: int) -> float:
    """Requests/s of one page, `clients` users asking for it back to back (no think time)."""
    users = [User(base) for _ in range(clients)]
    if login:
        for user in users:
            if user.login(*login).status != 302:
                raise SystemExit(f"throughput: {login[0]} could not log in")
    counts = [0] * clients
    bad = [0]
    until = time.monotonic() + seconds

    def run(i: int) -> None:
        while time.monotonic() < until:
            if users[i].request(path).status != 200:
                bad[0] += 1
            counts[i] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    if bad[0]:
        raise SystemExit(f"throughput: {bad[0]} answers of {path} were not 200")
    return sum(counts) / (time.monotonic() - started)


def prepare_seeded(url: str, static_root: str, visits: int) -> dict[str, str]:
    """A kept database with `visits` seed_bench visits (seeded when it has fewer), static collected."""
    env = server_env(url, static_root)
    import psycopg2

    parts = url.rsplit("/", 1)
    admin = psycopg2.connect(parts[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts[1]])
        if not cursor.fetchone():
            recreate_database(url)
    admin.close()
    manage(env, "migrate", "--noinput", "-v", "0")
    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM outreach_visit")
        have = cursor.fetchone()[0]
    conn.close()
    if have < visits * 0.99:
        print(f"  seeding {visits:,} visits (the database has {have:,}) ...")
        manage({**env, "DEBUG": "1"}, "seed_bench", "--visits", str(visits), "--reset")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return env


def bench_people(cadres, password: str, n: int):
    """The first district's leader, its town leaders and cadres (seed_bench's users have no
    password): they get the demo password, hashed once, for this run."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from reports.management.commands.seed_bench import BENCH_LEADER
    from unions.models import Cadre

    leader = Cadre.objects.get(user__username=BENCH_LEADER)
    chosen = cadres.filter(unit__in=leader.scope_units()).order_by("-role", "pk")[:n]
    ids = list(chosen.values_list("user_id", flat=True))
    get_user_model().objects.filter(pk__in=ids).update(password=make_password(password))
    return cadres.filter(user_id__in=ids)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (at most 600)")
    parser.add_argument("--think", type=float, default=0.2, help="mean pause between pages, seconds")
    parser.add_argument("--max-requests", type=int, default=200_000)
    # As deploy/outreach.service runs it (the README's deployment): 5 sync workers for 2 cores.
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--compare-seconds", type=float, default=10.0, help="per page, for the list/login ratio (0: off)"
    )
    parser.add_argument("--visits", type=int, default=0, help="run on seed_bench data with this many visits")
    args = parser.parse_args()
    args.duration = min(args.duration, 600.0)
    default = f"{DEFAULT_URL}_{args.visits // 1000}k" if args.visits else DEFAULT_URL
    url = os.environ.get("BENCH_DATABASE_URL", default)
    try:
        import psycopg2

        psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
    except Exception as error:  # noqa: BLE001
        print(f"SKIPPED: PostgreSQL not reachable at {url} ({error.__class__.__name__})")
        return 0

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    if args.visits:
        print(f"Preparing {url} (kept, migrated, seed_bench with {args.visits:,} visits) ...")
        env = prepare_seeded(url, static_root, args.visits)
    else:
        print(f"Preparing {url} (recreated, migrated, demo directory) ...")
        env = prepare(url, static_root)
    os.environ.update(env)
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    from outreach.models import Visit
    from unions.demo import DEMO_PASSWORD
    from unions.models import Cadre

    paths: dict[str, str | None] = {}
    for label, name in PAGES:
        try:
            paths[label] = reverse(name)
        except NoReverseMatch:
            paths[label] = None
            print(f"NOTE: {label}: URL name {name} does not exist yet; skipped")
    cadres = Cadre.objects.active()
    if args.visits:
        cadres = bench_people(cadres, DEMO_PASSWORD, args.users)
    people = list(
        cadres.exclude(role=Cadre.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .values_list("user__username", "role")[: args.users]
    )
    people = [(name, role == Cadre.Role.LEADER) for name, role in people]
    print(f"{sum(leader for _, leader in people)} of them leaders (who also open the monthly report)")
    hosts = first_hosts([name for name, _ in people])
    if len(people) < args.users:
        print(f"NOTE: only {len(people)} cadres in the demo directory; simulating {len(people)} users")

    stats = Stats()
    run = f"load-{uuid.uuid4().hex[:8]}"
    with gunicorn(env, workers=args.workers, threads=args.threads) as base:
        print(
            f"{len(people)} users for {args.duration:.0f} s against {base} (gunicorn {args.workers}×{args.threads})"
        )
        start = time.monotonic()
        until = start + args.duration
        threads = [
            threading.Thread(
                target=simulate,
                args=(User(base), name, DEMO_PASSWORD, paths, stats, run, until, args, hosts),
                daemon=True,
            )
            for name in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 120)
        elapsed = time.monotonic() - start
        ratio = None
        if args.compare_seconds and paths.get("visit list"):
            # The yardstick: a logged-in 20-row list against the bare login page.
            leader = next((name for name, is_leader in people if is_leader), people[0][0])
            clients = min(10, len(people))
            login_rps = throughput(base, "/accounts/login/", None, args.compare_seconds, clients)
            list_rps = throughput(
                base, paths["visit list"], (leader, DEMO_PASSWORD), args.compare_seconds, clients
            )
            ratio = list_rps / login_rps

    found = collections.Counter(
        Visit.objects.filter(work_done__startswith=run).values_list("work_done", flat=True)
    )
    missing = [m for m in stats.saved if found[m] == 0]
    doubled = [m for m, n in found.items() if n > 1]
    unreported = [m for m in stats.failed_markers if found[m]]

    print(f"\n{'page':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    report = {"users": len(people), "seconds": round(elapsed, 1), "pages": {}}
    for label in ["login", *dict.fromkeys(label for label, _ in PAGES)]:
        values = stats.seconds.get(label, [])
        if not values:
            continue
        row = {
            "requests": len(values),
            "errors": stats.errors[label],
            "p50_ms": round(percentile(values, 50) * 1000),
            "p95_ms": round(percentile(values, 95) * 1000),
            "p99_ms": round(percentile(values, 99) * 1000),
        }
        report["pages"][label] = row
        print(
            f"{label:<16}{row['requests']:>9}{row['errors']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
        )
    total_errors = sum(stats.errors.values())
    report.update(
        requests=stats.requests,
        requests_per_second=round(stats.requests / elapsed, 1),
        errors=total_errors,
        error_samples=stats.samples,
        visits_saved=len(stats.saved),
        visits_missing=len(missing),
        visits_doubled=len(doubled),
        visits_saved_despite_error=len(unreported),
        skipped_pages=[label for label, path in paths.items() if path is None],
    )
    print(
        f"\n{stats.requests} requests in {elapsed:.1f} s = {report['requests_per_second']} requests/s; errors: {total_errors}"
    )
    for page, sample in stats.samples.items():
        print(f"  first error on {page}: {sample}")
    if paths.get("record a visit"):
        print(
            f"visits: {len(stats.saved)} saved with a success response; in the database exactly once: "
            f"{len(stats.saved) - len(missing) - len([m for m in doubled if m in set(stats.saved)])}; "
            f"missing {len(missing)}, doubled {len(doubled)}, saved although the response failed {len(unreported)}"
        )
    shutil.rmtree(static_root, ignore_errors=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"{run}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if ratio is not None:
        report.update(
            login_rps=round(login_rps, 1), list_rps=round(list_rps, 1), list_vs_login=round(ratio, 3)
        )
        verdict = "PASS" if ratio >= 0.15 else "below the target 0.15"
        print(
            f"throughput, {clients} clients back to back: login page {login_rps:.1f} req/s, "
            f"visit list (20 rows, {leader}) {list_rps:.1f} req/s: {ratio:.2f}× ({verdict})"
        )
        (out / f"{run}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"(report: bench/out/{run}.json)")
    return 1 if total_errors or missing or doubled else 0


if __name__ == "__main__":
    sys.exit(main())
