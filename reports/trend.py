"""The monthly report's trend: twelve months of visits per kind and of the completion rate, on
the months' figures (outreach.VisitMonth, outreach.CadreMonth)."""

from __future__ import annotations

import datetime

from lib.months import add_months
from unions.models import DistrictUnion

from . import queries
from .rates import ratio

KINDS = queries.KINDS
TREND_MONTHS = 12


def build_trend(unit: DistrictUnion, month: datetime.date) -> dict:
    """The trend alone (the trend page): five queries."""
    scope = queries.Scope.of(queries.scope_units(unit))
    return trend_section(scope, month, queries.active_cadre_ids(scope))


def trend_section(scope: queries.Scope, month: datetime.date, active_ids: list[int]) -> dict:
    """Visits per kind and the completion rate (complete cadres over today's active cadres of
    the scope, `active_ids`: the directory keeps no history of who was active when) for twelve
    months."""
    cadres = len(active_ids)
    months = [add_months(month, i - TREND_MONTHS + 1) for i in range(TREND_MONTHS)]
    counts = {m: dict.fromkeys([k.value for k in KINDS], 0) for m in months}
    for row in queries.trend_visits(scope, month, TREND_MONTHS):
        counts[_first_day(row["m"])][row["kind"]] = row["n"]
    complete = {
        _first_day(row["m"]): row["n"] for row in queries.trend_completion(active_ids, month, TREND_MONTHS)
    }
    return {
        "cadres": cadres,
        "months": [
            {
                "month": m,
                **counts[m],
                "total": sum(counts[m].values()),
                "complete": complete.get(m, 0),
                "rate": ratio(complete.get(m, 0), cadres),
            }
            for m in months
        ],
    }


def _first_day(value) -> datetime.date:
    # TruncMonth gives a date on PostgreSQL and SQLite alike for a DateField, but be lenient.
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)
