import datetime

import pytest

from lib.workdays import add_working_days, is_known_year, is_working_day, working_days_in

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 16), 0, D(2026, 11, 16)),  # Monday, same day
        (D(2026, 11, 16), 4, D(2026, 11, 20)),  # Monday + 4 = Friday
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 = Monday
        (D(2026, 11, 21), 0, D(2026, 11, 23)),  # Saturday, 0 days: Monday
        (D(2026, 11, 21), 1, D(2026, 11, 24)),  # Saturday + 1 = Tuesday
        (D(2026, 11, 27), 5, D(2026, 12, 4)),  # across a month end
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


# 2025 国庆 and 中秋: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
# 2026 春节: 15–23 February off, Saturdays 14 and 28 February worked.
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # the day before 国庆: due after the whole week off
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Friday + 1 = the make-up Sunday
        (D(2025, 10, 3), 0, D(2025, 10, 9)),  # received during the holiday: the first day back
        (D(2025, 10, 9), 2, D(2025, 10, 11)),  # Thursday + 2 = the make-up Saturday
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday + 1 = the make-up Saturday before 春节
        (D(2026, 2, 13), 2, D(2026, 2, 24)),  # over the nine days of 春节
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Friday + 1 = the make-up Saturday after 春节
        (D(2026, 9, 30), 5, D(2026, 10, 13)),  # 2026 国庆: 1–7 October off, Saturday 10 worked
    ],
)
def test_working_days_follow_chinas_holidays_and_make_up_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_a_week_with_a_make_up_saturday_has_six_working_days():
    # 23 February 2026 (the last day of 春节) to Sunday 1 March: Tuesday–Saturday worked.
    week = [D(2026, 2, 23) + datetime.timedelta(days=i) for i in range(7)]
    assert [is_working_day(d) for d in week] == [False, True, True, True, True, True, False]
    assert working_days_in(D(2026, 2, 24), D(2026, 3, 1)) == 5
    assert working_days_in(D(2026, 2, 9), D(2026, 2, 15)) == 6  # Monday 9 to Sunday 15: the make-up Saturday


def test_overrides_win_over_the_calendar():
    overrides = {D(2026, 11, 20): False, D(2026, 11, 21): True}  # a local day off, a Saturday worked
    assert add_working_days(D(2026, 11, 19), 1, overrides) == D(2026, 11, 21)
    assert add_working_days(D(2026, 11, 19), 1) == D(2026, 11, 20)


def test_a_year_the_package_does_not_know_falls_back_to_weekends_plus_overrides():
    assert not is_known_year(2099) and is_known_year(2026)
    assert add_working_days(D(2099, 9, 30), 1) == D(2099, 10, 1)
    national_day = {D(2099, 10, 1) + datetime.timedelta(days=i): False for i in range(7)}
    national_day[D(2099, 10, 10)] = True  # a Saturday worked
    assert add_working_days(D(2099, 9, 30), 1, national_day) == D(2099, 10, 8)
    assert add_working_days(D(2099, 10, 9), 1, national_day) == D(2099, 10, 10)
