from django import template
from django.utils.html import format_html

from reports.links import cadre_list_url, concern_list_url, enterprise_list_url, visit_list_url

register = template.Library()


def _linked(url: str, number) -> str:
    return format_html('<a href="{}">{}</a>', url, f"{number or 0:,}")


@register.simple_tag
def visits_link(number, base=None, **params):
    """The number, linked to the visit list filtered by base (month, town) and params."""
    return _linked(visit_list_url(**{**(base or {}), **params}), number)


@register.simple_tag
def concerns_link(number, base=None, **params):
    """The number, linked to the problem list filtered by base (month, town) and params."""
    return _linked(concern_list_url(**{**(base or {}), **params}), number)


@register.simple_tag
def enterprises_link(number, base=None, **params):
    """The number, linked to the report's enterprise list filtered by base (unit, month) and params."""
    return _linked(enterprise_list_url(**{**(base or {}), **params}), number)


@register.simple_tag
def cadres_link(number, base=None, **params):
    """The number, linked to the report's list of the cadres behind it (base: unit, month)."""
    return _linked(cadre_list_url(**{**(base or {}), **params}), number)


@register.simple_tag
def cadres_url(base=None, **params):
    return cadre_list_url(**{**(base or {}), **params})


@register.filter
def percent(value) -> str:
    """0.853 -> "85.3%"; None (nothing to divide by) -> "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("reports/includes/_problem_cells.html")
def problem_cells(row, base=None, **params):
    """The problem figures of one row, each linked to the problem list behind it. "Closed on
    time" opens the closed problems of the row (the list has no on-time filter)."""

    def url(**more):
        return concern_list_url(**{**(base or {}), **params, **more})

    return {
        "row": row,
        "cells": [
            (row["raised"], url()),
            (row["workers"], url()),  # the workers those problems concern
            (row["resolved"], url(status="resolved")),
            (row["closed"], url(status="closed")),
            (row["on_time"], url(status="closed")),
            (row["overdue"], url(overdue=1)),
        ],
    }
