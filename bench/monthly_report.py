"""Bench: the monthly report, read from the monthly figures, against the same figures counted
by hand-written SQL over the raw tables — for a province, a city, a district and a town
leader, at 1M and at 10M visits.

    make bench        # or: .venv/bin/python bench/monthly_report.py
    BENCH_MONTHLY_1M=postgres://postgres@127.0.0.1:5432/outreach_monthly_1m     (default)
    BENCH_MONTHLY_10M=postgres://postgres@127.0.0.1:5432/outreach_bench_10m   (default)

Each database holds seed_bench's province (1 province, 13 cities, 100 districts, 1,300
towns, 200,000 enterprises, 30,000 cadres; the same seed, so the same users and directory)
with 1M and 10M visits over three years, and its monthly figures. The 1M one is seeded here
when missing (two minutes on an idle machine); the 10M one takes about 35 minutes, so it
is seeded only with BENCH_MONTHLY_SEED_LARGE=1 (or by hand:
`DATABASE_URL=… manage.py migrate && DATABASE_URL=… manage.py seed_bench --visits 10000000 --force`).

For each leader, in a process per database:
- the page: GET reports:monthly for the last complete month through Django's test client
  (queries, Python and template included), median of BENCH_RUNS runs, and its query count;
  each run built afresh (the rendered-report cache emptied before it: what a leader gets after
  any write), and, beside it, the same page from that cache;
- the ad-hoc SQL: the same figures as hand-written PostgreSQL over the raw tables (visits,
  problems, enterprises, cadres), one statement after the other on the same connection,
  median of BENCH_RUNS runs.
Targets: the page at most 0.5× the ad-hoc SQL, at most 1.2× from 1M to 10M, under 150 ms
for the district leader at 10M, and the same number of queries everywhere.
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

SIZES = {
    "1M": (
        os.environ.get("BENCH_MONTHLY_1M", "postgres://postgres@127.0.0.1:5432/outreach_monthly_1m"),
        1_000_000,
    ),
    "10M": (
        os.environ.get("BENCH_MONTHLY_10M", "postgres://postgres@127.0.0.1:5432/outreach_bench_10m"),
        10_000_000,
    ),
}
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
ROLES = ("town", "district", "city", "province")  # the smallest first
PAGE_OVER_SQL, LARGE_OVER_SMALL, DISTRICT_MS = 0.5, 1.2, 150

SCOPE_SQL = {
    "scope units": "SELECT id FROM unions_districtunion WHERE path LIKE %(path)s ORDER BY path",
    "scope cadres": "SELECT id FROM unions_cadre WHERE unit_id = ANY(%(unit_ids)s)",
}
DONE = "NOT v.is_deleted AND v.status IN ('submitted', 'reviewed')"
IN_SCOPE = "(v.town_id = ANY(%(unit_ids)s) OR v.cadre_id = ANY(%(cadre_ids)s))"
IN_MONTH = "v.date >= %(start)s AND v.date < %(end)s"
CONCERNS = """
  count(*) AS raised, sum(workers_affected) AS workers,
  count(*) FILTER (WHERE status = 'resolved') AS resolved,
  count(*) FILTER (WHERE status = 'closed') AS closed,
  count(*) FILTER (WHERE status = 'closed' AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date <= due_date) AS on_time,
  count(*) FILTER (WHERE status IN ('open', 'in_progress') AND due_date < %(today)s) AS overdue,
  count(*) FILTER (WHERE status = 'closed' AND satisfaction IN ('satisfied', 'basically')) AS content,
  count(*) FILTER (WHERE status = 'closed' AND satisfaction <> '') AS rated"""

SQL = {
    "completion matrix": f"""
        SELECT c.id, c.name, c.unit_id, u.name,
          count(v.id) FILTER (WHERE v.kind = 'chairman'), count(v.id) FILTER (WHERE v.kind = 'office'),
          count(v.id) FILTER (WHERE v.kind = 'worker'),
          (SELECT count(DISTINCT date_trunc('week', w.date)) FROM outreach_visit w
           WHERE w.cadre_id = c.id AND NOT w.is_deleted AND w.status IN ('submitted', 'reviewed')
             AND w.date >= %(weeks_start)s AND w.date <= %(weeks_end)s)
        FROM unions_cadre c JOIN unions_districtunion u ON u.id = c.unit_id
        LEFT JOIN outreach_visit v ON v.cadre_id = c.id AND {IN_MONTH} AND {DONE}
        WHERE c.is_active AND c.unit_id = ANY(%(unit_ids)s)
        GROUP BY c.id, u.id ORDER BY u.path, c.name, c.id""",
    "visits per town and kind": f"""
        SELECT v.town_id, t.name, v.kind, count(*) FROM outreach_visit v
        JOIN unions_districtunion t ON t.id = v.town_id
        WHERE {DONE} AND {IN_MONTH} AND {IN_SCOPE} GROUP BY 1, 2, 3 ORDER BY 1, 3""",
    "visits per cadre": f"""
        SELECT v.cadre_id, c.name, u.name,
          count(*) FILTER (WHERE v.kind = 'chairman'), count(*) FILTER (WHERE v.kind = 'office'),
          count(*) FILTER (WHERE v.kind = 'worker'), count(*), count(DISTINCT v.host_enterprise_id)
        FROM outreach_visit v JOIN unions_cadre c ON c.id = v.cadre_id JOIN unions_districtunion u ON u.id = c.unit_id
        WHERE {DONE} AND {IN_MONTH} AND {IN_SCOPE} GROUP BY 1, 2, 3 ORDER BY 7 DESC, 2, 1""",
    "visit totals": f"""
        SELECT count(*), count(DISTINCT v.host_enterprise_id) FROM outreach_visit v
        WHERE {DONE} AND {IN_MONTH} AND {IN_SCOPE}""",
    "coverage": f"""
        SELECT e.district_union_id, count(*),
          count(*) FILTER (WHERE x.last_month), count(*) FILTER (WHERE x.this_year), count(*) FILTER (WHERE x.any IS NULL)
        FROM unions_enterpriseunion e
        LEFT JOIN (
          SELECT v.host_enterprise_id, bool_or(v.date >= %(start)s) AS last_month,
                 bool_or(v.date >= %(jan1)s) AS this_year, true AS any
          FROM outreach_visit v JOIN unions_enterpriseunion ee ON ee.id = v.host_enterprise_id
          WHERE {DONE} AND v.date < %(end)s AND ee.district_union_id = ANY(%(unit_ids)s)
          GROUP BY v.host_enterprise_id
        ) x ON x.host_enterprise_id = e.id
        WHERE e.is_active AND e.district_union_id = ANY(%(unit_ids)s) GROUP BY 1 ORDER BY 1""",
    "contact gaps": f"""
        SELECT c.id, c.name, u.name, e.id, e.name, t.name,
          (SELECT max(v.date) FROM outreach_visit v WHERE v.host_enterprise_id = e.id AND {DONE} AND v.date < %(end)s)
        FROM unions_cadre_contact_enterprises ce
        JOIN unions_cadre c ON c.id = ce.cadre_id JOIN unions_districtunion u ON u.id = c.unit_id
        JOIN unions_enterpriseunion e ON e.id = ce.enterpriseunion_id JOIN unions_districtunion t ON t.id = e.district_union_id
        WHERE c.is_active AND e.is_active AND c.unit_id = ANY(%(unit_ids)s)
          AND NOT EXISTS (SELECT 1 FROM outreach_visit v WHERE v.host_enterprise_id = e.id AND {DONE}
                          AND v.date >= %(gap_start)s AND v.date < %(end)s)
        ORDER BY u.name, c.name, c.id, e.name""",
    "establishment": """
        SELECT district_union_id, count(*), count(*) FILTER (WHERE has_union), count(*) FILTER (WHERE has_office),
          sum(members), sum(employees)
        FROM unions_enterpriseunion WHERE is_active AND district_union_id = ANY(%(unit_ids)s) GROUP BY 1 ORDER BY 1""",
    "problems per town and category": f"""
        SELECT town_id, t.name, category, {CONCERNS}
        FROM outreach_concern JOIN unions_districtunion t ON t.id = town_id
        WHERE NOT is_deleted AND received_on >= %(start)s AND received_on < %(end)s
          AND (town_id = ANY(%(unit_ids)s) OR owner_id = ANY(%(cadre_ids)s))
        GROUP BY 1, 2, 3 ORDER BY 1, 3""",
    "problems per owner": f"""
        SELECT owner_id, {CONCERNS} FROM outreach_concern
        WHERE NOT is_deleted AND received_on >= %(start)s AND received_on < %(end)s
          AND owner_id = ANY(%(cadre_ids)s)
        GROUP BY 1 ORDER BY 1""",
    "overdue now": """
        SELECT count(*) FROM outreach_concern WHERE NOT is_deleted AND status IN ('open', 'in_progress')
          AND due_date < %(today)s
          AND (town_id = ANY(%(unit_ids)s) OR owner_id = ANY(%(cadre_ids)s))""",
    "opinions": f"""
        SELECT v.*, c.*, hu.*, he.* FROM outreach_visit v JOIN unions_cadre c ON c.id = v.cadre_id
        LEFT JOIN unions_districtunion hu ON hu.id = v.host_union_id
        LEFT JOIN unions_enterpriseunion he ON he.id = v.host_enterprise_id
        WHERE {DONE} AND {IN_MONTH} AND {IN_SCOPE} AND (v.suggestions <> '' OR v.worker_opinions <> '')
        ORDER BY v.date, v.id LIMIT 201""",
    "trend visits": f"""
        SELECT date_trunc('month', v.date)::date, v.kind, count(*) FROM outreach_visit v
        WHERE {DONE} AND v.date >= %(trend_start)s AND v.date < %(end)s AND {IN_SCOPE}
        GROUP BY 1, 2 ORDER BY 1, 2""",
    "trend completion": f"""
        SELECT m, count(*) FROM (
          SELECT date_trunc('month', v.date) AS m, v.cadre_id FROM outreach_visit v
          JOIN unions_cadre c ON c.id = v.cadre_id
          WHERE {DONE} AND c.is_active AND v.cadre_id = ANY(%(cadre_ids)s)
            AND v.date >= %(trend_start)s AND v.date < %(end)s
          GROUP BY 1, 2 HAVING count(DISTINCT v.kind) = 3) done GROUP BY 1""",
}


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def child(size: str) -> int:
    """In a process of its own (DATABASE_URL set): time each leader's page and SQL, print JSON."""
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client keeps each response's context (the report)
    from django.urls import reverse
    from django.utils import timezone

    from lib.months import add_months, current_month, week_spans
    from outreach.models import Visit
    from reports import cache as report_cache
    from reports.management.commands import seed_bench
    from unions.models import Cadre

    visits = SIZES[size][1]
    call_command("migrate", verbosity=0)
    have = Visit.objects.count()
    if (
        have < visits * 0.99
        or not Cadre.objects.filter(user__username=seed_bench.BENCH_PROVINCE_LEADER).exists()
    ):
        if size == "10M" and os.environ.get("BENCH_MONTHLY_SEED_LARGE") != "1":
            print(json.dumps({"skipped": f"{have:,} visits; seed {visits:,} (see the docstring)"}))
            return 0
        started = time.monotonic()
        call_command("seed_bench", visits=visits, reset=True, force=True)
        print(f"seed_bench --visits {visits}: {time.monotonic() - started:.0f} s", file=sys.stderr)
    month = add_months(current_month(), -1)
    spans = week_spans(month)
    logins = {
        "province": seed_bench.BENCH_PROVINCE_LEADER,
        "city": seed_bench.BENCH_CITY_LEADER,
        "district": seed_bench.BENCH_LEADER,
        "town": seed_bench.BENCH_TOWN_LEADER,
    }
    result = {"visits": have, "month": f"{month:%Y-%m}", "roles": {}}
    url = f"{reverse('reports:monthly')}?month={month:%Y-%m}"
    for role in ROLES:
        leader = Cadre.objects.select_related("unit", "user").get(user__username=logins[role])
        client = Client()
        client.force_login(leader.user)
        for _ in range(1):  # warm up: connection, templates, caches
            assert client.get(url).status_code == 200  # nosec B101 - a bench's own check
        report_cache.invalidate()  # built afresh: its queries, and the report in the context
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = len(captured.captured_queries)  # now: the log keeps the last 9,000 queries only
        report = response.context["report"]
        cached_ms = median_ms(lambda client=client: client.get(url))

        def cold(client=client):
            report_cache.invalidate()  # a new data version: nothing cached matches it
            client.get(url)

        page_ms = median_ms(cold)
        params = {
            "path": leader.unit.path + "%",
            "start": month,
            "end": add_months(month, 1),
            "jan1": month.replace(month=1),
            "gap_start": add_months(month, -2),
            "trend_start": add_months(month, -11),
            "weeks_start": spans[0][0],
            "weeks_end": spans[-1][1],
            "today": timezone.localdate(),
        }

        def adhoc(params=params):
            results = {}
            with connection.cursor() as cursor:
                cursor.execute(SCOPE_SQL["scope units"], params)
                params["unit_ids"] = [row[0] for row in cursor.fetchall()]
                cursor.execute(SCOPE_SQL["scope cadres"], params)
                params["cadre_ids"] = [row[0] for row in cursor.fetchall()]
                for name, sql in SQL.items():
                    cursor.execute(sql, params)
                    results[name] = cursor.fetchall()
            return results

        results = adhoc()
        sql_ms = median_ms(adhoc)
        checks = {
            "visits": (report.visits["total"], results["visit totals"][0][0]),
            "enterprises visited": (report.visits["enterprises"], results["visit totals"][0][1]),
            "cadres": (report.completion["total"]["cadres"], len(results["completion matrix"])),
            "complete": (
                report.completion["total"]["complete"],
                sum(1 for r in results["completion matrix"] if r[4] and r[5] and r[6]),
            ),
            "visited this month": (report.coverage["total"]["month"], sum(r[2] for r in results["coverage"])),
            "never visited": (report.coverage["total"]["never"], sum(r[4] for r in results["coverage"])),
            "problems raised": (
                report.problems["total"]["raised"],
                sum(r[3] for r in results["problems per town and category"]),
            ),
            "overdue": (
                report.problems["total"]["overdue"],
                sum(r[8] for r in results["problems per town and category"]),
            ),
        }
        result["roles"][role] = {
            "unit": leader.unit.name,
            "cadres": report.completion["total"]["cadres"],
            "month_visits": report.visits["total"],
            "page_ms": page_ms,
            "cached_ms": cached_ms,
            "sql_ms": sql_ms,
            "queries": queries,
            "diffs": {name: pair for name, pair in checks.items() if pair[0] != pair[1]},
        }
        print(json.dumps({role: result["roles"][role]}, default=str), file=sys.stderr, flush=True)
    print(json.dumps(result, default=str))
    return 0


