"""`dengar demo` as a user runs it: a subprocess, its stand-ins on loopback, a SQLite file, the console."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from sqlalchemy import create_engine, func, select

from dengar.app import database
from dengar.demo import collect_once, console_port
from dengar.demo_backlog import StoreOnly
from dengar.demo_config import IMAP_PASSWORD_ENV, X_TOKEN_ENV, render_config
from dengar.demo_queries import join_queries, queries_for
from dengar.demo_standins import DemoStandins
from dengar.daemon.source_check import check_sources
from dengar.settings import load_settings
from dengar.standins.qlue import QlueState
from dengar.standins.qlue import create_app as create_qlue_app
from dengar.standins.x_api import XApiState
from dengar.standins.x_query import TweetView, compile_query
from sink.models import RawItemRow

STARTUP_GUARD_SECONDS = 180  # only so a broken demo fails the test instead of hanging it
STOP_SECONDS = 10
CONSOLE_LINE = re.compile(r"console\s+(http://127\.0\.0\.1:(\d+)/)")
LOGIN_LINE = re.compile(r"login\s+demo / (\S+)")


def clean_env() -> dict[str, str]:
    """The user's environment without dengar's own variables (the demo must not need or follow them)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("DENGAR_")}


def dengar(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dengar", *argv], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=STARTUP_GUARD_SECONDS)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def exported_mentions(url: str, cwd: Path) -> list[dict]:
    done = dengar("export", "mentions", "--format", "jsonl", "--db", url, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def ticket_partition(mentions: list[dict]) -> set[frozenset[tuple[str, str]]]:
    groups: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        if mention["ticket_id"] is not None:
            groups[mention["ticket_id"]].add((mention["channel"], mention["external_id"]))
    return {frozenset(group) for group in groups.values()}


def summary_rows(output: str) -> dict[str, tuple[str, int, int, int, int]]:
    """source -> (channel, stored, new, quarantined, tickets) from the --once summary table."""
    rows = {}
    for line in output.splitlines():
        match = re.match(r"^(\S+)\s+(twitter|instagram|email|rss|open311|qlue)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", line)
        if match:
            rows[match.group(1)] = (match.group(2), *(int(match.group(n)) for n in range(3, 7)))
    return rows


# ---- --once ----------------------------------------------------------------------------------------

def test_once_stores_every_sample_message_once_with_the_tickets_of_an_import(tmp_path: Path, repo_root: Path) -> None:
    demo_dir = tmp_path / "demo"
    first = dengar("demo", "--once", "--dir", str(demo_dir), cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    demo_url = sqlite_url(demo_dir / "dengar.db")
    assert (demo_dir / "dengar.toml").is_file() and demo_url in first.stdout

    truth = {(row["channel"], row["external_id"])
             for row in map(json.loads, (repo_root / "samples" / "truth.jsonl").read_text(encoding="utf-8").splitlines())}
    mentions = exported_mentions(demo_url, tmp_path)
    keys = [(m["channel"], m["external_id"]) for m in mentions]
    assert len(keys) == len(set(keys)) == len(truth)
    assert set(keys) == truth

    rows = summary_rows(first.stdout)
    assert set(rows) >= {"x-demo", "open311-demo", "qlue-demo", "email-demo", "samples-instagram"}
    assert "samples-email" not in rows and rows["email-demo"][0] == "email"
    assert sum(stored for _, stored, _, _, _ in rows.values()) == len(truth)
    assert all(new == stored for _, stored, new, _, _ in rows.values())
    by_channel: dict[str, int] = defaultdict(int)
    for channel, stored, *_ in rows.values():
        by_channel[channel] += stored
    assert dict(by_channel) == {channel: sum(1 for c, _ in truth if c == channel) for channel, _ in truth}
    live = {name for name, (channel, *_) in rows.items() if channel not in ("email", "instagram")}
    engine = create_engine(demo_url)
    with engine.connect() as connection:
        origins = connection.execute(select(RawItemRow.origin).where(RawItemRow.source.in_(live))).scalars().all()
        mail = connection.execute(select(RawItemRow.origin, RawItemRow.source)
                                  .where(RawItemRow.channel == "email")).all()
    engine.dispose()
    assert origins and all(origin.startswith("http://127.0.0.1:") for origin in origins)  # came over the wire
    assert len(mail) == by_channel["email"] and all(  # every e-mail sample came over IMAP
        source == "email-demo" and origin.startswith("imap://127.0.0.1:") for origin, source in mail)

    import_url = sqlite_url(tmp_path / "import.db")
    imported = dengar("import", *sorted(str(p) for p in (repo_root / "samples").iterdir() if p.is_dir()),
                      "-q", "--db", import_url, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert ticket_partition(mentions) == ticket_partition(exported_mentions(import_url, tmp_path))

    second = dengar("demo", "--once", "--dir", str(demo_dir), cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    again = summary_rows(second.stdout)
    assert {name: stored for name, (_, stored, *_) in again.items()} == {name: stored for name, (_, stored, *_) in rows.items()}
    assert all(new == 0 for _, _, new, _, _ in again.values())
    assert exported_mentions(demo_url, tmp_path) == mentions
    engine = create_engine(demo_url)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(RawItemRow)).scalar_one() == len(truth)
    engine.dispose()
    assert LOGIN_LINE.search(first.stdout) and not LOGIN_LINE.search(second.stdout)  # the password is shown once


# ---- the long-running demo -------------------------------------------------------------------------

def read_lines(stream, lines: queue.Queue[str | None]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        lines.put(line)
    lines.put(None)


def test_running_demo_serves_the_console_and_stops_on_sigterm(tmp_path: Path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    taken = busy.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "dengar", "demo", "--dir", str(tmp_path / "demo"), "--port", str(taken)],
                               cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True).start()
    output: list[str] = []
    try:
        url = password = None
        while url is None:
            line = lines.get(timeout=STARTUP_GUARD_SECONDS)
            assert line is not None, "".join(output) + process.stderr.read()  # type: ignore[union-attr]
            output.append(line)
            if match := LOGIN_LINE.search(line):
                password = match.group(1)
            if match := CONSOLE_LINE.search(line):
                url, port = match.group(1), int(match.group(2))
        while not any(line.startswith("stop:") for line in output):
            line = lines.get(timeout=STARTUP_GUARD_SECONDS)
            assert line is not None, "".join(output)
            output.append(line)
            if match := LOGIN_LINE.search(line):
                password = match.group(1)
        text = "".join(output)
        assert port != taken and f"port {taken} is busy" in text
        assert password is not None

        health = requests.get(url + "healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert set(health.json()["sources"]) >= {"x-demo", "open311-demo", "qlue-demo"}
        assert requests.get(url + "metrics", timeout=10).status_code == 200

        browser = requests.Session()
        login_page = browser.get(url + "login", timeout=10)
        assert login_page.status_code == 200 and 'name="password"' in login_page.text
        token = browser.cookies.get("dengar_login_csrf")
        signed_in = browser.post(url + "login", data={"username": "demo", "password": password, "csrf_token": token,
                                                      "next": "/"}, timeout=10)
        assert signed_in.status_code == 200 and not signed_in.url.endswith("/login")
        refused = requests.post(url + "login", data={"username": "demo", "password": "wrong-password"}, timeout=10)
        assert refused.status_code == 403  # no CSRF token: the console refuses before looking at the password

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_SECONDS) == 0
        while (line := lines.get(timeout=STARTUP_GUARD_SECONDS)) is not None:
            output.append(line)
        assert "dengar demo stopped" in "".join(output)
        with pytest.raises(requests.ConnectionError):
            requests.get(url + "healthz", timeout=5)
    finally:
        busy.close()
        if process.poll() is None:
            process.kill()
            process.wait()


# ---- the parts ----------------------------------------------------------------------------------------

def test_console_port_keeps_a_free_port_and_replaces_a_busy_one() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    assert console_port(free) == (free, None)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        port, note = console_port(taken)
    assert port != taken and note is not None and str(taken) in note
    assert console_port(0)[0] > 0


def test_demo_queries_find_every_sample_tweet_and_respect_the_length_limit(repo_root: Path) -> None:
    state = XApiState(recent_window=None)
    assert state.load_samples(repo_root / "samples" / "twitter") > 0
    names = {user_id: str(user.get("username", "")) for user_id, user in state.users.items()}
    tweets = [published.tweet for published in state.tweets.values()]
    queries = queries_for(tweets, names)
    predicates = [compile_query(query) for query in queries]
    assert all(any(p(TweetView.of(tweet, names)) for p in predicates) for tweet in tweets)
    assert join_queries(["alpha", "bravo", "charlie"], limit=14) == ["alpha OR bravo", "charlie"]
    wordless = {"id": "1", "text": "🙏 !!", "author_id": "7"}
    assert queries_for([wordless], {"7": "warga_7"}) == ["from:warga_7"]


async def test_written_configuration_is_valid_and_every_source_runs_with_the_token(repo_root: Path, tmp_path: Path) -> None:
    standins = DemoStandins(repo_root / "samples", "token-for-this-test")
    endpoints = await standins.start()
    try:
        path = tmp_path / "dengar.toml"
        path.write_text(render_config(sqlite_url(tmp_path / "x.db"), 8080, endpoints), encoding="utf-8")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["console"] == {"enabled": True, "host": "127.0.0.1", "port": 8080}
        settings = load_settings(path, sqlite_url(tmp_path / "x.db"))
        secrets = {X_TOKEN_ENV: "token-for-this-test", IMAP_PASSWORD_ENV: standins.imap_password}
        with_token = [c.verdict for c in check_sources(settings, secrets)]
        assert with_token == ["ok"] * len(settings.sources)
        without = {c.name: c.verdict for c in check_sources(settings, {})}
        assert without["x-demo"] == without["email-demo"] == "unusable"  # the secrets live only in the demo process
        written = path.read_text(encoding="utf-8")
        assert "token-for-this-test" not in written and standins.imap_password not in written
        async with aiohttp.ClientSession() as client, client.get(endpoints.feeds[0].url) as feed:
            assert feed.status == 200 and feed.headers["ETag"]
    finally:
        await standins.stop()


async def test_one_pass_reports_a_failing_source_and_stores_the_others(repo_root: Path, tmp_path: Path,
                                                                       aiohttp_server: Any) -> None:
    """A source whose server is gone fails alone, with the reason; the others are stored, unprocessed until asked."""
    state = QlueState()
    reports = state.load_samples(repo_root / "samples" / "qlue")
    server = await aiohttp_server(create_qlue_app(state))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        gone = closed.getsockname()[1]
    path = tmp_path / "dengar.toml"
    path.write_text(f"""
[[sources]]
name = "qlue-ok"
type = "qlue"
url = "{server.make_url('/reports.json')}"

[[sources]]
name = "open311-gone"
type = "open311"
url = "http://127.0.0.1:{gone}/requests.json"
""", encoding="utf-8")
    settings = load_settings(path, sqlite_url(tmp_path / "pass.db"))
    engine = database(settings)
    try:
        new, failures = await collect_once(settings, engine, StoreOnly(engine), {})
        assert new == {"qlue-ok": reports, "open311-gone": 0}
        assert set(failures) == {"open311-gone"} and failures["open311-gone"].startswith("temporary")
        with engine.connect() as connection:
            states = connection.execute(select(RawItemRow.state, func.count()).group_by(RawItemRow.state)).all()
        assert states == [("new", reports)]  # stored raw, waiting for the one processing pass
    finally:
        engine.dispose()
