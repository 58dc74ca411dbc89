"""Date rules every feature shares. Pure functions: no database, no clock unless passed in.

The earliest exit date (DOMAIN.md §5.6): a person stays in the approach at least the exit period
(default 12 calendar months) after their last counting offence — or after the (re)opening of the
case when there has been no counting offence since. Calendar months clamp to the month's end:
29 February + 12 months = 28 February.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta


def earliest_exit_on(*, last_offence_on: dt.date | None, started_on: dt.date, exit_period_months: int) -> dt.date:
    """The first day the case may be reviewed for exit.

    ``last_offence_on``: date of the last counting offence (not ``sepot``/``vrijspraak``), or None.
    ``started_on``: the case's reopening date, else its opening date. ``exit_period_months`` ≥ 0.
    Returns ``max(last_offence_on, started_on) + exit_period_months`` calendar months.
    Raises ``ValueError`` for a negative period.
    """
    if exit_period_months < 0:
        raise ValueError("exit_period_months must be ≥ 0")
    base = max(last_offence_on, started_on) if last_offence_on else started_on
    return base + relativedelta(months=exit_period_months)


def age_on(*, date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``; a birthday on 29 February counts from 1 March in common years."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
