"""`dengar run` with the console enabled, as a separate process: the console, /healthz and /metrics on one port."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from sink.database import ensure_schema, open_engine
from tests.dengar.daemon.worlds import (
    REPO_ROOT, complaint_messages, free_port, serve_stand_ins, start_daemon, stored_keys, tail, wait_for, write_config,
)

PASSWORD = "kata-sandi-operator-uji"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


async def add_operator(db_url: str) -> None:
    """`dengar user add`, reading the password from standard input as it does without a terminal."""
    env = {k: v for k, v in os.environ.items() if k not in ("DENGAR_CONFIG", "DENGAR_DATABASE_URL")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dengar", "user", "add", "petugas", "--role", "operator", "--db", db_url,
        cwd=REPO_ROOT, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate((PASSWORD + "\n").encode())
    assert process.returncode == 0, (out + err).decode()


async def test_run_serves_the_console_with_health_and_metrics_on_one_port(aiohttp_server: Any, tmp_path: Path) -> None:
    stand_ins = await serve_stand_ins(aiohttp_server)
    stand_ins.publish(complaint_messages(6, datetime.now(UTC) - timedelta(hours=1)))
    db_url = f"sqlite:///{tmp_path / 'd.db'}"
    engine = open_engine(db_url)
    ensure_schema(engine)
    await add_operator(db_url)
    port = free_port()
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3, port=port)
    config.write_text(config.read_text().replace("[console]\nenabled = false\n", "[console]\nenabled = true\n"))
    log = tmp_path / "daemon.log"
    process = await start_daemon(config, db_url, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_for(lambda: set(stored_keys(engine)) >= stand_ins.published, "the sources to be collected",
                       process=process, log=log)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{base}/login") as response:
                assert response.status == 200, tail(log)
                page = await response.text()
            assert 'name="password"' in page
            token = CSRF_INPUT.search(page)
            assert token is not None
            form = {"csrf_token": token.group(1), "username": "petugas", "password": PASSWORD, "next": "/"}
            async with http.post(f"{base}/login", data=form, allow_redirects=False) as response:
                assert response.status == 303 and not response.headers["Location"].startswith("/login")
            async with http.get(f"{base}/", allow_redirects=False) as response:
                assert response.status == 200, "the console answers a signed-in operator from the daemon's port"

            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200 and response.content_type == "application/json"
                health = await response.json()
            assert health["status"] == "ok" and health["database"] == "ok" and health["writer"] == "running"
            assert set(health["sources"]) == {"lapor-311", "warga-rss"}
            assert health["sources"]["lapor-311"]["channel"] == "open311"

            async with http.get(f"{base}/metrics") as response:
                assert response.status == 200 and response.content_type == "text/plain"
                exposition = await response.text()
            assert re.search(r'^dengar_items_ingested_total\{source="lapor-311"\} 3\.0$', exposition, re.M), exposition
            assert "dengar_database_up 1.0" in exposition
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=10)  # the bound on stopping
    assert code == 0, tail(log)
    assert "SIGTERM received" in log.read_text()
