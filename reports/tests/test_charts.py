import datetime

import pytest

from reports.charts import axis_ticks, trend_chart


@pytest.mark.parametrize(
    ("value", "ticks"),
    [
        (0, [0, 1, 2, 3, 4]),
        (3, [0, 1, 2, 3, 4]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (12, [0, 5, 10, 15]),
        (23, [0, 5, 10, 15, 20, 25]),
        (180, [0, 50, 100, 150, 200]),
        (201, [0, 50, 100, 150, 200, 250]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_the_left_axis_counts_in_round_steps(value, ticks):
    assert axis_ticks(value) == ticks


def test_every_axis_step_is_one_two_or_five_times_a_power_of_ten():
    for value in range(0, 5000, 7):
        ticks = axis_ticks(value)
        step = ticks[1]
        assert str(step).rstrip("0") in {"1", "2", "5"}, value
        assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False)), value
        assert ticks[-1] >= value and ticks[-2] < max(value, 4) and len(ticks) <= 6, value


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


def test_the_chart_labels_its_left_axis_with_round_numbers():
    months = [
        {"month": datetime.date(2026, m, 1), "chairman": 10, "office": 3, "worker": 1, "rate": 0.5}
        for m in (1, 2)
    ]
    chart = trend_chart(months)
    assert [g["label"] for g in chart["grid"]] == [0, 2, 4, 6, 8, 10]
    assert [r["label"] for r in chart["rate_ticks"]] == ["0%", "25%", "50%", "75%", "100%"]
