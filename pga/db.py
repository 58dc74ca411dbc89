"""Set-based SQL the domain's jobs share, for PostgreSQL and the SQLite demo alike (issue #5)."""

from typing import Any

from django.db import connection
from django.db.models import DateField, Func, Model, QuerySet


class AddMonths(Func):
    """``date + months`` calendar months, clamped to the month's end (29 February + 12 = 28 February),
    like ``dateutil.relativedelta`` and ``cases.rules.earliest_exit_on``.

    ``AddMonths(date_expression, months_expression)``; both may be columns or values; result is a date.
    PostgreSQL clamps ``date + interval 'N months'`` itself. SQLite's ``date(d, '+N months')`` overflows
    into the next month instead, so the SQLite form takes the smaller of that and the target month's
    last day.
    """

    output_field = DateField()
    arity = 2

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return f"CAST(({date_sql}) + make_interval(0, ({months_sql})::int) AS date)", [*date_params, *months_params]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        shifted = f"date({date_sql}, printf('%+d months', {months_sql}))"
        month_end = f"date({date_sql}, 'start of month', printf('%+d months', ({months_sql}) + 1), '-1 day')"
        return f"min({shifted}, {month_end})", [*date_params, *months_params, *date_params, *months_params]


def insert_select(model: type[Model], columns: dict[str, str], rows: QuerySet[Any]) -> int:
    """``INSERT INTO model (fields) SELECT … ON CONFLICT DO NOTHING`` in one statement; returns the
    number of rows inserted.

    ``columns`` maps each field of ``model`` to the name of an annotation on ``rows`` giving its value;
    every value comes from the database (constants as ``Value``), so no row passes through Python. Rows
    that would break a unique constraint are skipped, which makes a job that inserts this way idempotent.
    """
    aliases = list(columns.values())
    query = rows.order_by().values(*aliases).query
    # values() keeps annotations in the order asked for (Django ≥ 4.2); checked, since the INSERT relies on it.
    selected = list(query.annotation_select)
    if selected != aliases:
        raise ValueError(f"insert_select: columns came out as {selected}, expected {aliases}")
    sql, params = query.sql_with_params()
    quote = connection.ops.quote_name
    fields = ", ".join(quote(model._meta.get_field(name).column) for name in columns)  # type: ignore[union-attr, arg-type]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({fields}) {sql} ON CONFLICT DO NOTHING", params)
        return max(cursor.rowcount, 0)
