"""Replay a corpus as live sources deliver it: source by source, batch by batch, out of time order.

Live sources do not deliver in time order: X pages arrive newest first, an old e-mail is fetched
today, feeds are polled on their own schedules and a backfill replays last week after today. This
module cuts each channel folder of a corpus into batches in such an order and feeds them through
``Pipeline.ingest_source_batch``, the daemon's path, so the tickets can be compared with an import
in time order.

Orders: ``time`` (one archive import, the reference), ``shuffled`` (each source's items shuffled,
cut into batches of random size, the sources one after another in a random order),
``newest-first`` (each source newest first, as X's backlog), ``interleaved`` (the shuffled batches
of all sources mixed, as sources polled side by side).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from collectors.types import RawItem
from dengar.app import archive_readers
from dengar.importer import FileReport, archive_items
from dengar.pipeline import IngestCounts, Pipeline
from dengar.settings import Settings
from normalizer.channels import Parser, parse
from normalizer.types import NormalizeError

ORDERS = ("time", "shuffled", "newest-first", "interleaved")
BATCH_SIZES = (1, 40)  # smallest and largest batch, as small polls and full API pages


@dataclass(frozen=True, slots=True)
class SourceBatch:
    source: str
    channel: str
    items: list[RawItem]


def corpus_sources(corpus: Path, settings: Settings) -> dict[str, list[RawItem]]:
    """The items of each channel folder of a corpus, one source per folder, in archive order."""
    readers = archive_readers(settings)
    sources: dict[str, list[RawItem]] = {}
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        report = FileReport()
        items = list(archive_items([folder], f"arrival-{folder.name}", report, readers=readers))
        if items:
            sources[f"arrival-{folder.name}"] = items
    return sources


def _cut(items: list[RawItem], rng: random.Random, source: str) -> Iterator[SourceBatch]:
    start = 0
    while start < len(items):
        size = rng.randint(*BATCH_SIZES)
        yield SourceBatch(source, items[start].channel, items[start : start + size])
        start += size


def _message_time(item: RawItem, parsers: dict[str, Parser]) -> float:
    """When the message was written (raw items carry only when they were fetched); 0 if unreadable."""
    try:
        return parse(item, parsers).created_at.timestamp()
    except NormalizeError:
        return 0.0


def _newest_first(items: list[RawItem], parsers: dict[str, Parser]) -> list[RawItem]:
    return sorted(items, key=lambda item: _message_time(item, parsers), reverse=True)


def arrival_batches(sources: dict[str, list[RawItem]], order: str, seed: int,
                    parsers: dict[str, Parser]) -> list[SourceBatch]:
    """The batches of every source in ``order`` (seeded, so a failing order can be replayed)."""
    if order not in ORDERS[1:]:
        raise ValueError(f"unknown arrival order {order!r}; one of {', '.join(ORDERS[1:])}")
    rng = random.Random(seed)
    names = sorted(sources)
    rng.shuffle(names)
    batches: list[SourceBatch] = []
    for name in names:
        items = list(sources[name])
        if order == "newest-first":
            items = _newest_first(items, parsers)
        else:
            rng.shuffle(items)
        batches.extend(_cut(items, rng, name))
    if order == "interleaved":
        rng.shuffle(batches)
    return batches


def ingest_in_arrival_order(pipeline: Pipeline, batches: list[SourceBatch]) -> IngestCounts:
    """Each batch stored with its cursor and processed, as the daemon's writer does."""
    total = IngestCounts()
    for number, batch in enumerate(batches):
        total.add(pipeline.ingest_source_batch(batch.source, batch.channel, batch.items, {"batch": number}))
    return total
