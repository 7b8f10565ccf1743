import datetime

import pytest

from lib.months import add_months, local_bounds, month_end, parse_month, week_spans, weeks_in_month


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
    start, end = local_bounds(datetime.date(2026, 11, 1))
    assert start.utcoffset() == datetime.timedelta(hours=8)
    assert (start.day, end.month) == (1, 12)


def test_a_week_belongs_to_the_month_holding_its_thursday():
    # November 2026 starts on a Sunday: that Sunday ends October's last week.
    assert week_spans(datetime.date(2026, 11, 1)) == [
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 8)),
        (datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)),
        (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22)),
        (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29)),
    ]
    assert week_spans(datetime.date(2026, 10, 1))[-1] == (
        datetime.date(2026, 10, 26),
        datetime.date(2026, 11, 1),
    )
    assert weeks_in_month(datetime.date(2026, 2, 1)) == 4  # 1 Feb 2026 is a Sunday
    assert weeks_in_month(datetime.date(2026, 10, 1)) == 5  # five Thursdays


def test_every_day_is_in_exactly_one_week_of_one_month():
    """Brute force over three years: a day's week is the month of that week's Thursday."""
    first = datetime.date(2025, 1, 1)
    months = [add_months(first, i) for i in range(36)]
    owner = {}
    for month in months:
        for monday, sunday in week_spans(month):
            assert monday.weekday() == 0 and (sunday - monday).days == 6
            for n in range(7):
                day = monday + datetime.timedelta(days=n)
                assert day not in owner
                owner[day] = month
    for n in range(7, 365 * 3 - 7):
        day = first + datetime.timedelta(days=n)
        thursday = day + datetime.timedelta(days=3 - day.weekday())
        assert owner[day] == thursday.replace(day=1)
        assert thursday.isocalendar()[:2] == day.isocalendar()[:2]  # the ISO week
