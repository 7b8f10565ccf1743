"""The monthly figures rebuilt in bulk on PostgreSQL: four INSERT … SELECT statements over the
raw tables, by the same rules as the counting functions of outreach.figures (the figures tests
compare the two)."""

from __future__ import annotations

from django.db import transaction


def rebuild_in_bulk(apps=None) -> None:
    """rebuild(), on PostgreSQL as four INSERT … SELECT statements over the raw tables (a
    province's ten million visits in minutes, for seed_bench and the data migrations); the
    same rules as the counting functions above (the figures tests compare the two)."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        from . import rebuild

        rebuild(apps)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("cadremonth", "visitmonth", "problemmonth", "coveragemonth"):
            cursor.execute(f"DELETE FROM outreach_{table}")  # nosec B608 - fixed names
        for sql in BULK_SQL:
            cursor.execute(sql, {"tz": settings.TIME_ZONE})


# A done visit, as Visit.objects.done() says: not deleted, submitted or reviewed (written out in
# each statement so that no SQL is built from strings).
BULK_SQL = [
    """
    WITH v AS (
      SELECT v.cadre_id, v.date, v.kind, v.planned_for, date_trunc('week', v.date)::date AS monday
      FROM outreach_visit v WHERE NOT v.is_deleted AND v.status IN ('submitted', 'reviewed')
    ), k AS (
      SELECT cadre_id, date_trunc('month', date)::date AS month,
        count(*) FILTER (WHERE kind = 'chairman') AS chairman,
        count(*) FILTER (WHERE kind = 'office') AS office,
        count(*) FILTER (WHERE kind = 'worker') AS worker
      FROM v GROUP BY 1, 2
    ), w AS (
      SELECT cadre_id, date_trunc('month', monday + 3)::date AS month, count(DISTINCT monday) AS n
      FROM v GROUP BY 1, 2
    ), y AS (
      SELECT cadre_id, date_trunc('month', greatest(monday, date_trunc('year', date)::date))::date AS month,
        count(DISTINCT monday) AS n
      FROM v GROUP BY 1, 2
    ), dw AS (
      SELECT DISTINCT cadre_id, kind, monday FROM v
    ), p AS (
      SELECT p.cadre_id, p.kind, p.planned_for, date_trunc('week', p.planned_for)::date AS monday,
        p.status IN ('submitted', 'reviewed') AS done
      FROM outreach_visit p WHERE NOT p.is_deleted AND p.planned_for IS NOT NULL
    ), pw AS (
      SELECT DISTINCT cadre_id, kind, monday FROM p
    ), pd AS (
      SELECT p.cadre_id, date_trunc('month', p.planned_for)::date AS month, p.planned_for, count(*) AS n,
        count(*) FILTER (WHERE p.done OR dw.cadre_id IS NOT NULL) AS kept
      FROM p LEFT JOIN dw USING (cadre_id, kind, monday) GROUP BY 1, 2, 3
    ), pl AS (
      SELECT cadre_id, month, sum(n) AS planned, sum(kept) AS kept,
        coalesce(jsonb_object_agg(planned_for::text, n - kept) FILTER (WHERE n > kept), '{}'::jsonb) AS unkept
      FROM pd GROUP BY 1, 2
    ), u AS (
      SELECT v.cadre_id, date_trunc('month', v.date)::date AS month, count(*) AS n
      FROM v LEFT JOIN pw USING (cadre_id, kind, monday)
      WHERE v.planned_for IS NULL AND pw.cadre_id IS NULL GROUP BY 1, 2
    )
    INSERT INTO outreach_cadremonth
      (cadre_id, month, chairman, office, worker, weeks, year_weeks, planned, kept, unplanned, unkept)
    SELECT cadre_id, month, coalesce(k.chairman, 0), coalesce(k.office, 0), coalesce(k.worker, 0),
      coalesce(w.n, 0), coalesce(y.n, 0), coalesce(pl.planned, 0), coalesce(pl.kept, 0), coalesce(u.n, 0),
      coalesce(pl.unkept, '{}'::jsonb)
    FROM k FULL JOIN w USING (cadre_id, month) FULL JOIN y USING (cadre_id, month)
      FULL JOIN pl USING (cadre_id, month) FULL JOIN u USING (cadre_id, month)
    """,
    """
    INSERT INTO outreach_visitmonth (month, town_id, cadre_id, chairman, office, worker)
    SELECT date_trunc('month', v.date)::date, v.town_id, v.cadre_id,
      count(*) FILTER (WHERE v.kind = 'chairman'), count(*) FILTER (WHERE v.kind = 'office'),
      count(*) FILTER (WHERE v.kind = 'worker')
    FROM outreach_visit v WHERE NOT v.is_deleted AND v.status IN ('submitted', 'reviewed') GROUP BY 1, 2, 3
    """,
    """
    WITH d AS (
      SELECT date_trunc('month', received_on)::date AS month, town_id, owner_id, category, due_date,
        count(*) AS raised, sum(workers_affected) AS workers,
        count(*) FILTER (WHERE status = 'resolved') AS resolved,
        count(*) FILTER (WHERE status = 'closed') AS closed,
        count(*) FILTER (WHERE status = 'closed' AND (closed_at AT TIME ZONE %(tz)s)::date <= due_date) AS on_time,
        count(*) FILTER (WHERE status = 'closed' AND satisfaction IN ('satisfied', 'basically')) AS content,
        count(*) FILTER (WHERE status = 'closed' AND satisfaction <> '') AS rated,
        count(*) FILTER (WHERE status IN ('open', 'in_progress')) AS pending
      FROM outreach_concern WHERE NOT is_deleted GROUP BY 1, 2, 3, 4, 5
    )
    INSERT INTO outreach_problemmonth
      (month, town_id, owner_id, category, raised, workers, resolved, closed, on_time, content, rated, pending_due)
    SELECT month, town_id, owner_id, category, sum(raised), sum(workers), sum(resolved), sum(closed),
      sum(on_time), sum(content), sum(rated),
      coalesce(jsonb_object_agg(due_date::text, pending) FILTER (WHERE pending > 0), '{}'::jsonb)
    FROM d GROUP BY 1, 2, 3, 4
    """,
    """
    WITH p AS (
      SELECT DISTINCT e.district_union_id AS town_id, v.host_enterprise_id AS enterprise,
        date_trunc('month', v.date)::date AS month
      FROM outreach_visit v JOIN unions_enterpriseunion e ON e.id = v.host_enterprise_id
      WHERE NOT v.is_deleted AND v.status IN ('submitted', 'reviewed') AND e.is_active
    ), f AS (
      SELECT town_id, month,
        month = min(month) OVER (PARTITION BY town_id, enterprise) AS first_ever,
        month = min(month) OVER (PARTITION BY town_id, enterprise, date_trunc('year', month)) AS first_in_year
      FROM p
    ), g AS (
      SELECT town_id, month, count(*) AS visited, count(*) FILTER (WHERE first_ever) AS firsts,
        count(*) FILTER (WHERE first_in_year) AS year_firsts
      FROM f GROUP BY 1, 2
    )
    INSERT INTO outreach_coveragemonth (town_id, month, visited, year, ever)
    SELECT town_id, month, visited,
      sum(year_firsts) OVER (PARTITION BY town_id, date_trunc('year', month) ORDER BY month),
      sum(firsts) OVER (PARTITION BY town_id ORDER BY month)
    FROM g
    """,
]