def main() -> int:
    found = {}
    for size, (url, _visits) in SIZES.items():
        ensure_database(url)
        env = os.environ | {"DATABASE_URL": url}
        out = subprocess.run(  # nosec B603 - this very script, with a fixed argument
            [sys.executable, __file__, "--child", size], env=env, capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            print(out.stdout, out.stderr)
            return 1
        found[size] = json.loads(out.stdout.strip().splitlines()[-1])
    print("\nMonthly report (figures from the summary tables) vs the same figures by ad-hoc SQL")
    ok = True
    for size, data in found.items():
        if "skipped" in data:
            print(f"  {size}: skipped ({data['skipped']})")
            ok = False
            continue
        print(f"  {size}: {data['visits']:,} visits, month {data['month']}")
        for role, r in data["roles"].items():
            ratio = r["page_ms"] / r["sql_ms"]
            ok &= ratio <= PAGE_OVER_SQL and not r["diffs"]
            print(
                f"    {role:<8} {r['unit']}: page {r['page_ms']:.0f} ms ({r['queries']} queries; "
                f"cached {r['cached_ms']:.0f} ms) · "
                f"ad-hoc SQL {r['sql_ms']:.0f} ms · ratio {ratio:.2f}× (target ≤ {PAGE_OVER_SQL}×) · "
                f"{r['cadres']:,} cadres, {r['month_visits']:,} visits this month"
                + (f" · DIFF {r['diffs']}" if r["diffs"] else "")
            )
    small, large = found.get("1M", {}), found.get("10M", {})
    if "roles" in small and "roles" in large:
        for role in ROLES:
            s, g = small["roles"][role], large["roles"][role]
            growth = g["page_ms"] / s["page_ms"]
            ok &= growth <= LARGE_OVER_SMALL and g["queries"] == s["queries"]
            print(
                f"  10M/1M {role:<8}: page {growth:.2f}× (target ≤ {LARGE_OVER_SMALL}×), "
                f"queries {s['queries']} → {g['queries']}"
            )
        district = large["roles"]["district"]["page_ms"]
        ok &= district < DISTRICT_MS
        print(f"  district leader at 10M: {district:.0f} ms (target < {DISTRICT_MS} ms)")
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2]))
    sys.exit(main())
