"""`dengar run`'s outbox task, in the test's loop: it delivers beside (no) sources, survives a 500, counts in /metrics."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from dengar.app import build_pipeline, database
from dengar.daemon.daemon import Daemon
from dengar.settings import ConfigError, load_settings
from dengar.standins.faults import Fault
from dengar.standins.open311 import Open311State, create_app
from sink.outbox import get_entry
from tests.dengar.daemon.worlds import wait_for
from tests.dengar.delivery.outbox_world import forward, imported_engine


def config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "dengar.toml"
    path.write_text("[console]\nenabled = false\n"
                    f'[crm]\nenabled = true\nurl = "{url}"\napi_key_env = "DENGAR_CRM_KEY"\n'
                    "poll_interval = 0.2\nretry_base = 0.2\nretry_cap = 0.5\ntimeout = 5\n", encoding="utf-8")
    return path


def sample(daemon: Daemon, name: str, **labels: str) -> float:
    return daemon.metrics.registry.get_sample_value(name, labels) or 0.0


async def test_the_daemon_delivers_the_outbox_through_a_500(sqlite_url, tmp_path, aiohttp_server):
    state = Open311State(api_key="kunci-daemon")
    server = await aiohttp_server(create_app(state))
    engine = imported_engine(sqlite_url)
    ids = forward(engine, 2)
    engine.dispose()
    settings = load_settings(config(tmp_path, str(server.make_url("/v2"))), sqlite_url)
    engine = database(settings)
    state.post_faults.arm(Fault.SERVER_ERROR)
    daemon = Daemon(settings, engine, build_pipeline(settings, engine), {"DENGAR_CRM_KEY": "kunci-daemon"},
                    rng=random.Random(3))
    stop = asyncio.Event()
    task = asyncio.create_task(daemon.serve(stop))
    try:
        await wait_for(lambda: sample(daemon, "dengar_outbox_failed_attempts_total", kind="server_error") >= 1, "a 500")
        state.post_faults.heal()
        await wait_for(lambda: all(get_entry(engine, i).delivered_at for i in ids)
                       and sample(daemon, "dengar_outbox_backlog", state="pending") == 0, "both rows delivered")
    finally:
        stop.set()
        await task
    assert len(state.created) == 2
    assert sample(daemon, "dengar_outbox_delivered_total", how="posted") + sample(daemon, "dengar_outbox_delivered_total", how="found") == 2
    assert sample(daemon, "dengar_outbox_backlog", state="failed") == 0


def test_the_daemon_will_not_start_without_the_crm_secret(sqlite_url, tmp_path):
    settings = load_settings(config(tmp_path, "http://127.0.0.1:9/v2"), sqlite_url)
    engine = database(settings)
    with pytest.raises(ConfigError, match="DENGAR_CRM_KEY"):
        Daemon(settings, engine, build_pipeline(settings, engine), {}, rng=random.Random(3))
    engine.dispose()
