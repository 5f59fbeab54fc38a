"""The daemon with the X, e-mail and Qlue collectors beside Open311 and RSS: an X rate-limit storm waits
for the time X gave while the others ingest, mail appended to a real Dovecot arrives through IDLE, and
a Qlue feed is polled with conditional GETs."""

from __future__ import annotations

import asyncio
import email.policy
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from dengar.app import build_pipeline, database
from dengar.daemon.daemon import Daemon
from dengar.settings import load_settings
from dengar.standins.x_api import Fault as XFault
from sink.source_state import all_states
from tests.collectors.live.dovecot import DovecotServer, dovecot_or_skip
from tests.dengar.daemon.worlds import (
    FOUR_CHANNELS, X_TOKEN, X_TOKEN_ENV, StandIns, complaint_messages, serve_stand_ins, stored_keys, wait_for,
    write_config,
)

IMAP_PASSWORD_ENV = "DENGAR_TEST_IMAP_PASSWORD"
X_WINDOW = timedelta(minutes=15)  # X's rate-limit window: the wait when a 429 does not say when
SLACK = timedelta(seconds=5)  # the daemon arrives a little after a server-given time, never before


class Running:
    """A daemon serving in a background task of the test's loop."""

    def __init__(self, config: Path, db_url: str, environ: dict[str, str]) -> None:
        settings = load_settings(config, db_url)
        engine = database(settings)
        self.daemon = Daemon(settings, engine, build_pipeline(settings, engine), environ, rng=random.Random(11))
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
    return daemon.metrics.registry.get_sample_value(name, labels) or 0.0


def assert_once_each(daemon: Daemon, expected: set[tuple[str, str]]) -> None:
    keys = stored_keys(daemon.engine)
    assert len(keys) == len(set(keys)), "an item was stored twice"
    assert set(keys) == expected


@pytest.fixture
async def stand_ins(aiohttp_server: Any) -> StandIns:
    return await serve_stand_ins(aiohttp_server, channels=FOUR_CHANNELS)


# ---- X: a 429 storm ---------------------------------------------------------------------------------

@pytest.mark.parametrize("gives_reset", [True, False], ids=["x-rate-limit-reset", "no-reset"])
async def test_an_x_rate_limit_storm_waits_for_x_while_the_others_ingest(
        gives_reset: bool, stand_ins: StandIns, tmp_path: Path) -> None:
    messages = complaint_messages(24, datetime.now(UTC) - timedelta(hours=1), FOUR_CHANNELS)
    stand_ins.publish(messages[:12])  # three tweets
    stand_ins.publish(complaint_messages(12, datetime.now(UTC) - timedelta(hours=2), ("twitter",)))  # two X pages
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3)
    async with Running(config, f"sqlite:///{tmp_path / 'd.db'}", {X_TOKEN_ENV: X_TOKEN}) as daemon:
        first = set(stand_ins.published)
        await wait_for(lambda: first <= set(stored_keys(daemon.engine)), "every source's first messages")
        x = daemon.runner("x-dki")
        await wait_for(lambda: x.status.last_success is not None, "the X run to finish")
        assert x.status.state == "ok"

        stand_ins.x_api.rate_limit_reset_at = int(time.time()) + 600 if gives_reset else None
        stand_ins.x_api.fail(XFault.RATE_LIMITED if gives_reset else XFault.RATE_LIMITED_NO_RESET, times=10_000)
        requests_before = len(stand_ins.x_api.requests)
        storm_began = datetime.now(UTC)
        stand_ins.publish(messages[12:])  # the storm hides these tweets; the other channels bring theirs
        await wait_for(lambda: x.status.state == "rate_limited", "the X source to be rate-limited")
        storm_seen = datetime.now(UTC)

        others = {key for key in stand_ins.published if key[0] != "twitter"}
        await wait_for(lambda: others <= set(stored_keys(daemon.engine)), "the other sources' later messages")
        assert {r.status.state for r in daemon.runners if r.name != "x-dki"} == {"ok"}

        due = x.status.next_attempt_at
        assert due is not None
        if gives_reset:
            reset = datetime.fromtimestamp(stand_ins.x_api.rate_limit_reset_at or 0, UTC)
            assert reset <= due <= reset + SLACK
        else:
            assert storm_began + X_WINDOW <= due <= storm_seen + X_WINDOW + SLACK
        stored = all_states(daemon.engine)["x-dki"]
        assert stored.state == "rate_limited" and stored.next_attempt_at == due
        assert "rate limit" in (stored.last_error or "")
        assert len(stand_ins.x_api.requests) == requests_before + 1, "one 429, then no request before the time X gave"
        assert metric(daemon, "dengar_rate_limit_waits_total", source="x-dki") == 1
        assert metric(daemon, "dengar_source_errors_total", source="x-dki", kind="rate_limited") == 1
    expected = {key for key in stand_ins.published if key[0] != "twitter" or key in first}
    assert_once_each(daemon, expected)


