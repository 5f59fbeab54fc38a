"""`dengar outbox` and `dengar config check` through the real CLI, with the Open311 stand-in in its own thread."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from dengar.cli import main
from dengar.standins.open311 import Open311State, create_app
from tests.dengar.delivery.outbox_world import forward, imported_engine


@pytest.fixture
def crm_server() -> Iterator[tuple[Open311State, str]]:
    """The stand-in on a loop of its own: the CLI runs its own event loop."""
    state = Open311State(api_key="kunci-cli")
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, object] = {}

    async def start() -> None:
        runner = web.AppRunner(create_app(state))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        holder["runner"], holder["port"] = runner, runner.addresses[0][1]
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    assert started.wait(10)
    yield state, f"http://127.0.0.1:{holder['port']}/open311/v2"
    asyncio.run_coroutine_threadsafe(holder["runner"].cleanup(), loop).result(10)  # type: ignore[union-attr]
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def write_config(tmp_path: Path, url: str, **crm: object) -> Path:
    lines = ["[crm]", "enabled = true", f'url = "{url}"', 'api_key_env = "DENGAR_CRM_KEY"']
    for key, value in crm.items():
        if isinstance(value, dict):  # a TOML inline table
            value = "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items()) + " }"
            lines.append(f"{key} = {value}")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    path = tmp_path / "dengar.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def outbox_rows(capsys, *argv: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    status = main(["outbox", "--json", *argv])
    return status, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_deliver_once_lists_states_and_a_failed_row_can_be_retried(sqlite_url, tmp_path, crm_server, capsys, monkeypatch):
    state, url = crm_server
    engine = imported_engine(sqlite_url)
    ids = forward(engine, 2)
    config = write_config(tmp_path, url, max_attempts=1)
    monkeypatch.setenv("DENGAR_CRM_KEY", "kunci-cli")
    common = ["--db", sqlite_url, "--config", str(config)]

    status, rows = outbox_rows(capsys, *common)
    assert status == 0 and {r["id"]: r["state"] for r in rows} == {i: "queued" for i in ids}

    state.reject_with = [{"code": 400, "description": "Lokasi di luar wilayah"}]
    status, rows = outbox_rows(capsys, "--deliver-once", *common)
    assert status == 1
    assert {r["state"] for r in rows} == {"failed"} and all("Lokasi di luar wilayah" in r["last_error"] for r in rows)

    state.reject_with = None
    status, rows = outbox_rows(capsys, "--deliver-once", *common)
    assert status == 0 and {r["state"] for r in rows} == {"failed"}  # a failed row waits for an operator
    status, rows = outbox_rows(capsys, "--retry", str(ids[0]), "--deliver-once", *common)
    assert status == 0
    by_id = {r["id"]: r for r in rows}
    assert by_id[ids[0]]["state"] == "delivered" and by_id[ids[0]]["crm_request_id"] == state.created[0]["service_request_id"]
    assert by_id[ids[1]]["state"] == "failed" and len(state.created) == 1

    assert main(["outbox", "--retry", str(ids[0]), *common]) == 2  # delivered: nothing to retry
    capsys.readouterr()
    assert main(["outbox", *common]) == 0
    text = capsys.readouterr().out
    assert f"#{ids[0]}" in text and "delivered" in text and "Lokasi di luar wilayah" in text
    engine.dispose()


def test_config_check_reports_crm_and_a_missing_secret(sqlite_url, tmp_path, capsys, monkeypatch):
    config = write_config(tmp_path, "https://crm.example.org/open311/v2", service_code_map={"banjir": "FLOOD"})
    monkeypatch.delenv("DENGAR_CRM_KEY", raising=False)
    assert main(["config", "check", "--config", str(config), "--db", sqlite_url]) == 2
    captured = capsys.readouterr()
    assert "api_key_env" in captured.out and "DENGAR_CRM_KEY" in captured.out
    monkeypatch.setenv("DENGAR_CRM_KEY", "rahasia-sekali")
    assert main(["config", "check", "--config", str(config), "--db", sqlite_url]) == 0
    captured = capsys.readouterr()
    assert "CRM delivery: open311 at https://crm.example.org/open311/v2" in captured.out
    assert "rahasia-sekali" not in captured.out + captured.err


def test_crm_settings_errors_name_the_field(sqlite_url, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    for body, expected in (('[crm]\nenabled = true\nkind = "open311"\n', "url is required"),
                           ('[crm]\nkind = "soap"\n', "crm.kind"),
                           ('[crm]\nurl = "ftp://x"\n', "crm.url"),
                           ('[crm]\nmax_attempts = 0\n', "crm.max_attempts"),
                           ('[crm]\n[crm.service_code_map]\nbukan_kategori = "X"\n', "service_code_map")):
        bad.write_text(body, encoding="utf-8")
        assert main(["config", "check", "--config", str(bad), "--db", sqlite_url]) == 2
        assert expected in capsys.readouterr().err
