"""The contract every live collector keeps, as a reusable test class.

A channel's test module subclasses :class:`CollectorContract` and provides a ``world`` fixture: a
:class:`ContractWorld` around that channel's real local server (X API stand-in, Dovecot, feed
server...). The tests store what the collector yields exactly as the daemon does — items and cursor
in one transaction through ``sink.source_state.store_batch`` — on a real SQLite database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from sqlalchemy import Engine, func, select

from collectors.live.base import Collector, PermanentFailure, RateLimited, SourceError, TemporaryFailure
from dengar.standins.faults import Fault
from sink.database import ensure_schema, open_engine
from sink.models import RawItemRow
from sink.source_state import load_cursor, store_batch

SOURCE = "contract-source"

# What a JSON document source (Open311, Qlue) must make of each fault its stand-in can inject.
JSON_DOCUMENT_FAULTS = [
    (Fault.SERVER_ERROR, TemporaryFailure),
    (Fault.HTML_503, TemporaryFailure),
    (Fault.HTML_200, TemporaryFailure),
    (Fault.TRUNCATED, TemporaryFailure),
    (Fault.OVERSIZE, TemporaryFailure),
    (Fault.RATE_LIMITED, RateLimited),
    (Fault.UNAVAILABLE_RETRY_AFTER, RateLimited),
    (Fault.NOT_FOUND, PermanentFailure),
    (Fault.FORBIDDEN, PermanentFailure),
]


class ContractWorld(Protocol):
    """What a channel's test gives the contract suite."""

    channel: str

    async def publish(self, count: int) -> list[str]:
        """Make ``count`` new messages visible on the server; returns their external ids."""

    def fail_after_first_batch(self) -> None:
        """Make the next run fail (with the channel's typical error) after its first batch was served."""

    def heal(self) -> None:
        """Stop failing."""

    def make_collector(self) -> Collector:
        """A fresh collector for the source (a restarted daemon builds a new one)."""

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        """A value that must never decrease from one stored cursor to the next."""


@dataclass
class RunResult:
    batches: int
    error: SourceError | None


async def run_once(collector: Collector, engine: Engine, channel: str, since: Any = None) -> RunResult:
    """One scheduled run, stored the way the daemon stores it; stops at the first SourceError."""
    batches = 0
    try:
        async for batch in collector.collect(load_cursor(engine, SOURCE), since):
            with engine.begin() as connection:
                store_batch(connection, SOURCE, channel, batch.items, batch.cursor)
            batches += 1
    except SourceError as exc:
        return RunResult(batches, exc)
    return RunResult(batches, None)


def stored_ids(engine: Engine, channel: str) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(RawItemRow.external_id)
                                       .where(RawItemRow.channel == channel, RawItemRow.source == SOURCE)).scalars())


def count_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(RawItemRow)).scalar_one())


async def closing(collector: Collector, action: Callable[[Collector], Awaitable[Any]]) -> Any:
    try:
        return await action(collector)
    finally:
        await collector.aclose()


async def collect_all(collector: Collector, cursor: dict[str, Any] | None = None,
                      since: Any = None) -> tuple[list[Any], dict[str, Any]]:
    """Every item of one run without storing, and the last cursor; closes the collector."""
    items: list[Any] = []
    final = dict(cursor or {})
    try:
        async for batch in collector.collect(dict(cursor or {}), since):
            items.extend(batch.items)
            final = batch.cursor
    finally:
        await collector.aclose()
    return items, final


class CollectorContract:
    """Subclass with a ``world`` fixture (a ContractWorld). Every test stores through the real sink."""

    @pytest.fixture
    def engine(self, tmp_path: Any) -> Engine:
        engine = open_engine(f"sqlite:///{tmp_path / 'contract.db'}")
        ensure_schema(engine)
        return engine

    async def test_a_replayed_run_adds_nothing(self, world: ContractWorld, engine: Engine) -> None:
        published = await world.publish(7)
        first = await closing(world.make_collector(), lambda c: run_once(c, engine, world.channel))
        assert first.error is None
        rows = count_rows(engine)
        assert sorted(stored_ids(engine, world.channel)) == sorted(published)
        again = await closing(world.make_collector(), lambda c: run_once(c, engine, world.channel))
        assert again.error is None
        assert count_rows(engine) == rows

    async def test_a_resumed_run_leaves_no_gap(self, world: ContractWorld, engine: Engine) -> None:
        published = await world.publish(5)
        assert (await closing(world.make_collector(), lambda c: run_once(c, engine, world.channel))).error is None
        published += await world.publish(6)
        assert (await closing(world.make_collector(), lambda c: run_once(c, engine, world.channel))).error is None
        ids = stored_ids(engine, world.channel)
        assert sorted(ids) == sorted(published)
        assert len(ids) == len(set(ids))

    async def test_the_cursor_never_moves_backwards(self, world: ContractWorld, engine: Engine) -> None:
        seen = []
        for count in (3, 0, 4, 1):
            if count:
                await world.publish(count)
            collector = world.make_collector()
            try:
                async for batch in collector.collect(load_cursor(engine, SOURCE)):
                    with engine.begin() as connection:
                        store_batch(connection, SOURCE, world.channel, batch.items, batch.cursor)
                    seen.append(world.cursor_order(batch.cursor))
            finally:
                await collector.aclose()
        assert seen, "the collector yielded no batch at all"
        assert seen == sorted(seen)

    async def test_an_error_mid_run_keeps_the_cursor_where_the_stored_data_ends(
            self, world: ContractWorld, engine: Engine) -> None:
        published = await world.publish(12)
        world.fail_after_first_batch()
        broken = await closing(world.make_collector(), lambda c: run_once(c, engine, world.channel))
        assert isinstance(broken.error, SourceError), "the injected failure must surface as a SourceError"
        world.heal()
        healed = await closing(world.make_collector(), lambda c: run_once(c, engine, world.channel))
        assert healed.error is None
        ids = stored_ids(engine, world.channel)
        assert sorted(ids) == sorted(published)
        assert len(ids) == len(set(ids))
