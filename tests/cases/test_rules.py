"""The earliest exit date (DOMAIN.md §5.6) and ages, as scenario tables."""

import datetime as dt

import pytest

from cases.rules import age_on, earliest_exit_on

D = dt.date


@pytest.mark.parametrize(
    ("last_offence_on", "started_on", "months", "expected"),
    [
        (D(2026, 3, 10), D(2025, 1, 1), 12, D(2027, 3, 10)),  # offence after opening counts
        (None, D(2026, 5, 1), 12, D(2027, 5, 1)),  # no offence: from the opening
        (D(2024, 6, 1), D(2026, 2, 1), 12, D(2027, 2, 1)),  # offence before (re)opening: from the (re)opening
        (D(2024, 2, 29), D(2023, 1, 1), 12, D(2025, 2, 28)),  # 29 February + 1 year = 28 February
        (D(2026, 1, 31), D(2025, 1, 1), 1, D(2026, 2, 28)),  # month end clamps
        (D(2026, 1, 31), D(2025, 1, 1), 0, D(2026, 1, 31)),
        (D(2026, 1, 15), D(2025, 1, 1), 18, D(2027, 7, 15)),
    ],
)
def test_earliest_exit_on(last_offence_on, started_on, months, expected):
    assert earliest_exit_on(last_offence_on=last_offence_on, started_on=started_on, exit_period_months=months) == expected


def test_earliest_exit_on_rejects_negative_period():
    with pytest.raises(ValueError, match="exit_period_months"):
        earliest_exit_on(last_offence_on=None, started_on=D(2026, 1, 1), exit_period_months=-1)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (D(2004, 11, 30), D(2026, 11, 30), 22),
        (D(2004, 12, 1), D(2026, 11, 30), 21),
        (D(2008, 2, 29), D(2026, 2, 28), 17),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
    ],
)
def test_age_on(born, day, age):
    assert age_on(date_of_birth=born, day=day) == age
