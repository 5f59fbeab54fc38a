"""The ingest pipeline: raw items stored first, then parsed, analysed, de-duplicated and written.

Two transactions per batch on purpose: the raw items commit on their own, so a crash or a bug
in any later stage leaves them in the raw store as "new", to be processed on the next run.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from typing import Any

from collectors.types import RawItem
from dedup.deduplicator import Deduplicator
from dedup.rules import MergeRules
from dedup.types import LinkKind
from dengar.privacy import AuthorPseudonyms
from normalizer.analyzer import Analyzer
from normalizer.channels import Parser, all_parsers, parse
from normalizer.types import NormalizeError
from sink import dedup_state
from sink.outcomes import AgencyRouter, Outcome, write_outcomes
from sink.one_transaction import Database
from sink.raw_store import StoredRaw, pending_batches, store_raw
from sink.source_state import store_batch
from sink.ticket_folds import store_folds

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000


@dataclass
class StageTimes:
    """Seconds spent per stage, so a benchmark can show where the time goes."""

    split: float = 0.0
    store_raw: float = 0.0
    parse: float = 0.0
    analyze: float = 0.0
    dedup: float = 0.0
    write: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return dict(vars(self))


@dataclass
class IngestCounts:
    """What happened to the items of one run, per channel."""

    read: Counter[str] = field(default_factory=Counter)
    new: Counter[str] = field(default_factory=Counter)
    known: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)
    ticketed: Counter[str] = field(default_factory=Counter)

    def add(self, other: IngestCounts) -> None:
        for name in ("read", "new", "known", "quarantined", "ticketed"):
            getattr(self, name).update(getattr(other, name))


def _batches(items: Iterable[RawItem], size: int, times: StageTimes) -> Iterator[list[RawItem]]:
    iterator = iter(items)
    while True:
        started = time.perf_counter()
        batch = list(islice(iterator, size))
        times.split += time.perf_counter() - started
        if not batch:
            return
        yield batch


class Pipeline:
    """Owns the per-process state of processing: parsers, analyzer, and dedup's memory."""

    def __init__(self, engine: Database, analyzer: Analyzer, rules: MergeRules, route: AgencyRouter,
                 parsers: dict[str, Parser] | None = None, pseudonyms: AuthorPseudonyms | None = None) -> None:
        self.engine = engine
        self.analyzer = analyzer
        self.rules = rules
        self.route = route
        self.parsers = parsers if parsers is not None else all_parsers()
        self.pseudonyms = pseudonyms
        self.times = StageTimes()
        self.dedup = self._restored_dedup()

    def _restored_dedup(self) -> Deduplicator:
        dedup = Deduplicator(self.rules, next_ticket_id=dedup_state.next_ticket_id(self.engine),
                             lookup=dedup_state.StoredTicketLookup(self.engine))
        dedup_state.restore(self.engine, dedup, self.rules.longest_window)
        return dedup

    def within(self, database: Database) -> Pipeline:
        """The same parsers, analyzer and rules working through ``database`` (e.g. one open transaction)."""
        return Pipeline(database, self.analyzer, self.rules, self.route, self.parsers, self.pseudonyms)

    def reload_dedup_memory(self) -> None:
        """Forget what dedup assigned but the store did not keep (after a failed write), by re-reading storage."""
        self.dedup = self._restored_dedup()

    def ingest(self, items: Iterable[RawItem], batch_size: int = DEFAULT_BATCH_SIZE,
               on_batch: Callable[[IngestCounts], None] | None = None) -> IngestCounts:
        """Store and process ``items``; re-ingesting known items adds nothing.

        Items a crashed run stored but did not process are processed first, in their original order.
        """
        total = self.process_pending(batch_size)
        for batch in _batches(items, batch_size, self.times):
            counts = IngestCounts()
            counts.read.update(item.channel for item in batch)
            started = time.perf_counter()
            with self.engine.begin() as connection:
                stored, _ = store_raw(connection, batch)
            self.times.store_raw += time.perf_counter() - started
            counts.new.update(s.item.channel for s in stored)
            for channel, read in counts.read.items():
                counts.known[channel] = read - counts.new[channel]
            self._process(stored, counts)
            total.add(counts)
            if on_batch is not None:
                on_batch(counts)
        return total

    def ingest_source_batch(self, source: str, channel: str, items: list[RawItem],
                            cursor: dict[str, Any]) -> IngestCounts:
        """Store a live source's batch and its cursor in one transaction, then process the new items.

        The cursor can only move together with the items it covers; processing runs after the
        commit, so a failure there leaves the items "new" for :meth:`process_pending`.
        """
        counts = IngestCounts()
        counts.read.update(item.channel for item in items)
        started = time.perf_counter()
        with self.engine.begin() as connection:
            stored, _ = store_batch(connection, source, channel, items, cursor)
        self.times.store_raw += time.perf_counter() - started
        counts.new.update(s.item.channel for s in stored)
        for name, read in counts.read.items():
            counts.known[name] = read - counts.new[name]
        self._process(stored, counts)
        return counts

    def process_pending(self, batch_size: int = DEFAULT_BATCH_SIZE, states: tuple[str, ...] = ("new",),
                        on_batch: Callable[[IngestCounts], None] | None = None) -> IngestCounts:
        """Process raw items left unprocessed (a crash between the two transactions) or quarantined."""
        total = IngestCounts()
        for stored in pending_batches(self.engine, batch_size, states):
            counts = IngestCounts()
            self._process(stored, counts)
            total.add(counts)
            if on_batch is not None:
                on_batch(counts)
        return total

    def _process(self, stored: list[StoredRaw], counts: IngestCounts) -> None:
        if not stored:
            return
        outcomes = self._parse_and_analyze(stored)
        started = time.perf_counter()
        # Time order makes the dedup deterministic whatever order an archive lists messages in.
        outcomes.sort(key=lambda o: (o.mention is None, o.mention.created_at if o.mention else 0, o.raw_id))
        # The batch's parsed messages live until it is written (they are frozen after it anyway, and
        # none is cyclic garbage by now): the collections dedup's allocations trigger need not rescan them.
        gc.freeze()
        for outcome in outcomes:
            if outcome.mention is None:
                continue
            try:
                outcome.assignment = self.dedup.assign(outcome.mention)
            except Exception as exc:  # a dedup bug must not lose the message: quarantine it
                log.exception("dedup failed on %s/%s", outcome.channel, outcome.external_id)
                outcome.error, outcome.stage, outcome.mention = f"{type(exc).__name__}: {exc}", "dedup", None
        self._inherit_ticket_category(outcomes)
        self.times.dedup += time.perf_counter() - started
        started = time.perf_counter()
        try:
            with self.engine.begin() as connection:
                now = datetime.now(timezone.utc)
                write_outcomes(connection, outcomes, now, self.route)
                store_folds(connection, (o.assignment for o in outcomes if o.assignment is not None), now)
        except Exception:
            # The batch is not stored, so dedup must forget it too: rebuild its memory from storage.
            self.dedup = self._restored_dedup()
            raise
        self.times.write += time.perf_counter() - started
        # What survives a batch (dedup's memory) is long-lived and acyclic: keep the cyclic
        # collector from rescanning it after every batch (it cost more than the writes did).
        gc.freeze()
        for outcome in outcomes:
            if outcome.mention is None:
                counts.quarantined[outcome.channel] += 1
            elif outcome.assignment is not None:
                counts.ticketed[outcome.channel] += 1

    def _inherit_ticket_category(self, outcomes: list[Outcome]) -> None:
        """A retweet or a "+1, sama di sini" reply is about its ticket's problem, whatever its own words say."""
        reposts = [o for o in outcomes if o.assignment is not None and o.assignment.link_kind is LinkKind.REPOST]
        if not reposts:
            return
        categories = {o.assignment.ticket_id: o.mention.category for o in outcomes  # type: ignore[union-attr]
                      if o.assignment is not None and o.assignment.opened}
        missing = {o.assignment.ticket_id for o in reposts} - set(categories)  # type: ignore[union-attr]
        if missing:
            categories.update(dedup_state.ticket_categories(self.engine, missing))
        for outcome in reposts:
            category = categories.get(outcome.assignment.ticket_id)  # type: ignore[union-attr]
            if category is not None:
                outcome.mention.category = category  # type: ignore[union-attr]

    def _parse_and_analyze(self, stored: list[StoredRaw]) -> list[Outcome]:
        started = time.perf_counter()
        outcomes = []
        for entry in stored:
            outcome = Outcome(entry.id, entry.item.channel, entry.item.external_id)
            try:
                outcome.mention = parse(entry.item, self.parsers)
            except NormalizeError as exc:
                outcome.error, outcome.stage = str(exc) or type(exc).__name__, "parse"
            outcomes.append(outcome)
        self.times.parse += time.perf_counter() - started
        started = time.perf_counter()
        readable = [o for o in outcomes if o.mention is not None]
        try:
            self.analyzer.analyze([o.mention for o in readable])  # type: ignore[misc]
        except Exception:
            # Find the one that breaks the analyzer; the rest go on.
            for outcome in readable:
                try:
                    self.analyzer.analyze([outcome.mention])  # type: ignore[list-item]
                except Exception as exc:
                    log.exception("analysis failed on %s/%s", outcome.channel, outcome.external_id)
                    outcome.error, outcome.stage, outcome.mention = f"{type(exc).__name__}: {exc}", "analyze", None
        if self.pseudonyms is not None:  # after analysis: recognising official accounts needs the handle
            for outcome in outcomes:
                if outcome.mention is not None:
                    self.pseudonyms.apply(outcome.mention)
        self.times.analyze += time.perf_counter() - started
        return outcomes
