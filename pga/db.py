"""Set-based SQL the domain's jobs share, for PostgreSQL and the SQLite demo alike (issue #5), and
``copy_rows``, the bulk loader of the benchmarks' generated data (PostgreSQL only, issue #6)."""

import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import DateField, Func, JSONField, Model, QuerySet


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


# COPY's text format: backslash, tab, newline and carriage return must be escaped inside a value.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any, is_json: bool) -> str:
    if value is None:
        return "\\N"
    text = json.dumps(value) if is_json else str(value)
    return text.translate(_COPY_ESCAPES)


def copy_rows(model: type[Model], rows: Sequence[Mapping[str, Any]], now: dt.datetime) -> int:
    """Write ``rows`` into ``model``'s table with one PostgreSQL ``COPY … FROM STDIN``; returns ``len(rows)``.

    Each row maps field attnames (``case_id``, not ``case``) to values: ``None`` (NULL), numbers,
    booleans, dates, datetimes (aware), UUIDs or strings; a ``JSONField`` takes any JSON-serialisable
    value. A field left out gets its default, evaluated once per call — so a callable default such as
    ``uuid.uuid4`` or ``timezone.now`` gives every row the same value: pass primary keys and such
    fields yourself — and ``auto_now``/``auto_now_add`` fields get ``now``. No ``save()``, no signals,
    no auditlog, no validation: the caller vouches for the rows; the table's constraints and triggers
    still apply, and a refused row fails the whole ``COPY`` (``django.db.DatabaseError``). Runs in the
    caller's transaction. PostgreSQL only (psycopg2 ``copy_expert``).
    """
    fields = model._meta.concrete_fields
    json_fields = {field.attname for field in fields if isinstance(field, JSONField)}
    defaults = {}
    for field in fields:
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        defaults[field.attname] = _copy_text(now if stamped else field.get_default(), field.attname in json_fields)
    buffer = io.StringIO()
    for row in rows:
        values = (defaults[name] if name not in row else _copy_text(row[name], name in json_fields) for name in defaults)
        buffer.write("\t".join(values) + "\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)  # type: ignore[attr-defined]
    return len(rows)
