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


def axis_ticks(value: int, most: int = 5) -> list[int]:
    """The left axis: 0 to the first multiple of a round step (1, 2 or 5 × 10^k) at or above
    value, in at most `most` steps, so every label is a round number (0, 5, 10, 15 — never
    0, 2, 5, 7, 10). At least 0 to 4."""
    value = max(value, 4)
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if math.ceil(value / step) <= most:
                return [i * step for i in range(math.ceil(value / step) + 1)]
        power *= 10


def trend_chart(months: list[dict]) -> dict:
    """Bars of visits per kind and a line of the completion rate for each month."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    ticks = axis_ticks(max([row[k.value] for row in months for k in KINDS] or [0]))
    top_value = ticks[-1]
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
    grid = [{"y": round(TOP + plot_h * (1 - tick / top_value), 1), "label": tick} for tick in ticks]
    # The completion rate has its own axis on the right, in quarters.
    rate_ticks = [{"y": round(TOP + plot_h * (1 - q / 4), 1), "label": f"{q * 25}%"} for q in range(5)]
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
        "rate_ticks": rate_ticks,
        "xlabels": xlabels,
        "legend": [{"label": k.label, "fill": COLOURS[k.value]} for k in KINDS],
        "rate_colour": RATE_COLOUR,
    }
