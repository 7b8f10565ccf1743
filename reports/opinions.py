"""The monthly report's 民情民意 by theme: the month's items per theme for each unit right below
the report's unit (each summing its subtree), and the last twelve months per theme. Two grouped
queries; every number links to the items behind it (outreach:opinion_list).

An item counts once: the duplicates merged into it are left out (as on the items list)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count
from django.db.models.functions import TruncMonth

from lib.months import add_months, month_end, month_label
from outreach.models import Opinion

from .links import list_url

if TYPE_CHECKING:
    from .report import MonthlyReport

MONTHS = 12
# The themes' names come with the counts (a join, not one more query).
THEME = ("theme_id", "theme__name", "theme__position")


def _items(unit_ids, first: datetime.date, last: datetime.date):
    return Opinion.objects.alive().originals().filter(town_id__in=unit_ids, date__range=(first, last))


def theme_section(report: MonthlyReport, month: datetime.date) -> dict:
    """For the report being built (its unit and everything below it, and its rows:
    MonthlyReport.row_id). Two queries (the counts per unit and per month, each with its
    themes' names)."""
    ids = [u.pk for u in report.units]
    by_unit = list(
        _items(ids, month, month_end(month)).values("town_id", *THEME).annotate(n=Count("id")).order_by()
    )
    start = add_months(month, -(MONTHS - 1))
    by_month = list(
        _items(ids, start, month_end(month))
        .annotate(month=TruncMonth("date"))
        .values("month", *THEME)
        .annotate(n=Count("id"))
        .order_by()
    )
    used = {(row["theme__position"], row["theme_id"], row["theme__name"]) for row in [*by_unit, *by_month]}
    themes = [{"pk": pk, "name": name} for _position, pk, name in sorted(used)]
    return {
        "themes": themes,
        "units": _unit_rows(report, by_unit, themes, month),
        "months": _month_rows(by_month, themes, start),
    }


def _cells(counts: dict[int, int], themes, **link) -> list[dict]:
    return [
        {"n": counts.get(t["pk"], 0), "url": list_url("outreach:opinion_list", theme=t["pk"], **link)}
        for t in themes
    ]


def _unit_rows(report: MonthlyReport, by_unit, themes, month) -> list[dict]:
    """One row per unit right below the report's unit (its subtree summed), the unit's own items
    in a row of their own, last; a town's report has the one row."""
    unit = report.unit
    rows = {u.pk: {"unit": u, "counts": {}} for u in report.row_units}
    below = len(rows) > 1
    for row in by_unit:
        counts = rows[report.row_id(row["town_id"])]["counts"]
        counts[row["theme_id"]] = counts.get(row["theme_id"], 0) + row["n"]
    result = []
    for pk, row in sorted(rows.items(), key=lambda item: item[0] == unit.pk):  # the own row last
        if pk == unit.pk and below and not row["counts"]:
            continue  # nothing at the unit itself: no empty "own" row
        own = pk == unit.pk and below
        cells = _cells(row["counts"], themes, town=row["unit"].pk, month=month_label(month))
        if own:  # the list filters a unit with its subtree: the own row's numbers stay unlinked
            cells = [{"n": cell["n"], "url": None} for cell in cells]
        result.append({"unit": row["unit"], "own": own, "cells": cells, "total": sum(row["counts"].values())})
    return result


def _month_rows(by_month, themes, start) -> list[dict]:
    counts: dict[datetime.date, dict[int, int]] = {}
    for row in by_month:
        first = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        counts.setdefault(first, {})[row["theme_id"]] = row["n"]
    rows = []
    for i in range(MONTHS):
        first = add_months(start, i)
        month_counts = counts.get(first, {})
        rows.append(
            {
                "month": first,
                "cells": _cells(month_counts, themes, month=month_label(first)),
                "total": sum(month_counts.values()),
            }
        )
    return rows
