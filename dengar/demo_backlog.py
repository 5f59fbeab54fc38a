"""The demo's first pass stores everything raw, then processes it once, in time order.

The samples span a month and arrive all at once, source after source; dedup is built for messages
arriving roughly in time order (it forgets tickets older than its longest window behind the newest
message it has seen). Storing the whole backlog first and processing it afterwards (raw first, as
the design allows) gives the same tickets as `dengar import` of the same files. Later polls go
through the daemon's ordinary store-and-process path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine

from collectors.types import RawItem
from dengar.pipeline import IngestCounts
from sink.raw_store import store_raw
from sink.source_state import store_batch

STORE_BATCH_SIZE = 2000


def _counts(items: list[RawItem], stored: list[Any]) -> IngestCounts:
    counts = IngestCounts()
    counts.read.update(item.channel for item in items)
    counts.new.update(entry.item.channel for entry in stored)
    for channel, read in counts.read.items():
        counts.known[channel] = read - counts.new[channel]
    return counts


class StoreOnly:
    """Stands where the daemon's writer expects a pipeline: stores batches and cursors, processes nothing.

    The items stay "new" in the raw store until :meth:`dengar.pipeline.Pipeline.process_pending`.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ingest_source_batch(self, source: str, channel: str, items: list[RawItem],
                            cursor: dict[str, Any]) -> IngestCounts:
        with self.engine.begin() as connection:
            stored, _ = store_batch(connection, source, channel, items, cursor)
        return _counts(items, stored)

    def process_pending(self, *args: Any, **kwargs: Any) -> IngestCounts:
        return IngestCounts()  # deferred: the demo processes the whole backlog after the pass

    def reload_dedup_memory(self) -> None:
        """Nothing to forget: no dedup runs here."""

    def store_items(self, items: Iterable[RawItem]) -> IngestCounts:
        """Store archive items (a source without cursor), a batch per transaction."""
        total = IngestCounts()
        batch: list[RawItem] = []
        for item in items:
            batch.append(item)
            if len(batch) >= STORE_BATCH_SIZE:
                total.add(self._store(batch))
                batch = []
        if batch:
            total.add(self._store(batch))
        return total

    def _store(self, batch: list[RawItem]) -> IngestCounts:
        with self.engine.begin() as connection:
            stored, _ = store_raw(connection, batch)
        return _counts(batch, stored)


__all__ = ["StoreOnly"]
