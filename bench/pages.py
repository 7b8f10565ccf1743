"""Bench: the pages stay as fast when the visits table grows 100× (issue: lists at 10M visits).

    make bench        # or: .venv/bin/python bench/pages.py
    BENCH_PAGES_SMALL=postgres://postgres@127.0.0.1:5432/outreach_pages_100k   (default)
    BENCH_PAGES_LARGE=postgres://postgres@127.0.0.1:5432/outreach_bench_10m    (default)

Each database is filled by `seed_bench` (the same province, the same seed: the same users and
directory; 100,000 and 10,000,000 visits). The small one is seeded here when missing (a minute);
the large one takes about 35 minutes (2 cores), so it is seeded only with BENCH_PAGES_SEED_LARGE=1:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach_bench_10m \\
        .venv/bin/python manage.py migrate && ... manage.py seed_bench --visits 10000000

For a district leader, a town leader and a cadre, each page is requested through Django's test
client (queries, Python and templates included), BENCH_RUNS times after a warm-up; the table
gives the median per database and the ratio large / small (target ≤ 1.5), then the plan
(EXPLAIN) of each role's visit-list query on the large database.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess  # nosec B404 - runs this script in a child process per database
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from bench.support.server import ensure_database  # noqa: E402

SMALL = os.environ.get("BENCH_PAGES_SMALL", "postgres://postgres@127.0.0.1:5432/outreach_pages_100k")
LARGE = os.environ.get("BENCH_PAGES_LARGE", "postgres://postgres@127.0.0.1:5432/outreach_bench_10m")
LARGE_VISITS = int(os.environ.get("BENCH_PAGES_LARGE_VISITS", "10000000"))  # e.g. 1000000 for a first look
SIZES = {"small": (SMALL, 100_000), "large": (LARGE, LARGE_VISITS)}
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TARGET = 1.5


def child(size: str) -> int:
    """In a process of its own (DATABASE_URL set): time every page, print one JSON line."""
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lib.months import add_months, current_month
    from outreach.models import Concern, Visit
    from reports.management.commands.seed_bench import BENCH_LEADER
    from unions.models import Cadre, DistrictUnion

    visits = SIZES[size][1]
    call_command("migrate", verbosity=0)
    have = Visit.objects.count()
    if have < visits * 0.99:
        if size == "large" and os.environ.get("BENCH_PAGES_SEED_LARGE") != "1":
            print(json.dumps({"skipped": f"{have:,} visits; seed {visits:,} (see the docstring)"}))
            return 0
        call_command("seed_bench", visits=visits, reset=True, force=True)

    district_leader = Cadre.objects.get(user__username=BENCH_LEADER)
    district = district_leader.unit
    towns = DistrictUnion.objects.filter(parent=district)
    town_leader = Cadre.objects.filter(role=Cadre.Role.LEADER, unit__in=towns).order_by("pk").first()
    # The same cadre in both databases: the first town cadre with visits in the small one.
    cadres = Cadre.objects.filter(role=Cadre.Role.CADRE, unit__in=towns, is_active=True).order_by("pk")
    if os.environ.get("BENCH_PAGES_CADRE"):
        cadre = cadres.get(pk=os.environ["BENCH_PAGES_CADRE"])
    else:
        cadre = cadres.filter(pk__in=Visit.objects.alive().values("cadre_id")).first()
    last_month = f"{add_months(current_month(), -1):%Y-%m}"
    result = {"visits": Visit.objects.count(), "cadre": cadre.pk, "pages": {}, "sizes": {}, "plans": {}}
    for role, person in (
        ("district leader", district_leader),
        ("town leader", town_leader),
        ("cadre", cadre),
    ):
        client = Client()
        client.force_login(person.user)
        visit = Visit.objects.visible_to(person).order_by("-date", "-id").first()
        concern = Concern.objects.visible_to(person).order_by("due_date", "id").first()
        pages = {
            "home": reverse("home"),
            "visit list": reverse("outreach:visit_list"),
            "visit list p2": reverse("outreach:visit_list") + "?page=2",
            "my month": reverse("outreach:my_month") + f"?month={last_month}",
            "problem list": reverse("outreach:concern_list"),
            "my problems": reverse("outreach:concern_mine"),
            "visit form": reverse("outreach:visit_create"),
            "visit detail": reverse("outreach:visit_detail", args=[visit.pk]),
            "problem detail": reverse("outreach:concern_detail", args=[concern.pk]) if concern else None,
        }
        if person.is_leader:
            pages["monthly report"] = reverse("reports:monthly") + f"?month={last_month}"
        for page, url in pages.items():
            if url is None:
                continue
            for _ in range(2):
                status = client.get(url).status_code
                if status != 200:
                    raise SystemExit(f"{role} {page}: HTTP {status}")
            seconds = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
            result["pages"][f"{role}|{page}"] = statistics.median(seconds) * 1000
            result["sizes"][f"{role}|{page}"] = len(response.content) / 1024
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("outreach:visit_list"))
        listing = next(
            q["sql"]
            for q in captured
            if q["sql"].startswith('SELECT "outreach_visit"."id"') and "LIMIT" in q["sql"]
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + listing)
            result["plans"][role] = [row[0] for row in cursor.fetchall()]
    print(json.dumps(result, ensure_ascii=False))
    return 0


def main() -> int:
    figures = {}
    env = {**os.environ, "DEBUG": "1"}
    for size, (url, _visits) in SIZES.items():
        started = time.monotonic()
        ensure_database(url)
        env["DATABASE_URL"] = url
        done = subprocess.run(  # nosec B603 - this script, fixed arguments
            [sys.executable, __file__, "--child", size], env=env, capture_output=True, text=True, timeout=7200
        )
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-4000:])
            print(f"FAIL: the {size} database could not be measured")
            return 1
        figures[size] = json.loads(done.stdout.strip().splitlines()[-1])
        if "skipped" in figures[size]:
            print(f"SKIPPED: {size} database {url}: {figures[size]['skipped']}")
            return 0
        env["BENCH_PAGES_CADRE"] = str(figures[size]["cadre"])
        print(f"({size}: {figures[size]['visits']:,} visits, measured in {time.monotonic() - started:.0f} s)")
    small, large = figures["small"]["pages"], figures["large"]["pages"]
    large_label = f"{LARGE_VISITS / 1e6:g}M ms"
    sizes = figures["small"]["sizes"], figures["large"]["sizes"]
    # The HTML's size beside the time: a page that lists the user's own rows (my problems) is
    # nearly empty for most cadres at 100k visits and a full page at 10M (more rows, not a
    # slower query); its page size bounds it.
    print(f"\n{'role':<16}{'page':<16}{'100k ms':>9}{large_label:>9}{'ratio':>7}{'100k KB':>9}{'KB':>6}")
    worst = 0.0
    for key, small_ms in small.items():
        role, page = key.split("|")
        ratio = large[key] / small_ms
        worst = max(worst, ratio)
        flag = "" if ratio <= TARGET else "  > target"
        print(
            f"{role:<16}{page:<16}{small_ms:>9.1f}{large[key]:>9.1f}{ratio:>7.2f}"
            f"{sizes[0][key]:>9.0f}{sizes[1][key]:>6.0f}{flag}"
        )
    print("\nThe visit list's query on the large database (EXPLAIN):")
    for role, plan in figures["large"]["plans"].items():
        print(f"  {role}:")
        for line in plan:
            print(f"    {line}")
    ok = worst <= TARGET
    print(f"\nworst ratio {worst:.2f} (target ≤ {TARGET}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2]))
    sys.exit(main())