# ---- e-mail: a real Dovecot ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    yield from dovecot_or_skip()


def complaint_mail(number: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"Warga {number} <warga{number}@example.net>"
    message["To"] = "pengaduan@example.go.id"
    message["Subject"] = f"Sampah menumpuk di Jl. Kenanga {number}, Kelurahan Cideng"
    message["Date"] = "Tue, 14 Jan 2025 08:30:00 +0700"
    message["Message-ID"] = f"<daemon-aduan-{number}@example.net>"
    message.set_content(f"Selamat pagi, sampah di depan rumah nomor {number} belum diangkut seminggu.")
    return message.as_bytes(policy=email.policy.SMTP)


async def test_mail_appended_while_the_daemon_runs_arrives_through_idle(
        dovecot: DovecotServer, stand_ins: StandIns, tmp_path: Path) -> None:
    """The mail source polls every ten minutes; only IDLE can bring the appended mail in sooner."""
    username, password = dovecot.add_user()
    with dovecot.mailbox(username, password) as mailbox:
        for number in (1, 2):
            mailbox.append(complaint_mail(number))
    stand_ins.publish(complaint_messages(4, datetime.now(UTC) - timedelta(hours=1)))
    mail = (f'[[sources]]\nname = "dki-mail"\ntype = "email"\ninterval = 600\nhost = "127.0.0.1"\n'
            f'port = {dovecot.port}\ntls = false\nusername = "{username}"\npassword_env = "{IMAP_PASSWORD_ENV}"\n'
            "idle = true\ntimeout = 20\n")
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3)
    config.write_text(config.read_text() + mail)
    expected = set(stand_ins.published) | {("email", f"daemon-aduan-{n}@example.net") for n in (1, 2)}
    async with Running(config, f"sqlite:///{tmp_path / 'd.db'}", {IMAP_PASSWORD_ENV: password, X_TOKEN_ENV: X_TOKEN}) as daemon:
        runner = daemon.runner("dki-mail")
        await wait_for(lambda: expected <= set(stored_keys(daemon.engine)), "the mail already in the box")
        assert runner.status.runs == 1
        with dovecot.mailbox(username, password) as mailbox:
            mailbox.append(complaint_mail(3))
        expected.add(("email", "daemon-aduan-3@example.net"))
        await wait_for(lambda: expected <= set(stored_keys(daemon.engine)), "the appended mail", deadline_seconds=120)
        assert runner.status.runs == 2, "one run woken by the server's news, not by the ten-minute schedule"
        assert runner.status.state == "ok"
        due = runner.status.next_attempt_at
        assert due is not None and due > datetime.now(UTC) + timedelta(minutes=5), "the schedule itself is unchanged"
        assert metric(daemon, "dengar_items_ingested_total", source="dki-mail") == 3
    assert_once_each(daemon, expected)
    inbox = all_states(daemon.engine)["dki-mail"].cursor["mailboxes"]["INBOX"]
    assert inbox["last_uid"] == 3 and inbox["uidvalidity"] == dovecot_uidvalidity(dovecot, username, password)


def dovecot_uidvalidity(dovecot: DovecotServer, username: str, password: str) -> int:
    with dovecot.mailbox(username, password) as mailbox:
        return mailbox.uidvalidity()


# ---- Qlue ------------------------------------------------------------------------------------------

async def test_a_qlue_source_is_polled_with_conditional_gets(stand_ins: StandIns, tmp_path: Path) -> None:
    messages = complaint_messages(16, datetime.now(UTC) - timedelta(hours=1), ("qlue", "rss"))
    stand_ins.publish(messages[:8])
    config = write_config(tmp_path / "dengar.toml", stand_ins, interval=0.3)
    async with Running(config, f"sqlite:///{tmp_path / 'd.db'}", {X_TOKEN_ENV: X_TOKEN}) as daemon:
        await wait_for(lambda: stand_ins.published <= set(stored_keys(daemon.engine)), "the first reports")
        await wait_for(lambda: stand_ins.qlue.not_modified >= 2, "unchanged report feeds answered with 304")
        stand_ins.publish(messages[8:])
        await wait_for(lambda: stand_ins.published <= set(stored_keys(daemon.engine)), "the later reports")
        # the counter moves when the commit is handed back, a moment after the rows are visible
        await wait_for(lambda: metric(daemon, "dengar_items_ingested_total", source="qlue-jakarta") >= 8, "the ingested counter")
        qlue = daemon.runner("qlue-jakarta").status
        assert qlue.state == "ok" and qlue.failures == 0
        assert metric(daemon, "dengar_items_ingested_total", source="qlue-jakarta") == 8
        cursor = all_states(daemon.engine)["qlue-jakarta"].cursor
        assert cursor.get("etag") and cursor.get("newest_post_date")
    assert_once_each(daemon, stand_ins.published)
