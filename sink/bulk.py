"""Bulk inserts for the per-message tables, straight to the driver's executemany.

SQLAlchemy's per-row parameter processing costs more than SQLite itself on these wide rows
(~60 % of ingest write time, measured with benchmarks/throughput.py), so the hot inserts compile
the statement once per dialect and hand the driver plain tuples, converting values the way the
column types would: JSON columns through orjson, UTC timestamps to what each dialect stores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Table

from sink.models import UtcDateTime

Converter = Callable[[Any], Any]


EMPTY_JSON_ARRAY = "[]"


def json_text(value: Any) -> str:
    """A JSON column's text as SQLAlchemy's JSON type would bind it (orjson, as the engines are set up).

    Most lists a message carries (hashtags, media, flags...) are empty: those skip the encoder.
    """
    if not value and isinstance(value, (list, tuple)):
        return EMPTY_JSON_ARRAY
    return orjson.dumps(value).decode()



def json_value(stored: Any) -> Any:
    """A JSON column's value as the driver returned it, decoded: SQLite gives the text, psycopg the value."""
    if isinstance(stored, str):
        return orjson.loads(stored)
    return stored


def utc_value(value: datetime, sqlite_text: bool) -> datetime | str:
    """A tz-aware time as the UTC column stores it: SQLite keeps SQLAlchemy's naive-UTC text form."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    if not sqlite_text:
        return value
    if value.tzinfo is not timezone.utc:  # most values are UTC already: skip the conversion
        value = value.astimezone(timezone.utc)
    # The naive form is the first 26 characters of the aware one ("+00:00" follows): no copy made.
    return value.isoformat(" ", "microseconds")[:26]


class StoredTimes:
    """UTC times in the stored form of one connection's dialect, each distinct time converted once.

    A batch converts a message's time for its own row and again as its ticket's first or last
    report; formatting a time costs ~12k instructions, a dict hit a hundredth of that.
    """

    __slots__ = ("sqlite_text", "_known")

    def __init__(self, sqlite_text: bool) -> None:
        self.sqlite_text = sqlite_text
        self._known: dict[datetime, datetime | str] = {}

    def __call__(self, value: datetime) -> datetime | str:
        stored = self._known.get(value)
        if stored is None:
            stored = self._known[value] = utc_value(value, self.sqlite_text)
        return stored


def _sqlite_utc(value: datetime | None) -> str | None:
    return None if value is None else utc_value(value, True)  # type: ignore[return-value]


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else utc_value(value, False)  # type: ignore[return-value]


def _converter(column_type: Any, dialect_name: str) -> Converter | None:
    if isinstance(column_type, JSON):
        return json_text
    if isinstance(column_type, UtcDateTime):
        return _sqlite_utc if dialect_name == "sqlite" else _utc
    return None


def is_sqlite(connection: Connection) -> bool:
    """Whether times go to this driver as SQLite's naive-UTC text (else as tz-aware datetimes)."""
    return connection.dialect.name == "sqlite"


def _marker(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _remembering(convert: Converter) -> Converter:
    """A time converter that converts each distinct value once per statement (a batch's rows share
    ``linked_at``, ``updated_at`` and many ``first_seen`` / ``last_seen``)."""
    seen: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        result = seen.get(value, seen)
        if result is seen:
            result = seen[value] = convert(value)
        return result

    return converted


def _converted_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], converters: Sequence[Converter | None]
) -> list[tuple[Any, ...]]:
    """Plain tuples in ``columns`` order, each value converted as its column type would."""
    pick = itemgetter(*columns)
    converted = [
        (index, _remembering(convert) if convert is not json_text else convert)
        for index, convert in enumerate(converters)
        if convert is not None
    ]
    if len(columns) == 1:  # itemgetter of one name gives the value, not a tuple
        pick = lambda row: (row[columns[0]],)  # noqa: E731
    values = []
    for row in rows:
        picked = list(pick(row))
        for index, convert in converted:
            picked[index] = convert(picked[index])
        values.append(tuple(picked))
    return values


