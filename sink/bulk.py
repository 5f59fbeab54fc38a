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


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_utc(value: datetime | None) -> str | None:
    # The text form SQLAlchemy's SQLite DateTime stores and compares: naive UTC, microseconds.
    if value is None:
        return None
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value


def _converter(column_type: Any, dialect_name: str) -> Converter | None:
    if isinstance(column_type, JSON):
        return _json
    if isinstance(column_type, UtcDateTime):
        return _sqlite_utc if dialect_name == "sqlite" else _utc
    return None


class BulkInsert:
    """``INSERT INTO table (columns...)`` for many rows at once; one per table and column list."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self._prepared: dict[str, tuple[str, tuple[Converter | None, ...]]] = {}

    def _prepare(self, connection: Connection) -> tuple[str, tuple[Converter | None, ...]]:
        dialect = connection.dialect
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            quote = dialect.identifier_preparer.quote
            marker = "?" if dialect.paramstyle == "qmark" else "%s"
            sql = (
                f"INSERT INTO {quote(self.table.name)} ({', '.join(quote(name) for name in self.columns)}) "
                f"VALUES ({', '.join([marker] * len(self.columns))})"
            )
            converters = tuple(_converter(self.table.c[name].type, dialect.name) for name in self.columns)
            prepared = self._prepared[dialect.name] = (sql, converters)
        return prepared

    def execute(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, converters = self._prepare(connection)
        pick = itemgetter(*self.columns)
        converted = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
        values = []
        for row in rows:
            picked = list(pick(row))
            for index, convert in converted:
                picked[index] = convert(picked[index])
            values.append(tuple(picked))
        connection.exec_driver_sql(sql, values)
