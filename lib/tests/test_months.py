import datetime

import pytest

from lib.months import add_months, local_bounds, month_end, parse_month, weeks_in_month


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
