"""``pga.db.AddMonths`` on both databases: PostgreSQL (the suite's) and SQLite (the embedded demo's)."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import DateField, IntegerField, Value
from django.db.models.sql import Query

from pga.db import AddMonths

CASES = [
    (dt.date(2024, 2, 29), 12),
    (dt.date(2024, 2, 29), 48),
    (dt.date(2023, 1, 31), 1),
    (dt.date(2024, 1, 31), 1),
    (dt.date(2024, 8, 31), 6),
    (dt.date(2025, 3, 31), -1),
    (dt.date(2024, 12, 31), 2),
    (dt.date(2026, 11, 30), 0),
    (dt.date(2026, 5, 15), 120),
]


def _evaluate(wrapper, day: dt.date, months: int) -> dt.date:
    query = Query(None)
    query.add_annotation(AddMonths(Value(day, output_field=DateField()), Value(months, output_field=IntegerField())), "shifted")
    sql, params = query.get_compiler(connection=wrapper).as_sql()
    with wrapper.cursor() as cursor:
        cursor.execute(sql, params)
        value = cursor.fetchone()[0]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@pytest.mark.parametrize(("day", "months"), CASES)
def test_add_months_clamps_to_the_month_end_on_postgresql(db, day, months):
    assert _evaluate(connection, day, months) == day + relativedelta(months=months)


@pytest.mark.parametrize(("day", "months"), CASES)
def test_add_months_clamps_to_the_month_end_on_sqlite(django_db_blocker, day, months):
    sqlite = SQLiteWrapper(
        {
            "NAME": ":memory:",
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        },
        alias="sqlite-demo",
    )
    try:
        with django_db_blocker.unblock():  # an in-memory SQLite database of its own, not the suite's
            assert _evaluate(sqlite, day, months) == day + relativedelta(months=months)
    finally:
        sqlite.close()
