"""`dengar run` as a real separate process against stand-ins served by this test: SIGKILL at random points,
SIGTERM, a database that goes away, two daemons sharing one PostgreSQL, and `dengar collect`/`sources`."""

from __future__ import annotations

import asyncio
import json
import random
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import Engine, update
from sqlalchemy.engine import make_url

from dengar.app import build_pipeline, database
from dengar.daemon.daemon import Daemon
from dengar.daemon.lease_owner import parse_owner
from dengar.daemon.writer import PROCESSING_LEASE
from dengar.settings import load_settings
from dengar.standins.faults import Fault
from sink.database import ensure_schema, open_engine
from sink.models import RawItemRow
from sink.source_state import all_states
from tests.dengar.daemon.worlds import (
    FOUR_CHANNELS, X_TOKEN, X_TOKEN_ENV, StandIns, TcpProxy, complaint_messages, free_port, kill, run_cli,
    serve_stand_ins, start_daemon, stored_keys, tail, ticket_partition, unprocessed, wait_for, write_config,
)

SEED = 20261130


def opened(url: str) -> Engine:
    engine = open_engine(url)
    ensure_schema(engine)
    return engine


def all_stored(engine: Engine, stand_ins: StandIns) -> bool:
    keys = stored_keys(engine)
    return set(keys) >= stand_ins.published


def settled(engine: Engine, stand_ins: StandIns) -> bool:
    return all_stored(engine, stand_ins) and unprocessed(engine) == 0


def assert_stored_exactly_once(engine: Engine, stand_ins: StandIns) -> None:
    keys = stored_keys(engine)
    assert len(keys) == len(set(keys))
    assert set(keys) == stand_ins.published
    assert unprocessed(engine) == 0


async def reference_partition(aiohttp_server: Any, tmp_path: Path, stages: list[list[Any]]) -> set[frozenset[Any]]:
    """The tickets of one uninterrupted run (in this process) over the same messages, published the same way."""
    stand_ins = await serve_stand_ins(aiohttp_server, channels=FOUR_CHANNELS)
    folder = tmp_path / "reference"
    folder.mkdir()
    settings = load_settings(write_config(folder / "dengar.toml", stand_ins, interval=0.3), f"sqlite:///{folder / 'd.db'}")
    engine = database(settings)
    daemon = Daemon(settings, engine, build_pipeline(settings, engine), {X_TOKEN_ENV: X_TOKEN}, rng=random.Random(SEED))
    stop = asyncio.Event()
    task = asyncio.create_task(daemon.serve(stop))
    try:
        for stage in stages:
            stand_ins.publish(stage)
            await wait_for(lambda: settled(engine, stand_ins), "the uninterrupted run")
    finally:
        stop.set()
        await task
    return ticket_partition(engine)


async def test_sigkill_at_random_points_loses_nothing_and_doubles_nothing(
        db_url: str, aiohttp_server: Any, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    messages = complaint_messages(40, datetime.now(UTC) - timedelta(hours=3), FOUR_CHANNELS)
    # Two kill points over four channels (Open311, RSS, X, Qlue) keep the test within its time.
    stages = [messages[:16], messages[16:28], messages[28:]]
    stand_ins = await serve_stand_ins(aiohttp_server, channels=FOUR_CHANNELS)
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3, lease_seconds=2)
    engine = opened(db_url)
    log = tmp_path / "daemon.log"
    for stage in stages[:-1]:
        stand_ins.publish(stage)
        before = len(stored_keys(engine))
        process = await start_daemon(config, db_url, "--no-web", log=log)
        # let it get going, then kill it somewhere in the middle of collecting and storing
        await wait_for(lambda: len(stored_keys(engine)) > before, "the daemon to store something", process=process, log=log)
        await asyncio.sleep(rng.uniform(0.0, 1.0))
        assert await kill(process) == -signal.SIGKILL
    stand_ins.publish(stages[-1])
    process = await start_daemon(config, db_url, "--no-web", log=log)
    try:
        await wait_for(lambda: settled(engine, stand_ins), "every published message", process=process, log=log)
    finally:
        code = await kill(process, signal.SIGTERM)
    assert code == 0, tail(log)
    assert_stored_exactly_once(engine, stand_ins)
    partition = ticket_partition(engine)
    assert any(len(ticket) > 1 for ticket in partition), "the messages should merge into shared tickets"
    assert partition == await reference_partition(aiohttp_server, tmp_path, stages)


