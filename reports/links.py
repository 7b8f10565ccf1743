"""Drill-down links: every number of the report opens the list behind it."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from outreach.models import Visit


@lru_cache(maxsize=64)
def _base(name: str, urlconf, prefix: str) -> str:
    # A report page links a thousand numbers: reverse each list once.
    return reverse(name, urlconf=urlconf)


def list_url(name: str, **params) -> str:
    """The URL of a list view with its GET filters, empty values left out."""
    base = _base(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{base}?{query}" if query else base


def visit_list_url(**params) -> str:
    """outreach:visit_list: month, kind, town, cadre, enterprise, status, q. The report counts
    done visits, so its links ask for status=done unless told otherwise."""
    params.setdefault("status", "done")
    return list_url("outreach:visit_list", **params)


def concern_list_url(**params) -> str:
    """outreach:concern_list: month (received), category, town, owner, status, overdue=1, due_week=1, q."""
    return list_url("outreach:concern_list", **params)


def cadre_list_url(**params) -> str:
    """reports:cadres: unit, month, members (the unit whose own cadres), which."""
    return list_url("reports:cadres", **params)


def enterprise_list_url(**params) -> str:
    """reports:enterprises: the enterprises behind a coverage or establishment figure."""
    return list_url("reports:enterprises", **params)


def link_completion_rows(rows: list[dict], visit_base: dict) -> None:
    """Each cadre's days per kind, linked to his or her visits of that kind."""
    kinds = [kind.value for kind in Visit.Kind]
    for row in rows:
        row["cells"] = [
            {
                "kind": k,
                "n": row[k],
                "url": visit_list_url(**{**visit_base, "town": None, "cadre": row["id"], "kind": k}),
            }
            for k in kinds
        ]


def link_cadre_rows(report, visit_base: dict) -> None:
    """Give the per-cadre rows the page shows (report.each_cadre) their cells and links in one
    pass: much cheaper than a template tag per number."""
    kinds = [kind.value for kind in report.KINDS]
    plan_kinds = ["planned", "kept", "unplanned", "missed"]
    each_cadre = report.each_cadre  # the rows the page does not show get no links
    if each_cadre:
        link_completion_rows(report.completion["rows"], visit_base)
        for row in report.plans["rows"]:
            # A plan is not a done day: the plan lists ask for no status.
            base = {**visit_base, "town": None, "cadre": row["id"], "status": ""}
            row["cells"] = [
                {"plan": p, "n": row[p], "url": visit_list_url(**base, plan=p)} for p in plan_kinds
            ]
    # The total: the plans of the town's cadres (of everyone visible, for a district).
    base = {"month": visit_base.get("month"), "cadre_unit": visit_base.get("town"), "status": ""}
    total = report.plans["total"]
    total["cells"] = [{"plan": p, "n": total[p], "url": visit_list_url(**base, plan=p)} for p in plan_kinds]
    for row in report.visits["by_cadre"] if each_cadre else []:
        base = {**visit_base, "town": None, "cadre": row["cadre_id"]}
        row["cells"] = [{"kind": k, "n": row[k], "url": visit_list_url(**base, kind=k)} for k in kinds]
        row["url"] = visit_list_url(**base)
