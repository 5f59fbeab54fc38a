"""The daemon in the test's own event loop against the real stand-ins: isolation of failing sources,
backoff states, health and metrics, the bounded queue, and lease exclusivity between two daemons."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dengar.app import build_pipeline, database
from dengar.daemon.daemon import Daemon
from dengar.daemon.web import create_health_app
from dengar.settings import load_settings
from dengar.standins.faults import Fault
from sink.source_state import all_states
from tests.dengar.daemon.worlds import (
    StandIns, complaint_messages, serve_stand_ins, stored_keys, wait_for, write_config,
)


def make_daemon(config: Path, db_url: str, seed: int = 7, instance: str | None = None) -> Daemon:
    settings = load_settings(config, db_url)
    if instance:
        settings.daemon.instance = instance
    engine = database(settings)
    return Daemon(settings, engine, build_pipeline(settings, engine), {}, rng=random.Random(seed))


class Running:
    """A daemon serving in a background task of the test's loop."""

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Daemon:
        self.task = asyncio.create_task(self.daemon.serve(self.stop))
        return self.daemon

    async def __aexit__(self, *exc: Any) -> None:
        self.stop.set()
        assert self.task is not None
        await self.task


def metric(daemon: Daemon, name: str, **labels: str) -> float:
    value = daemon.metrics.registry.get_sample_value(name, labels)
    return value or 0.0


@pytest.fixture
async def stand_ins(aiohttp_server: Any) -> StandIns:
    return await serve_stand_ins(aiohttp_server)


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.RATE_LIMITED])
async def test_a_failing_source_never_stops_the_others(fault: Fault, stand_ins: StandIns, tmp_path: Path,
                                                       aiohttp_client: Any) -> None:
    messages = complaint_messages(12, datetime.now(UTC) - timedelta(hours=1))
    stand_ins.publish(messages[:6])
    stand_ins.feeds.faults.arm(fault)  # every feed request fails from the first on: a 500 or 429 storm
    stand_ins.feeds.faults.retry_after = "1"
    daemon = make_daemon(write_config(tmp_path / "dengar.toml", stand_ins, interval=0.2), f"sqlite:///{tmp_path / 'd.db'}")
    open311_ids = {key for key in stand_ins.published if key[0] == "open311"}
    async with Running(daemon):
        await wait_for(lambda: open311_ids <= set(stored_keys(daemon.engine)), "the healthy source's first messages")
        await wait_for(lambda: daemon.runner("warga-rss").status.failures >= 2, "two failed feed runs")
        stand_ins.publish(messages[6:])  # the healthy source keeps collecting what comes next
        open311_ids = {key for key in stand_ins.published if key[0] == "open311"}
        await wait_for(lambda: open311_ids <= set(stored_keys(daemon.engine)), "the healthy source's later messages")

        failing, healthy = daemon.runner("warga-rss").status, daemon.runner("lapor-311").status
        expected_state = "backing_off" if fault is Fault.SERVER_ERROR else "rate_limited"
        assert failing.state == expected_state and healthy.state == "ok"
        assert failing.next_attempt_at is not None and failing.last_error
        stored = all_states(daemon.engine)
        assert stored["warga-rss"].state == expected_state and stored["warga-rss"].last_error
        assert stored["lapor-311"].state == "ok" and stored["lapor-311"].last_success is not None
        assert not any(channel == "rss" for channel, _ in stored_keys(daemon.engine))

        kind = "temporary" if fault is Fault.SERVER_ERROR else "rate_limited"
        assert metric(daemon, "dengar_source_errors_total", source="warga-rss", kind=kind) >= 2
        assert metric(daemon, "dengar_source_errors_total", source="lapor-311", kind=kind) == 0
        # the runner counts a batch when the writer hands back its commit, a moment after it is visible
        await wait_for(lambda: metric(daemon, "dengar_items_ingested_total", source="lapor-311") == len(open311_ids),
                       "the healthy source's items counted as ingested")
        if fault is Fault.RATE_LIMITED:
            assert metric(daemon, "dengar_rate_limit_waits_total", source="warga-rss") >= 2

        client = await aiohttp_client(create_health_app(daemon))
        health = await client.get("/healthz")
        assert health.status == 200
        body = await health.json()
        assert body["status"] == "ok" and body["database"] == "ok" and body["writer"] == "running"
        assert body["sources"]["warga-rss"]["state"] == expected_state
        assert body["sources"]["lapor-311"]["state"] == "ok"
        exposition = await (await client.get("/metrics")).text()
        assert f'dengar_source_errors_total{{kind="{kind}",source="warga-rss"}}' in exposition
        assert 'dengar_source_state{dengar_source_state="ok",source="lapor-311"} 1.0' in exposition
        assert 'dengar_source_lag_seconds{source="lapor-311"}' in exposition

        stand_ins.feeds.faults.heal()  # the failing source recovers on its own schedule
        everything = set(stand_ins.published)
        await wait_for(lambda: everything <= set(stored_keys(daemon.engine)), "the recovered source's messages")
        await wait_for(lambda: daemon.runner("warga-rss").status.state == "ok", "the feed to be ok again")
    assert sorted(stored_keys(daemon.engine)) == sorted(everything)
    assert all(state.lease_owner is None for state in all_states(daemon.engine).values()), "leases given back"