class _DriverStatement:
    """One SQL text per dialect with a converter per parameter, built on first use and kept."""

    table: Table

    def __init__(self) -> None:
        self._prepared: dict[str, tuple[str, tuple[Converter | None, ...]]] = {}

    def _sql(self, quote: Callable[[str], str], marker: str) -> str:
        raise NotImplementedError

    def _parameter_names(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _prepare(self, connection: Connection) -> tuple[str, tuple[Converter | None, ...]]:
        dialect = connection.dialect
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            sql = self._sql(dialect.identifier_preparer.quote, _marker(connection))
            converters = tuple(_converter(self.table.c[name].type, dialect.name) for name in self._parameter_names())
            prepared = self._prepared[dialect.name] = (sql, converters)
        return prepared


class BulkInsert(_DriverStatement):
    """``INSERT INTO table (columns...)`` for many rows at once; one per table and column list.

    A column left out that has a Python-side default (``default=list``, ``default="menunggu"``) gets
    it, as SQLAlchemy's own insert would give it: a column added to the model later is never
    silently written as NULL.
    """

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        given = set(columns)
        self._defaulted = tuple(c for c in table.columns if c.name not in given and c.default is not None)
        for column in self._defaulted:
            if not (column.default.is_scalar or column.default.is_callable):  # type: ignore[union-attr]
                raise ValueError(f"{table.name}.{column.name}: a SQL default needs the column listed explicitly")
        self.columns = (*columns, *(c.name for c in self._defaulted))
        super().__init__()

    def _with_defaults(self, rows: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
        if not self._defaulted:
            return rows
        defaults = {
            column.name: column.default.arg(None) if column.default.is_callable else column.default.arg  # type: ignore[union-attr]
            for column in self._defaulted
        }
        return [{**defaults, **row} for row in rows]

    def _sql(self, quote: Callable[[str], str], marker: str) -> str:
        return (f"INSERT INTO {quote(self.table.name)} ({', '.join(quote(name) for name in self.columns)}) "
                f"VALUES ({', '.join([marker] * len(self.columns))})")

    def _parameter_names(self) -> tuple[str, ...]:
        return self.columns

    def execute(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, converters = self._prepare(connection)
        connection.exec_driver_sql(sql, _converted_rows(self._with_defaults(rows), self.columns, converters))

    def execute_values(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Rows already as the driver takes them: a tuple per row in ``columns`` order, times through
        :func:`utc_value` and JSON through :func:`json_text`. For the per-message inserts, where a dict
        per row and a converter call per value cost more than SQLite's own work."""
        if not rows:
            return
        if self._defaulted:
            raise ValueError(f"{self.table.name}: pre-converted rows must list every defaulted column")
        sql, _ = self._prepare(connection)
        connection.exec_driver_sql(sql, rows)


class ByIds:
    """``DELETE FROM table WHERE column IN (...)`` or ``UPDATE table SET ... WHERE column IN (...)``
    for a batch's ids, sent to the driver in chunks: compiling an expanding IN of a few thousand
    values through SQLAlchemy cost more than SQLite's work.
    """

    CHUNK = 1000  # ids per statement, far below any driver's parameter limit

    def __init__(self, table: Table, column: str, set_columns: Sequence[str] = ()) -> None:
        self.table = table
        self.column = column
        self.set_columns = tuple(set_columns)

    def execute(self, connection: Connection, ids: Sequence[Any], *set_values: Any) -> None:
        if len(set_values) != len(self.set_columns):
            raise ValueError(f"{len(self.set_columns)} values to set, {len(set_values)} given")
        quote = connection.dialect.identifier_preparer.quote
        marker = _marker(connection)
        if self.set_columns:
            assignments = ", ".join(f"{quote(name)} = {marker}" for name in self.set_columns)
            head = f"UPDATE {quote(self.table.name)} SET {assignments} WHERE {quote(self.column)} IN ("
        else:
            head = f"DELETE FROM {quote(self.table.name)} WHERE {quote(self.column)} IN ("
        for start in range(0, len(ids), self.CHUNK):
            chunk = tuple(ids[start : start + self.CHUNK])
            connection.exec_driver_sql(head + ", ".join([marker] * len(chunk)) + ")", (*set_values, *chunk))


class RowsByIds:
    """``SELECT columns FROM table WHERE key IN (...)`` for a batch's ids, in chunks, the rows as the
    driver returns them: stored forms (on SQLite times and JSON as text), which the writer compares
    and writes back as they are, instead of SQLAlchemy converting each value out and back in.
    """

    CHUNK = ByIds.CHUNK

    def __init__(self, table: Table, key: str, columns: Sequence[str]) -> None:
        self.table = table
        self.key = key
        self.columns = tuple(columns)

    def fetch(self, connection: Connection, ids: Sequence[Any]) -> list[tuple[Any, ...]]:
        quote = connection.dialect.identifier_preparer.quote
        marker = _marker(connection)
        head = (f"SELECT {', '.join(quote(name) for name in self.columns)} FROM {quote(self.table.name)} "
                f"WHERE {quote(self.key)} IN (")
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), self.CHUNK):
            chunk = tuple(ids[start : start + self.CHUNK])
            result = connection.exec_driver_sql(head + ", ".join([marker] * len(chunk)) + ")", chunk)
            rows.extend(tuple(row) for row in result.fetchall())  # one fetch per chunk, not one per row
        return rows


class BulkUpdate(_DriverStatement):
    """``UPDATE table SET columns... WHERE key = ?`` for many rows at once, by the driver's executemany.

    Each row is a dict holding ``key`` and every one of ``columns``.
    """

    def __init__(self, table: Table, key: str, columns: Sequence[str]) -> None:
        self.table = table
        self.key = key
        self.columns = tuple(columns)
        super().__init__()

    def _sql(self, quote: Callable[[str], str], marker: str) -> str:
        assignments = ", ".join(f"{quote(name)} = {marker}" for name in self.columns)
        return f"UPDATE {quote(self.table.name)} SET {assignments} WHERE {quote(self.key)} = {marker}"

    def _parameter_names(self) -> tuple[str, ...]:
        return (*self.columns, self.key)

    def execute(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, converters = self._prepare(connection)
        connection.exec_driver_sql(sql, _converted_rows(rows, (*self.columns, self.key), converters))

    def execute_values(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Rows already as the driver takes them: ``columns`` then ``key``, converted as for
        :meth:`BulkInsert.execute_values`."""
        if rows:
            connection.exec_driver_sql(self._prepare(connection)[0], rows)


class ChangedColumnsUpdate:
    """``UPDATE table SET ... WHERE key = ?`` that sets, per row, only the column groups that changed.

    SQLite rewrites an index entry whenever an UPDATE names one of its columns, changed or not: a
    ticket a batch joins names its first report, place and category in seven indexes, though most
    joins move only its count and last report. Rows are grouped by which optional groups they set,
    one executemany per group, so an unchanged column costs no index work.
    """

    def __init__(self, table: Table, key: str, always: Sequence[str], optional: Sequence[Sequence[str]]) -> None:
        self.optional = tuple(tuple(group) for group in optional)
        # One statement per subset of the optional groups: bit i of the mask stands for group i.
        self._statements = {
            mask: BulkUpdate(table, key, (*always, *(name for bit, group in enumerate(self.optional)
                                                      if mask >> bit & 1 for name in group)))
            for mask in range(1 << len(self.optional))
        }

    def execute_values(self, connection: Connection, rows: Sequence[tuple[int, tuple[Any, ...]]]) -> None:
        """``rows`` are (mask, values): values of ``always``, then of each group in the mask in order,
        then the key, converted as for :meth:`BulkInsert.execute_values`."""
        grouped: dict[int, list[tuple[Any, ...]]] = {}
        for mask, values in rows:
            grouped.setdefault(mask, []).append(values)
        for mask, values in grouped.items():
            self._statements[mask].execute_values(connection, values)
