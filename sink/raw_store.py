"""The raw store: every collected item is written here first, idempotently, before anything reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from collectors.types import RawItem
from sink.models import RawItemRow

RAW_TABLE = RawItemRow.__table__


@dataclass(frozen=True, slots=True)
class StoredRaw:
    """A raw item with its row id, as the processing stage reads it back."""

    id: int
    item: RawItem


def _insert_ignoring_known(connection: Connection):  # type: ignore[no-untyped-def]
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    return dialect.insert(RAW_TABLE).on_conflict_do_nothing(index_elements=["channel", "external_id"])


def store_raw(connection: Connection, items: Iterable[RawItem]) -> tuple[list[StoredRaw], int]:
    """Insert the items not stored yet; returns the new ones (in input order) and how many were known.

    Duplicates inside ``items`` count as known: the first occurrence wins, as with re-collection.
    """
    now = datetime.now(timezone.utc)
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
    rows = [
        {
            "channel": item.channel,
            "external_id": item.external_id,
            "source": item.source,
            "payload": item.payload,
            "content_type": item.content_type,
            "origin": item.origin,
            "fetched_at": item.fetched_at,
            "stored_at": now,
            "state": "new",
        }
        for item in unique.values()
    ]
    statement = _insert_ignoring_known(connection).returning(
        RAW_TABLE.c.id, RAW_TABLE.c.channel, RAW_TABLE.c.external_id
    )
    inserted = {(channel, external_id): row_id for row_id, channel, external_id in connection.execute(statement, rows)}
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


def pending_batches(engine: Engine, batch_size: int, states: Sequence[str] = ("new",)) -> Iterator[list[StoredRaw]]:
    """Raw items in ``states``, oldest first, a batch at a time.

    Keyset pagination, and a short read per batch, so the caller can write between batches.
    """
    last_id = 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(RAW_TABLE)
                .where(RAW_TABLE.c.state.in_(states), RAW_TABLE.c.id > last_id)
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
