"""Hand-written SQL that reads and writes values exactly as the ORM does, on whichever backend runs.

A hot path may skip the ORM's query building, never its conversions: each backend stores some types in its own
form (SQLite keeps datetimes as naive UTC text, booleans as 0 and 1) and converts them back when reading. Raw
statements go through the same converters and adapters here, so a row written one way always reads the other.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Field

Row = Sequence[Any]

# Types every backend stores as the Python value itself: nothing to adapt before a raw write.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


@lru_cache(maxsize=128)
def _conversions(fields: tuple[Field | None, ...], vendor: str) -> tuple:
    """For each column that needs converting: its index, the converters the ORM applies, and the column."""
    steps = []
    for index, field in enumerate(fields):
        if field is None:
            continue
        column = field.get_col(field.model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            steps.append((index, tuple(converters), column))
    return tuple(steps)


def _reader(fields: Sequence[Field | None]) -> Callable[[Row], Row] | None:
    """Converts one raw row: column ``i`` as the ORM converts a value of ``fields[i]`` (``None``: left as read).
    ``None`` when no column needs converting on this backend (PostgreSQL's hot reads): rows are used as read."""
    steps = _conversions(tuple(fields), connection.vendor)
    if not steps:
        return None

    def convert(row: Row) -> list[Any]:
        values = list(row)
        for index, converters, column in steps:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return values

    return convert


def fetch_all(sql: str, params: Sequence[Any], *, fields: Sequence[Field | None]) -> list[Row]:
    """The statement's rows, each column converted as the ORM converts a value of the matching field."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    convert = _reader(fields) if rows else None
    return rows if convert is None else [convert(row) for row in rows]


def fetch_one(sql: str, params: Sequence[Any], *, fields: Sequence[Field | None]) -> Row | None:
    """The statement's first row converted like ``fetch_all``'s, or ``None``."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    convert = _reader(fields) if row is not None else None
    return row if convert is None else convert(row)


def stored_rows(fields: Sequence[Field], rows: Iterable[Row]) -> Iterable[Row]:
    """The rows with each value in the form the ORM would store for its field on this backend (an aware datetime
    becomes naive UTC text on SQLite, for instance), for a bulk loader that writes with raw SQL or ``COPY``.

    Only fields whose values a backend adapts are prepared, each distinct value once: loaders write millions of
    rows that share a few timestamps.
    """
    adapted = [index for index, field in enumerate(fields) if field.get_internal_type() not in PLAIN_TYPES]
    if not adapted:
        yield from rows
        return
    memos: dict[int, dict[Any, Any]] = {index: {} for index in adapted}
    for row in rows:
        values = list(row)
        for index in adapted:
            memo, value = memos[index], values[index]
            if isinstance(value, dict | list):  # a JSON value: unhashable, and rarely repeated
                values[index] = fields[index].get_db_prep_save(value, connection)
                continue
            if value not in memo:
                memo[value] = fields[index].get_db_prep_save(value, connection)
            values[index] = memo[value]
        yield values
