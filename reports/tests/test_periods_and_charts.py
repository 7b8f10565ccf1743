import datetime

import pytest

from reports.charts import nice_ceiling, trend_chart
from reports.periods import add_months, local_bounds, month_end, parse_month, weeks_in_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11", datetime.date(2026, 11, 1)),
        ("2026-1", datetime.date(2026, 1, 1)),
        (" 2026-02 ", datetime.date(2026, 2, 1)),
    ],
)
def test_parse_month_reads_months(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text", ["", None, "2026-13", "2026-00", "1999-12", "2026/11", "11-2026", "2026-11-01", "abc"]
)
def test_parse_month_refuses_what_is_not_a_month(text):
    assert parse_month(text) is None


def test_month_arithmetic():
    assert add_months(datetime.date(2026, 11, 1), 2) == datetime.date(2027, 1, 1)
    assert add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert month_end(datetime.date(2028, 2, 1)) == datetime.date(2028, 2, 29)
    assert weeks_in_month(datetime.date(2026, 2, 1)) == 5  # 1 Feb 2026 is a Sunday
    assert weeks_in_month(datetime.date(2021, 2, 1)) == 4  # Monday 1 to Sunday 28
    start, end = local_bounds(datetime.date(2026, 11, 1))
    assert start.utcoffset() == datetime.timedelta(hours=8)
    assert (start.day, end.month) == (1, 12)


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
