"""Server-side SVG geometry for the trend chart (no script, no external request).

The template templates/reports/includes/_trend_chart.html draws what this computes.
"""

from __future__ import annotations

import math

from outreach.models import Visit

from .report import KINDS

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 48, 16, 40
COLOURS = {
    Visit.Kind.CHAIRMAN.value: "#b02a37",
    Visit.Kind.OFFICE.value: "#fd7e14",
    Visit.Kind.WORKER.value: "#0d6efd",
}
RATE_COLOUR = "#198754"


def nice_ceiling(value: int) -> int:
    """The next 1, 2 or 5 × 10^k at or above value (at least 4, so the grid has round steps)."""
    if value <= 4:
        return 4
    power = 10 ** int(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def trend_chart(months: list[dict]) -> dict:
    """Bars of visits per kind and a line of the completion rate for each month."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = nice_ceiling(max([row[k.value] for row in months for k in KINDS] or [0]))
    group_w = plot_w / max(len(months), 1)
    bar_w = group_w * 0.8 / len(KINDS)
    bars, dots, xlabels = [], [], []
    for i, row in enumerate(months):
        x0 = LEFT + i * group_w + group_w * 0.1
        for j, kind in enumerate(KINDS):
            h = plot_h * row[kind.value] / top_value
            bars.append(
                {
                    "x": round(x0 + j * bar_w, 1),
                    "y": round(TOP + plot_h - h, 1),
                    "w": round(bar_w - 1, 1),
                    "h": round(h, 1),
                    "fill": COLOURS[kind.value],
                    "title": f"{row['month']:%Y-%m} {kind.label}: {row[kind.value]}",
                }
            )
        centre = round(LEFT + (i + 0.5) * group_w, 1)
        if row["rate"] is not None:
            dots.append(
                {
                    "x": centre,
                    "y": round(TOP + plot_h * (1 - row["rate"]), 1),
                    "title": f"{row['month']:%Y-%m}: {row['rate'] * 100:.1f}%",
                }
            )
        label = f"{row['month']:%Y-%m}" if i == 0 or row["month"].month == 1 else f"{row['month']:%m}"
        xlabels.append({"x": centre, "label": label})
    grid = [
        {
            "y": round(TOP + plot_h * (1 - step / 4), 1),
            "left": top_value * step // 4,
            "right": f"{step * 25}%",
        }
        for step in range(5)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": TOP + plot_h,
        "label_y": TOP + plot_h + 18,
        "bars": bars,
        "dots": dots,
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "grid": grid,
        "xlabels": xlabels,
        "legend": [{"label": k.label, "fill": COLOURS[k.value]} for k in KINDS],
        "rate_colour": RATE_COLOUR,
    }
