"""Bench: the year report of the whole district against the monthly report (the issue's target:
the year within 3× the month's time at 1M visits on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach_bench make bench

Uses the database bench/monthly_report.py seeds (`seed_bench`, BENCH_VISITS visits, default
1,000,000); seeds it the same way when it is missing. For the district leader of the first
district, times GET reports:year for the current year and GET reports:monthly for the last
complete month through the Django test client, median of BENCH_RUNS runs, and checks that the
year's days add up to the sum of its months' done visits.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from lib.months import add_months, current_month  # noqa: E402
from outreach.models import Visit  # noqa: E402
from reports.management.commands.seed_bench import BENCH_LEADER  # noqa: E402
from reports.queries import Scope, scope_units  # noqa: E402
from reports.year import build_year_report  # noqa: E402
from unions.models import Cadre  # noqa: E402

TARGET = int(os.environ.get("BENCH_VISITS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def median_ms(client, url) -> tuple[float, int]:
    times, queries = [], []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    for _ in range(RUNS):
        queries.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            assert client.get(url).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def main() -> int:
    if connection.vendor != "postgresql":
        print("bench/year_report.py: set DATABASE_URL to a PostgreSQL database (e.g. .../outreach_bench).")
        return 2
    call_command("migrate", verbosity=0)
    have = Visit.objects.count()
    if have < TARGET * 0.99 or not Cadre.objects.filter(user__username=BENCH_LEADER).exists():
        print(f"Seeding {TARGET:,} visits (the database has {have:,})...")
        call_command("seed_bench", visits=TARGET, reset=True, force=True)
    leader = Cadre.objects.select_related("unit", "user").get(user__username=BENCH_LEADER)
    year = timezone.localdate().year
    month = add_months(current_month(), -1)
    client = Client()
    client.force_login(leader.user)
    year_url = f"{reverse('reports:year')}?year={year}"
    month_url = f"{reverse('reports:monthly')}?month={month:%Y-%m}"
    for url in (year_url, month_url):  # warm up: connection, templates, caches
        assert client.get(url).status_code == 200
    year_ms, year_queries = median_ms(client, year_url)
    month_ms, month_queries = median_ms(client, month_url)

    report = build_year_report(leader.unit, year, timezone.localdate())
    scope = Scope.of(scope_units(leader.unit))
    done = Visit.objects.alive().done().filter(cadre_id__in=scope.cadre_ids, date__year=year).count()
    ratio = year_ms / month_ms
    print(f"\nYear report, {leader.unit.name} ({year}), {Visit.objects.count():,} visits in the database")
    print(f"  {len(report.cadres)} cadres, {report.total['days']:,} days done this year")
    print(
        f"  {'ok ' if report.total['days'] == done else 'DIFF'} days: page {report.total['days']} · count {done}"
    )
    print(f"  year: {year_ms:.0f} ms ({year_queries} queries) · month: {month_ms:.0f} ms ({month_queries} queries)"
          f" · ratio {ratio:.2f}× (target ≤ 3×)")  # fmt: skip
    ok = ratio <= 3 and report.total["days"] == done
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
