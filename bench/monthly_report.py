"""Bench: the monthly report page against the same figures in hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach_bench make bench

Seeds the database with `seed_bench` first when it does not hold BENCH_VISITS visits yet
(default 1,000,000; a few minutes on PostgreSQL). Then, for the district leader of the
first district (a district with its towns, about 1/100 of the province), times:

- the page: GET reports:monthly for the last complete month through the Django test
  client (queries, Python and template rendering included), median of BENCH_RUNS runs;
- the raw SQL: the same figures as hand-written PostgreSQL, run one after the other on the
  same connection, median of BENCH_RUNS runs.

Targets: page ≤ 2 × raw SQL and page < 1 s.
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
from reports.report import build_monthly_report  # noqa: E402
from unions.models import Cadre  # noqa: E402

TARGET = int(os.environ.get("BENCH_VISITS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))

# The scope as literal id arrays (fetched first, and timed): the fastest form we found by hand.
SCOPE_SQL = {
    "scope units": "SELECT id, name FROM unions_districtunion WHERE id = %(unit)s OR parent_id = %(unit)s "
    "ORDER BY parent_id NULLS FIRST, code, name",
    "scope cadres": "SELECT id FROM unions_cadre WHERE unit_id = ANY(%(unit_ids)s)",
}
DONE = "NOT v.is_deleted AND v.status IN ('submitted', 'reviewed')"
IN_SCOPE = "(v.town_id = ANY(%(unit_ids)s) OR v.cadre_id = ANY(%(cadre_ids)s))"
IN_MONTH = "v.date >= %(start)s AND v.date < %(end)s"
CONCERNS = """
  count(*) AS raised,
  count(*) FILTER (WHERE status = 'resolved') AS resolved,
  count(*) FILTER (WHERE status = 'closed') AS closed,
  count(*) FILTER (WHERE status = 'closed' AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date <= due_date) AS on_time,
  count(*) FILTER (WHERE status IN ('open', 'in_progress') AND due_date < %(today)s) AS overdue,
  count(*) FILTER (WHERE status = 'closed' AND satisfaction IN ('satisfied', 'basically')) AS content,
  count(*) FILTER (WHERE status = 'closed' AND satisfaction <> '') AS rated"""

SQL = {
    "evaluation rule": "SELECT * FROM outreach_evaluationrule WHERE id = 1",
    "completion matrix": f"""
        SELECT c.id, c.name, c.unit_id, u.name,
          count(v.id) FILTER (WHERE v.kind = 'chairman'), count(v.id) FILTER (WHERE v.kind = 'office'),
          count(v.id) FILTER (WHERE v.kind = 'worker'), count(DISTINCT extract(week FROM v.date))
        FROM unions_cadre c JOIN unions_districtunion u ON u.id = c.unit_id
        LEFT JOIN outreach_visit v ON v.cadre_id = c.id AND {IN_MONTH} AND {DONE}
        WHERE c.is_active AND c.unit_id = ANY(%(unit_ids)s)
        GROUP BY c.id, u.id ORDER BY u.parent_id NULLS FIRST, u.code, u.name, c.name, c.id""",
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


def main() -> int:
    if connection.vendor != "postgresql":
        print("bench/monthly_report.py: set DATABASE_URL to a PostgreSQL database (e.g. .../outreach_bench).")
        return 2
    call_command("migrate", verbosity=0)
    have = Visit.objects.count()
    if have < TARGET * 0.99 or not Cadre.objects.filter(user__username=BENCH_LEADER).exists():
        print(f"Seeding {TARGET:,} visits (the database has {have:,})...")
        started = time.monotonic()
        call_command("seed_bench", visits=TARGET, reset=True, force=True)
        print(f"seed_bench --visits {TARGET}: {time.monotonic() - started:.0f} s")
    leader = Cadre.objects.select_related("unit", "user").get(user__username=BENCH_LEADER)
    month = add_months(current_month(), -1)
    params = {
        "unit": leader.unit_id,
        "start": month,
        "end": add_months(month, 1),
        "jan1": month.replace(month=1),
        "gap_start": add_months(month, -2),
        "trend_start": add_months(month, -11),
        "today": timezone.localdate(),
    }

    client = Client()
    client.force_login(leader.user)
    url = f"{reverse('reports:monthly')}?month={month:%Y-%m}"
    for _ in range(2):  # warm up: connection, templates, caches
        assert client.get(url).status_code == 200
    queries = []

    def timed(execute, sql, *args):
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            queries.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        response = client.get(url)
    assert response.status_code == 200
    report = build_monthly_report(leader.unit, month, timezone.localdate())
    page_ms = median_ms(lambda: client.get(url))

    def raw():
        results = {}
        with connection.cursor() as cursor:
            cursor.execute(SCOPE_SQL["scope units"], params)
            results["scope units"] = cursor.fetchall()
            params["unit_ids"] = [row[0] for row in results["scope units"]]
            cursor.execute(SCOPE_SQL["scope cadres"], params)
            params["cadre_ids"] = [row[0] for row in cursor.fetchall()]
            for name, sql in SQL.items():
                cursor.execute(sql, params)
                results[name] = cursor.fetchall()
        return results

    results = raw()
    sql_ms = median_ms(raw)
    per_query = {}
    with connection.cursor() as cursor:
        for name, sql in SQL.items():
            per_query[name] = median_ms(lambda sql=sql: (cursor.execute(sql, params), cursor.fetchall()))

    # The same numbers: a few totals checked against the page's.
    checks = {
        "visits": (report.visits["total"], results["visit totals"][0][0]),
        "enterprises visited": (report.visits["enterprises"], results["visit totals"][0][1]),
        "cadres": (report.completion["total"]["cadres"], len(results["completion matrix"])),
        "never visited": (report.coverage["total"]["never"], sum(r[4] for r in results["coverage"])),
        "problems raised": (
            report.problems["total"]["raised"],
            sum(r[3] for r in results["problems per town and category"]),
        ),
        "overdue now": (report.problems["overdue_now"], results["overdue now"][0][0]),
    }
    print(
        f"\nMonthly report, {leader.unit.name} ({month:%Y-%m}), {Visit.objects.count():,} visits in the database"
    )
    print(f"  scope: {len(report.units)} units, {report.completion['total']['cadres']} cadres, "
          f"{report.visits['total']} visits this month, {report.coverage['total']['total']} enterprises")  # fmt: skip
    for name, (page, sql) in checks.items():
        print(f"  {'ok ' if page == sql else 'DIFF'} {name}: page {page} · SQL {sql}")
    print("  hand-written SQL, per query (ms):")
    for name, ms in per_query.items():
        print(f"    {ms:8.1f}  {name}")
    ratio = page_ms / sql_ms
    print(
        f"  the page's own {len(queries)} queries took {sum(queries) * 1000:.0f} ms of one request; the rest is Python"
    )
    print(f"  page: {page_ms:.0f} ms ({len(queries)} queries) · raw SQL: {sql_ms:.0f} ms "
          f"· ratio {ratio:.2f}× (target ≤ 2×, page < 1000 ms)")  # fmt: skip
    ok = ratio <= 2 and page_ms < 1000 and all(page == sql for page, sql in checks.values())
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