async def test_a_permanent_failure_waits_long_and_says_why(stand_ins: StandIns, tmp_path: Path) -> None:
    stand_ins.feeds.faults.arm(Fault.NOT_FOUND)
    daemon = make_daemon(write_config(tmp_path / "dengar.toml", stand_ins, interval=0.2), f"sqlite:///{tmp_path / 'd.db'}")
    async with Running(daemon):
        await wait_for(lambda: daemon.runner("warga-rss").status.failures >= 1, "the 404")
        status = daemon.runner("warga-rss").status
        assert status.state == "failed"
        assert status.next_attempt_at is not None
        assert status.next_attempt_at - datetime.now(UTC) > timedelta(minutes=55)
        assert "404" in (status.last_error or "")
        assert metric(daemon, "dengar_source_errors_total", source="warga-rss", kind="failed") == 1


async def test_a_slow_database_holds_the_collectors_back(stand_ins: StandIns, tmp_path: Path) -> None:
    """While another process holds the write lock, runners wait on the bounded queue and fetch no further pages."""
    stand_ins.publish(complaint_messages(20, datetime.now(UTC) - timedelta(hours=1)))
    path = tmp_path / "d.db"
    daemon = make_daemon(write_config(tmp_path / "dengar.toml", stand_ins, interval=0.2, queue_size=1), f"sqlite:///{path}")
    other_writer = sqlite3.connect(path, isolation_level=None)
    async with Running(daemon):
        await wait_for(lambda: len(stored_keys(daemon.engine)) >= 2, "a first batch stored")
        other_writer.execute("BEGIN IMMEDIATE")  # the database is busy with someone else's long transaction
        try:
            await wait_for(lambda: metric(daemon, "dengar_writer_database_errors_total") >= 2,
                           "the writer to keep a batch it cannot commit")
            assert metric(daemon, "dengar_database_up") == 0
            stored_then = len(stored_keys(daemon.engine))
            served_then = (len(stand_ins.open311.queries), stand_ins.feeds.requests)
            errors_then = metric(daemon, "dengar_writer_database_errors_total")
            while metric(daemon, "dengar_writer_database_errors_total") < errors_then + 1:
                # look again after each retry of the writer: nothing moves while it cannot commit
                await asyncio.sleep(0.1)
                assert daemon.writer.queue.qsize() <= 1
                assert (len(stand_ins.open311.queries), stand_ins.feeds.requests) == served_then, \
                    "a runner fetched more while its batch was not committed"
            assert len(stored_keys(daemon.engine)) == stored_then
        finally:
            other_writer.execute("ROLLBACK")
        everything = set(stand_ins.published)
        await wait_for(lambda: everything <= set(stored_keys(daemon.engine)), "everything once the database is free")
    other_writer.close()
    assert sorted(stored_keys(daemon.engine)) == sorted(everything)
