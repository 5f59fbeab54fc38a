"""The raw store: every collected item is written here first, idempotently, before anything reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain

from sqlalchemy import Connection, select, text, update

from collectors.types import RawItem
from sink.bulk import utc_value
from sink.models import UNPROCESSED_RAW, RawItemRow
from sink.one_transaction import Database

RAW_TABLE = RawItemRow.__table__
PROCESSED = "processed"


@dataclass(frozen=True, slots=True)
class StoredRaw:
    """A raw item with its row id, as the processing stage reads it back."""

    id: int
    item: RawItem


RAW_COLUMNS = ("channel", "external_id", "source", "payload", "content_type", "origin", "fetched_at", "stored_at", "state")


@dataclass(frozen=True, slots=True)
class _InsertIgnoringKnown:
    """Multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` text for one dialect.

    Sent straight to the driver with plain values: SQLAlchemy's per-value processing of the
    RETURNING insert cost more than SQLite did. The conflict on (channel, external_id) keeps
    re-collection idempotent, and RETURNING names exactly the rows this statement added.
    """

    sql_head: str
    row_markers: str
    sql_tail: str
    rows_per_statement: int
    sqlite: bool

    @classmethod
    def for_connection(cls, connection: Connection) -> _InsertIgnoringKnown:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        max_parameters = getattr(dialect, "insertmanyvalues_max_parameters", 32700)
        return cls(
            sql_head=f"INSERT INTO {quote(RAW_TABLE.name)} ({', '.join(quote(name) for name in RAW_COLUMNS)}) VALUES ",
            row_markers=f"({', '.join([marker] * len(RAW_COLUMNS))})",
            sql_tail=(" ON CONFLICT (channel, external_id) DO NOTHING RETURNING id, channel, external_id"),
            rows_per_statement=max(1, min(1000, max_parameters // len(RAW_COLUMNS))),
            sqlite=dialect.name == "sqlite",
        )

    def execute(self, connection: Connection, rows: list[tuple]) -> dict[tuple[str, str], int]:
        inserted: dict[tuple[str, str], int] = {}
        size = self.rows_per_statement
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = self.sql_head + ", ".join([self.row_markers] * len(chunk)) + self.sql_tail
            parameters = tuple(chain.from_iterable(chunk))
            # fetchall: one driver call for the chunk's ids instead of a fetch per row
            for row_id, channel, external_id in connection.exec_driver_sql(sql, parameters).fetchall():
                inserted[(channel, external_id)] = row_id
        return inserted


def store_raw(connection: Connection, items: Iterable[RawItem]) -> tuple[list[StoredRaw], int]:
    """Insert the items not stored yet; returns the new ones (in input order) and how many were known.

    Duplicates inside ``items`` count as known: the first occurrence wins, as with re-collection.
    """
    unique: dict[tuple[str, str], RawItem] = {}
    duplicates_in_batch = 0
    for item in items:
        key = (item.channel, item.external_id)
        if key in unique:
            duplicates_in_batch += 1
        else:
            unique[key] = item
    if not unique:
        return [], duplicates_in_batch
    statement = _InsertIgnoringKnown.for_connection(connection)
    sqlite_text = statement.sqlite
    now = utc_value(datetime.now(timezone.utc), sqlite_text)
    fetched: dict[datetime, datetime | str] = {}  # an archive's items share a few fetch times
    rows = []
    for item in unique.values():
        fetched_at = fetched.get(item.fetched_at)
        if fetched_at is None:
            fetched_at = fetched[item.fetched_at] = utc_value(item.fetched_at, sqlite_text)
        rows.append((item.channel, item.external_id, item.source, item.payload, item.content_type, item.origin,
                     fetched_at, now, "new"))
    inserted = statement.execute(connection, rows)
    stored = [StoredRaw(inserted[key], item) for key, item in unique.items() if key in inserted]
    return stored, duplicates_in_batch + len(unique) - len(stored)


def _row_to_stored(row) -> StoredRaw:  # type: ignore[no-untyped-def]
    return StoredRaw(
        row.id,
        RawItem(
            channel=row.channel,
            source=row.source,
            external_id=row.external_id,
            payload=row.payload,
            content_type=row.content_type,
            fetched_at=row.fetched_at,
            origin=row.origin,
        ),
    )


def pending_batches(engine: Database, batch_size: int, states: Sequence[str] = ("new",)) -> Iterator[list[StoredRaw]]:
    """Raw items in ``states``, oldest first, a batch at a time.

    Keyset pagination, and a short read per batch, so the caller can write between batches.
    """
    last_id = 0
    wanted = [RAW_TABLE.c.state.in_(states)]
    if PROCESSED not in states:
        wanted.append(text(UNPROCESSED_RAW))  # as the partial index states it, so the planner takes the index
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(RAW_TABLE)
                .where(*wanted, RAW_TABLE.c.id > last_id)
                .order_by(RAW_TABLE.c.id)
                .limit(batch_size)
            ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield [_row_to_stored(row) for row in rows]


def mark_raw(connection: Connection, ids: Sequence[int], state: str) -> None:
    if ids:
        connection.execute(update(RAW_TABLE).where(RAW_TABLE.c.id.in_(ids)).values(state=state))
