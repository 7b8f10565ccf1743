from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from reports.links import concern_list_url, enterprise_list_url, visit_list_url

register = template.Library()


def _linked(url: str, number) -> str:
    shown = f"{number or 0:,}"
    return format_html('<a href="{}">{}</a>', url, shown) if url else shown


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
            (row["resolved"], url(status="resolved")),
            (row["closed"], url(status="closed")),
            (row["on_time"], url(status="closed")),
            (row["overdue"], url(overdue=1)),
        ],
    }


# The per-cadre tables have a row per cadre (two hundred in a district): built here with
# format_html, several times faster than template loops, and escaped all the same.


def _number(n, url: str) -> str:
    return format_html('<a href="{}">{}</a>', url, n) if url and n else str(n)


@register.simple_tag
def matrix_rows(rows, done_label, not_done_label, complete_label):
    """The completion matrix's body: a header row per unit, then a row per cadre."""
    out, unit = [], None
    for row in rows:
        if row["unit_id"] != unit:
            unit = row["unit_id"]
            out.append(
                format_html(
                    '<tr class="table-light" id="unit-{}"><th colspan="6" scope="rowgroup">{}</th></tr>',
                    unit,
                    row["unit__name"],
                )
            )
        cells = format_html_join(
            "",
            "{}",
            (
                (
                    format_html(
                        '<td class="text-center"><span class="text-success" aria-label="{}">✓</span> {}</td>',
                        done_label,
                        _number(cell["n"], cell["url"]),
                    )
                    if cell["n"]
                    else format_html(
                        '<td class="text-center"><span class="text-danger fw-bold" data-missing="{}">✗ '
                        '<span class="visually-hidden">{}</span></span></td>',
                        cell["kind"],
                        not_done_label,
                    ),
                )
                for cell in row["cells"]
            ),
        )
        badge = (
            format_html('<span class="badge text-bg-success">{}</span>', complete_label)
            if row["complete"]
            else format_html('<span class="badge text-bg-warning">{}/3</span>', row["kinds_done"])
        )
        out.append(
            format_html(
                '<tr data-cadre="{}"><th scope="row" class="fw-normal">{}</th>{}'
                '<td class="text-center">{}/{}</td><td class="text-center">{}</td></tr>',
                row["id"],
                row["name"],
                cells,
                row["weeks"],
                row["weeks_total"],
                badge,
            )
        )
    # Every piece above went through format_html, which escapes.
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def gap_rows(gaps, never_label):
    return format_html_join(
        "",
        '<tr data-gap="{}-{}"><td>{} <span class="small text-muted">{}</span></td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                g["cadre_id"],
                g["enterpriseunion_id"],
                g["cadre__name"],
                g["cadre__unit__name"],
                g["enterpriseunion__name"],
                g["enterpriseunion__district_union__name"],
                f"{g['last']:%Y-%m-%d}"
                if g["last"]
                else format_html('<span class="text-danger">{}</span>', never_label),
            )
            for g in gaps
        ),
    )


@register.simple_tag
def evaluation_rows(cadres):
    return format_html_join(
        "",
        '<tr data-eval-cadre="{}"><th scope="row" class="fw-normal">{}</th><td>{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end fw-semibold">{}</td></tr>',
        (
            (
                c["id"],
                c["name"],
                c["unit_name"],
                percent(c["parts"]["completion"]),
                percent(c["parts"]["on_time"]),
                percent(c["parts"]["satisfaction"]),
                score(c["score"]),
            )
            for c in cadres
        ),
    )


@register.simple_tag
def cadre_visit_rows(rows):
    return format_html_join(
        "",
        '<tr data-by-cadre="{}"><th scope="row" class="fw-normal">{}</th><td>{}</td>{}'
        '<td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            (
                r["cadre_id"],
                r["cadre__name"],
                r["cadre__unit__name"],
                format_html_join(
                    "", '<td class="text-end">{}</td>', ((_number(c["n"], c["url"]),) for c in r["cells"])
                ),
                _number(r["total"], r["url"]),
                r["enterprises"],
            )
            for r in rows
        ),
    )
