"""Drill-down links: every number of the report opens the list behind it.

The visit and problem lists belong to the outreach app; until they exist (or if they are
renamed) the helpers return "" and the report shows plain numbers instead of a dead link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def list_url(name: str, **params) -> str:
    """The URL of a list view with its GET filters, empty values left out; "" if the view is missing."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        return ""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{base}?{query}" if query else base


def visit_list_url(**params) -> str:
    """outreach:visit_list: month, kind, town, cadre, enterprise, status, q."""
    return list_url("outreach:visit_list", **params)


def concern_list_url(**params) -> str:
    """outreach:concern_list: month (received), category, town, owner, status, overdue=1, due_week=1, q."""
    return list_url("outreach:concern_list", **params)


def enterprise_list_url(**params) -> str:
    """reports:enterprises: the enterprises behind a coverage or establishment figure."""
    return list_url("reports:enterprises", **params)