async def test_a_restart_after_sigkill_takes_the_leases_of_the_dead_daemon_at_once(
        db_url: str, aiohttp_server: Any, tmp_path: Path) -> None:
    """Leases last ten minutes here: the restart collects long before they could expire, because
    the killed daemon, named in them by host and pid, is provably gone."""
    stand_ins = await serve_stand_ins(aiohttp_server)
    messages = complaint_messages(16, datetime.now(UTC) - timedelta(hours=2))
    stand_ins.publish(messages[:8])
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3, lease_seconds=600)
    engine = opened(db_url)
    log = tmp_path / "daemon.log"
    process = await start_daemon(config, db_url, "--no-web", log=log)
    await wait_for(lambda: settled(engine, stand_ins), "the first messages", process=process, log=log)
    assert await kill(process) == -signal.SIGKILL
    held = {name: parse_owner(s.lease_owner or "") for name, s in all_states(engine).items()}
    assert {"lapor-311", "warga-rss", PROCESSING_LEASE} <= set(held)
    assert all(owner is not None and owner.pid == process.pid for owner in held.values()), held
    assert all(s.lease_expires > datetime.now(UTC) + timedelta(minutes=5) for s in all_states(engine).values())

    stand_ins.publish(messages[8:])
    restarted = await start_daemon(config, db_url, "--no-web", log=log)
    try:
        await wait_for(lambda: settled(engine, stand_ins), "the restart to collect and process", deadline_seconds=60,
                       process=restarted, log=log)
        holders = {name: parse_owner(s.lease_owner or "") for name, s in all_states(engine).items()}
        assert all(owner is not None and owner.pid == restarted.pid for owner in holders.values()), holders
    finally:
        code = await kill(restarted, signal.SIGTERM)
    assert code == 0, tail(log)
    assert "no longer running" in log.read_text()
    assert_stored_exactly_once(engine, stand_ins)


async def test_sigterm_stops_promptly_with_cursors_and_leases_in_order(aiohttp_server: Any, tmp_path: Path) -> None:
    stand_ins = await serve_stand_ins(aiohttp_server)
    messages = complaint_messages(24, datetime.now(UTC) - timedelta(hours=2))
    stand_ins.publish(messages[:16])
    db_url = f"sqlite:///{tmp_path / 'd.db'}"
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3, lease_seconds=60)
    engine = opened(db_url)
    log = tmp_path / "daemon.log"
    process = await start_daemon(config, db_url, "--no-web", log=log)
    await wait_for(lambda: len(stored_keys(engine)) >= 2, "a first batch", process=process, log=log)
    process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(process.wait(), timeout=10)  # the bound on stopping
    assert code == 0, tail(log)
    assert "SIGTERM received" in log.read_text()
    states = all_states(engine)
    assert all(s.lease_owner is None for s in states.values()), "leases given back, a restart need not wait"
    # The cursor is where the stored data ends: one more run from it finds the rest, and nothing twice.
    stand_ins.publish(messages[16:])
    for source in ("lapor-311", "warga-rss"):
        code, _, err = await run_cli("collect", source, "--once", "--db", db_url, "--config", str(config))
        assert code == 0, err
        assert f"{source}:" in err and "items collected" in err
    assert_stored_exactly_once(engine, stand_ins)


async def test_collect_once_and_sources_report_state_silence_and_errors(aiohttp_server: Any, tmp_path: Path) -> None:
    stand_ins = await serve_stand_ins(aiohttp_server)
    stand_ins.publish(complaint_messages(8, datetime.now(UTC) - timedelta(hours=2)))
    db_url = f"sqlite:///{tmp_path / 'd.db'}"
    config = write_config(tmp_path / "dengar.toml", stand_ins, extra="silence_min = 0\n")  # applies to warga-rss
    engine = opened(db_url)
    stand_ins.feeds.faults.arm(Fault.SERVER_ERROR)
    code, _, err = await run_cli("collect", "warga-rss", "--once", "--db", db_url, "--config", str(config))
    assert code == 1 and "warga-rss stopped: temporary" in err and "500" in err
    stand_ins.feeds.faults.heal()
    code, _, err = await run_cli("collect", "lapor-311", "--once", "--db", db_url, "--config", str(config))
    assert code == 0 and "4 new" in err, err

    code, out, err = await run_cli("sources", "--db", db_url, "--config", str(config))
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines() if not line.startswith(" ")}
    assert "backing off" in lines["warga-rss"] and "ok" in lines["lapor-311"]
    assert "4 last hour, 4 last day" in lines["lapor-311"]
    assert "last error" in out and "500" in out
    assert "newest_requested" in out  # the cursor is shown

    # The feed has yielded items every ten minutes for hours, then nothing for three hours: silent.
    code, _, err = await run_cli("collect", "warga-rss", "--once", "--db", db_url, "--config", str(config))
    assert code == 0, err
    start = datetime.now(UTC) - timedelta(hours=3)
    with engine.begin() as connection:
        rows = connection.execute(RawItemRow.__table__.select().where(RawItemRow.source == "warga-rss")).all()
        for number, row in enumerate(rows):
            connection.execute(update(RawItemRow).where(RawItemRow.id == row.id)
                               .values(stored_at=start - timedelta(minutes=10 * number)))
    code, out, err = await run_cli("sources", "--json", "--db", db_url, "--config", str(config))
    assert code == 0, err
    rows_by_name = {row["name"]: row for row in map(json.loads, out.splitlines())}
    assert rows_by_name["warga-rss"]["state"] == "silent"
    assert "usually every 10 min" in rows_by_name["warga-rss"]["silence"]
    assert rows_by_name["lapor-311"]["state"] == "ok"
    assert rows_by_name["lapor-311"]["items_last_day"] == 4


