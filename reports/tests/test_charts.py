import datetime

import pytest

from reports.charts import nice_ceiling, trend_chart


def test_nice_ceiling():
    assert [nice_ceiling(n) for n in (0, 3, 7, 12, 180, 201)] == [4, 4, 10, 20, 200, 500]


def test_trend_chart_draws_bars_and_the_rate_line():
    months = [
        {
            "month": datetime.date(2026, m, 1),
            "chairman": m,
            "office": 0,
            "worker": 2,
            "rate": None if m == 3 else m / 12,
        }
        for m in range(1, 13)
    ]
    chart = trend_chart(months)
    assert len(chart["bars"]) == 36 and len(chart["dots"]) == 11
    tallest = max(chart["bars"], key=lambda b: b["h"])
    assert tallest["y"] == pytest.approx(chart["bottom"] - tallest["h"])
    assert all(0 <= b["h"] <= chart["bottom"] for b in chart["bars"])
