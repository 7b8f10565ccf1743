import datetime

import pytest

from lib.workdays import add_working_days

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
        (D(2026, 12, 31), 1, D(2027, 1, 1)),  # across a year end (holidays are not modelled)
        (D(2026, 2, 27), 1, D(2026, 3, 2)),  # end of February, over a weekend
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert add_working_days(start, days) == expected