@pytest.mark.postgres
async def test_a_database_outage_is_waited_out(postgres_database_url: str, aiohttp_server: Any, tmp_path: Path) -> None:
    url = make_url(postgres_database_url)
    proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    through_proxy = url.set(port=proxy.port).render_as_string(hide_password=False)
    engine = opened(postgres_database_url)  # the test's own view, around the proxy
    stand_ins = await serve_stand_ins(aiohttp_server)
    messages = complaint_messages(24, datetime.now(UTC) - timedelta(hours=2))
    stand_ins.publish(messages[:8])
    port = free_port()
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3, port=port)
    log = tmp_path / "daemon.log"
    process = await start_daemon(config, through_proxy, log=log)
    health = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_for(lambda: settled(engine, stand_ins), "the first messages", process=process, log=log)
            proxy.cut()
            stand_ins.publish(messages[8:16])  # published while the daemon cannot store anything
            answers: list[int] = []

            async def database_reported_down() -> bool:
                async with http.get(f"{health}/healthz") as response:
                    answers.append(response.status)
                    body = await response.json()
                    return response.status == 503 and body["database"] == "unavailable"

            await wait_async(database_reported_down, "/healthz to report the outage", process, log)

            async def runners_backing_off() -> bool:
                async with http.get(f"{health}/metrics") as response:
                    exposition = await response.text()
                return 'kind="database"' in exposition and "dengar_database_up 0.0" in exposition

            await wait_async(runners_backing_off, "the runners to back off from the database", process, log)
            assert process.returncode is None, "the daemon keeps running through the outage"
            proxy.restore()
            stand_ins.publish(messages[16:])
            await wait_for(lambda: settled(engine, stand_ins), "everything after the outage", process=process, log=log)
            async with http.get(f"{health}/healthz") as response:
                assert response.status == 200
    finally:
        code = await kill(process, signal.SIGTERM)
        await proxy.close()
    assert code == 0, tail(log)
    assert_stored_exactly_once(engine, stand_ins)


async def wait_async(condition: Any, what: str, process: Any, log: Path) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + 60
    while True:
        try:
            if await condition():
                return
        except (aiohttp.ClientError, ValueError):
            pass
        if process.returncode is not None:
            raise AssertionError(f"the daemon exited while waiting for {what}\n{tail(log)}")
        if loop.time() > give_up:
            raise AssertionError(f"gave up waiting for {what}\n{tail(log)}")
        await asyncio.sleep(0.2)


@pytest.mark.postgres
async def test_two_daemons_on_one_postgresql_never_collect_the_same_source(
        postgres_database_url: str, aiohttp_server: Any, tmp_path: Path) -> None:
    engine = opened(postgres_database_url)
    stand_ins = await serve_stand_ins(aiohttp_server)
    stand_ins.publish(complaint_messages(16, datetime.now(UTC) - timedelta(hours=2)))
    ports = [free_port(), free_port()]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    configs = [write_config(tmp_path / f"{name}.toml", stand_ins, interval=0.3, lease_seconds=4, port=port, instance=name)
               for name, port in zip(("daemon-a", "daemon-b"), ports)]
    processes = [await start_daemon(c, postgres_database_url, log=l) for c, l in zip(configs, logs)]
    try:
        async with aiohttp.ClientSession() as http:
            async def leases() -> list[dict[str, bool]]:
                found = []
                for port in ports:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        body = await response.json()
                        found.append({name: s["leased_here"] for name, s in body["sources"].items()})
                return found

            async def both_answer_and_all_stored() -> bool:
                await leases()
                return settled(engine, stand_ins)

            await wait_async(both_answer_and_all_stored, "both daemons up and everything stored", processes[0], logs[0])
            for _ in range(5):  # several looks: never both holding one source
                seen = await leases()
                for source in ("lapor-311", "warga-rss"):
                    assert not (seen[0][source] and seen[1][source]), f"{source} leased by both daemons"
                holders = {s.name: s.lease_owner for s in all_states(engine).values()}
                assert set(holders.values()) <= {"daemon-a", "daemon-b"}
                await asyncio.sleep(0.3)
            # One daemon stops: the other takes over its sources.
            assert await kill(processes[0], signal.SIGTERM) == 0, tail(logs[0])

            async def b_holds_everything() -> bool:
                return all((await leases_of_b()).values())

            async def leases_of_b() -> dict[str, bool]:
                async with http.get(f"http://127.0.0.1:{ports[1]}/healthz") as response:
                    body = await response.json()
                    return {name: s["leased_here"] for name, s in body["sources"].items()}

            await wait_async(b_holds_everything, "daemon-b to take over", processes[1], logs[1])
    finally:
        for process in processes:
            await kill(process, signal.SIGTERM)
    assert_stored_exactly_once(engine, stand_ins)
