"""The IMAP collector against a real Dovecot: the contract suite plus every e-mail failure kind."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import imaplib
import itertools
import logging
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from collectors.archive.email import message_external_id
from collectors.content_types import EMAIL
from collectors.live import build_collector
from collectors.live.base import Batch, ConfigProblem, PermanentFailure, TemporaryFailure
from collectors.live.email import EmailCollector
from collectors.live.mime_cut import CUT_HEADER
from normalizer.channels import all_parsers, parse
from normalizer.types import NormalizeError
from sink.database import ensure_schema, open_engine
from sink.models import RawItemRow
from sink.source_state import load_cursor, store_batch
from tests.collectors.live.contract import SOURCE, CollectorContract, closing, run_once, stored_ids
from tests.collectors.live.dovecot import DovecotServer, dovecot_or_skip

PASSWORD_ENV = "DENGAR_TEST_IMAP_PASSWORD"
_serial = itertools.count(1)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    yield from dovecot_or_skip()


@pytest.fixture
def account(dovecot: DovecotServer) -> tuple[str, str]:
    return dovecot.add_user()


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'email.db'}")
    ensure_schema(engine)
    return engine


def complaint(subject: str = "", body: str = "", **headers: str) -> bytes:
    """A citizen's complaint as a mail client would send it (CRLF line ends, a unique Message-ID)."""
    number = next(_serial)
    message = EmailMessage()
    message["From"] = headers.pop("sender", f"Warga {number} <warga{number}@example.net>")
    message["To"] = "pengaduan@example.go.id"
    message["Subject"] = subject or f"Sampah menumpuk di Jl. Kenanga nomor {number}"
    message["Date"] = "Tue, 14 Jan 2025 08:30:00 +0700"
    message["Message-ID"] = f"<aduan-{number}@example.net>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body or f"Selamat pagi, sampah di depan rumah nomor {number} belum diangkut seminggu.")
    return message.as_bytes(policy=email.policy.SMTP)


def collector_for(dovecot: DovecotServer, account: tuple[str, str], **options: Any) -> EmailCollector:
    username, password = account
    settings = {"host": "127.0.0.1", "port": dovecot.port, "tls": False, "username": username,
                "password_env": PASSWORD_ENV, "timeout": 20, **options}
    collector = build_collector(SOURCE, "email", settings, {PASSWORD_ENV: password})
    assert isinstance(collector, EmailCollector)
    return collector


class KickedAfterFirstBatch:
    """The real collector, with the server dropping the session once the first batch is handed over."""

    def __init__(self, inner: EmailCollector, dovecot: DovecotServer, username: str) -> None:
        self.inner, self.dovecot, self.username = inner, dovecot, username
        self.channel = inner.channel
        self.config_model = inner.config_model

    async def collect(self, cursor: dict[str, Any], since: datetime | None = None) -> AsyncIterator[Batch]:
        kicked = False
        async for batch in self.inner.collect(cursor, since):
            yield batch
            if not kicked:
                kicked = True
                await asyncio.to_thread(self.dovecot.kick, self.username)

    async def aclose(self) -> None:
        await self.inner.aclose()


class DovecotWorld:
    channel = "email"

    def __init__(self, dovecot: DovecotServer, account: tuple[str, str]) -> None:
        self.dovecot, self.account = dovecot, account
        self.failing = False

    async def publish(self, count: int) -> list[str]:
        messages = [complaint() for _ in range(count)]
        await asyncio.to_thread(self._append, messages)
        return [message_external_id(message) for message in messages]

    def _append(self, messages: list[bytes]) -> None:
        with self.dovecot.mailbox(*self.account) as mailbox:
            for message in messages:
                mailbox.append(message)

    def fail_after_first_batch(self) -> None:
        self.failing = True

    def heal(self) -> None:
        self.failing = False

    def make_collector(self) -> Any:
        collector = collector_for(self.dovecot, self.account, batch_size=5)
        return KickedAfterFirstBatch(collector, self.dovecot, self.account[0]) if self.failing else collector

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        return sum(entry["last_uid"] for entry in cursor["mailboxes"].values())


class TestEmailContract(CollectorContract):
    @pytest.fixture
    def world(self, dovecot: DovecotServer, account: tuple[str, str]) -> DovecotWorld:
        return DovecotWorld(dovecot, account)


def append(dovecot: DovecotServer, account: tuple[str, str], *messages: bytes, mailbox: str = "INBOX",
           flags: str = "", date: datetime | None = None) -> None:
    with dovecot.mailbox(*account) as session:
        for message in messages:
            if date is None:
                session.append(message, mailbox, flags)
            else:
                status, data = session.connection.append(mailbox, flags or None,
                                                         imaplib.Time2Internaldate(date), message)
                assert status == "OK", data


def payloads(engine: Engine) -> dict[str, bytes]:
    with engine.connect() as connection:
        return dict(connection.execute(select(RawItemRow.external_id, RawItemRow.payload)).all())


async def collect_all(collector: EmailCollector, cursor: dict[str, Any] | None = None,
                      since: datetime | None = None) -> list[Batch]:
    try:
        return [batch async for batch in collector.collect(cursor or {}, since)]
    finally:
        await collector.aclose()


async def test_messages_are_stored_byte_for_byte_as_an_mbox_import_stores_them(dovecot, account, engine):
    messages = [complaint() for _ in range(3)]
    append(dovecot, account, *messages)
    collector = collector_for(dovecot, account)
    result = await closing(collector, lambda c: run_once(c, engine, "email"))
    assert result.error is None
    stored = payloads(engine)
    assert stored == {message_external_id(m): m for m in messages}
    cursor = load_cursor(engine, SOURCE)
    validity = dovecot_uidvalidity(dovecot, account)
    assert cursor == {"mailboxes": {"INBOX": {"uidvalidity": validity, "last_uid": 3}}}


def dovecot_uidvalidity(dovecot: DovecotServer, account: tuple[str, str], mailbox: str = "INBOX") -> int:
    with dovecot.mailbox(*account) as session:
        return session.uidvalidity(mailbox)


async def test_items_carry_the_archive_shape_and_an_imap_url(dovecot, account):
    append(dovecot, account, complaint())
    batches = await collect_all(collector_for(dovecot, account))
    [item] = [item for batch in batches for item in batch.items]
    assert item.channel == "email" and item.content_type == EMAIL and item.source == SOURCE
    assert item.origin.startswith(f"imap://127.0.0.1:{dovecot.port}/INBOX;UIDVALIDITY=")
    assert item.origin.endswith("/;UID=1")
    assert account[0] not in item.origin


async def test_mail_appended_while_a_run_collects_is_taken_by_the_next_run(dovecot, account, engine):
    first = [complaint() for _ in range(7)]
    append(dovecot, account, *first)
    late = [complaint() for _ in range(3)]
    collector = collector_for(dovecot, account, batch_size=3)
    try:
        async for batch in collector.collect(load_cursor(engine, SOURCE)):
            with engine.begin() as connection:
                store_batch(connection, SOURCE, "email", batch.items, batch.cursor)
            if late:
                await asyncio.to_thread(append, dovecot, account, *late)
                late = []
    finally:
        await collector.aclose()
    again = await closing(collector_for(dovecot, account, batch_size=3), lambda c: run_once(c, engine, "email"))
    assert again.error is None
    ids = stored_ids(engine, "email")
    assert len(ids) == len(set(ids)) == 10


async def test_a_new_uidvalidity_reads_the_mailbox_again_without_doubles(dovecot, account, engine, caplog):
    append(dovecot, account, *[complaint() for _ in range(3)])
    assert (await closing(collector_for(dovecot, account), lambda c: run_once(c, engine, "email"))).error is None
    old = load_cursor(engine, SOURCE)["mailboxes"]["INBOX"]["uidvalidity"]
    dovecot.set_uidvalidity(account[0], "INBOX", old + 1000)
    append(dovecot, account, *[complaint() for _ in range(2)])
    with caplog.at_level(logging.WARNING, logger="collectors.live.email"):
        batches = await collect_all(collector_for(dovecot, account), load_cursor(engine, SOURCE))
    # every message is read again (5), and storage keeps one of each
    assert sum(len(batch.items) for batch in batches) == 5
    assert batches[-1].cursor == {"mailboxes": {"INBOX": {"uidvalidity": old + 1000, "last_uid": 5}}}
    assert any("UIDVALIDITY" in record.getMessage() and str(old + 1000) in record.getMessage()
               for record in caplog.records)
    for batch in batches:
        with engine.begin() as connection:
            store_batch(connection, SOURCE, "email", batch.items, batch.cursor)
    ids = stored_ids(engine, "email")
    assert len(ids) == len(set(ids)) == 5


def with_attachment(size: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Warga <warga@example.net>"
    message["To"] = "pengaduan@example.go.id"
    message["Subject"] = "Foto jalan berlubang di Kel. Cawang"
    message["Message-ID"] = f"<foto-{next(_serial)}@example.net>"
    message.set_content("Jalan berlubang besar di depan SDN 05, sudah dua motor jatuh. Foto terlampir.")
    message.add_attachment(bytes(range(256)) * (size // 256), maintype="image", subtype="jpeg",
                           filename="lubang.jpg")
    return message.as_bytes(policy=email.policy.SMTP)


async def test_a_10_mb_attachment_within_the_limit_is_stored_whole(dovecot, account):
    message = with_attachment(10 * 1024 * 1024)
    append(dovecot, account, message)
    batches = await collect_all(collector_for(dovecot, account))
    [item] = [item for batch in batches for item in batch.items]
    assert item.payload == message


async def test_an_oversized_message_keeps_headers_and_text_and_loses_the_attachment_body(dovecot, account):
    message = with_attachment(10 * 1024 * 1024)
    append(dovecot, account, message, complaint())
    batches = await collect_all(collector_for(dovecot, account, max_message_bytes=1024 * 1024))
    items = [item for batch in batches for item in batch.items]
    assert len(items) == 2, "the oversized message is stored, not skipped"
    cut = items[0]
    assert cut.external_id == message_external_id(message)
    assert len(cut.payload) < 64 * 1024
    head = message.split(b"\r\n\r\n", 1)[0]
    assert cut.payload.startswith(head)
    parsed = email.message_from_bytes(cut.payload, policy=email.policy.default)
    assert "Jalan berlubang besar" in parsed.get_body(("plain",)).get_content()
    [picture] = [part for part in parsed.walk() if part.get_content_type() == "image/jpeg"]
    assert picture.get_filename() == "lubang.jpg"
    assert int(picture[CUT_HEADER.decode()].split()[0]) > 10_000_000
    cut_notes = [batch.notes["attachments_cut"] for batch in batches if "attachments_cut" in batch.notes]
    assert cut_notes == [{"1": int(picture[CUT_HEADER.decode()].split()[0])}]
    mention = parse(cut, all_parsers())
    assert "Jalan berlubang besar" in mention.text


async def test_indonesian_subjects_in_rfc2047_encoded_words_are_read(dovecot, account):
    subjects = ["Banjir setinggi 50 cm di Kelurahan Kampung Melayu — mohon bantuan",
                "Lampu jalan mati di Jl. Raya Bogor “sudah 2 minggu”",
                "Pohon tumbang menutup jalan, Kec. Pasar Minggu (mendesak!) ✔"]
    messages = [complaint(subject) for subject in subjects]
    for message in messages:
        assert b"=?utf-8?" in message.lower(), "the fixture must use encoded words"
    append(dovecot, account, *messages)
    batches = await collect_all(collector_for(dovecot, account))
    parsers = all_parsers()
    titles = [parse(item, parsers).title for batch in batches for item in batch.items]
    assert titles == subjects


async def test_a_run_marks_nothing_read(dovecot, account):
    append(dovecot, account, *[complaint() for _ in range(3)])
    append(dovecot, account, complaint(), flags="(\\Seen)")
    with dovecot.mailbox(*account) as session:
        before = session.flags()
    batches = await collect_all(collector_for(dovecot, account, batch_size=2))
    assert sum(len(batch.items) for batch in batches) == 4
    with dovecot.mailbox(*account) as session:
        after = session.flags()
    seen = {uid: "\\Seen" in flags for uid, flags in after.items()}
    assert seen == {uid: "\\Seen" in flags for uid, flags in before.items()} == {1: False, 2: False, 3: False, 4: True}


async def test_every_configured_mailbox_has_its_own_position(dovecot, account):
    with dovecot.mailbox(*account) as session:
        session.create("Pengaduan Warga")
    append(dovecot, account, complaint(), complaint())
    append(dovecot, account, complaint(), mailbox="Pengaduan Warga")
    batches = await collect_all(collector_for(dovecot, account, mailboxes=["INBOX", "Pengaduan Warga"]))
    cursor = batches[-1].cursor["mailboxes"]
    assert {name: entry["last_uid"] for name, entry in cursor.items()} == {"INBOX": 2, "Pengaduan Warga": 1}
    append(dovecot, account, complaint(), mailbox="Pengaduan Warga")
    more = await collect_all(collector_for(dovecot, account, mailboxes=["INBOX", "Pengaduan Warga"]),
                             batches[-1].cursor)
    assert [item.origin.rsplit("=", 1)[-1] for batch in more for item in batch.items] == ["2"]
    assert "Pengaduan%20Warga" in more[-1].items[0].origin


async def test_since_searches_by_arrival_date_and_leaves_the_cursor(dovecot, account):
    old, new = complaint(), complaint()
    append(dovecot, account, old, date=datetime(2020, 3, 1, tzinfo=UTC))
    append(dovecot, account, new, date=datetime(2025, 1, 14, tzinfo=UTC))
    cursor = {"mailboxes": {"INBOX": {"uidvalidity": dovecot_uidvalidity(dovecot, account), "last_uid": 0}}}
    batches = await collect_all(collector_for(dovecot, account), cursor, since=datetime(2024, 6, 1, tzinfo=UTC))
    assert [item.payload for batch in batches for item in batch.items] == [new]
    assert all(batch.cursor == cursor for batch in batches)


async def test_a_wrong_password_is_a_permanent_failure_naming_the_user(dovecot, account):
    username, _ = account
    collector = collector_for(dovecot, (username, "salah-sandi"))
    with pytest.raises(PermanentFailure) as refused:
        await collect_all(collector)
    assert f"IMAP login refused for user {username}" in refused.value.reason
    assert PASSWORD_ENV in refused.value.reason
    assert "salah-sandi" not in refused.value.reason


async def test_a_missing_mailbox_is_a_permanent_failure_naming_it(dovecot, account):
    with pytest.raises(PermanentFailure) as missing:
        await collect_all(collector_for(dovecot, account, mailboxes=["Arsip Lama"]))
    assert "'Arsip Lama'" in missing.value.reason


async def test_a_refused_connection_is_temporary(dovecot, account):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(TemporaryFailure) as refused:
            await collect_all(collector_for(dovecot, account, port=port))
    assert f"127.0.0.1:{port}" in refused.value.reason


async def test_a_server_that_never_greets_is_a_temporary_timeout(dovecot, account):
    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(TemporaryFailure):
            await collect_all(collector_for(dovecot, account, port=port, timeout=0.5))
    finally:
        server.close()


async def test_a_server_saying_bye_mid_run_is_temporary_and_the_stored_part_stays(dovecot, account, engine):
    append(dovecot, account, *[complaint() for _ in range(6)])
    collector = KickedAfterFirstBatch(collector_for(dovecot, account, batch_size=2), dovecot, account[0])
    result = await closing(collector, lambda c: run_once(c, engine, "email"))
    assert isinstance(result.error, TemporaryFailure)
    assert result.batches == 1
    assert load_cursor(engine, SOURCE)["mailboxes"]["INBOX"]["last_uid"] == 2


async def test_idle_wakes_up_when_mail_arrives(dovecot, account):
    collector = collector_for(dovecot, account, idle=True)
    try:
        batches = [batch async for batch in collector.collect({})]
        waiting = asyncio.create_task(collector.wait_for_news(120))
        for _ in range(600):  # the APPEND must come while IDLE is open, or IDLE is not what wakes us
            if collector.idling or waiting.done():
                break
            await asyncio.sleep(0.05)
        assert collector.idling, "wait_for_news did not start IDLE"
        await asyncio.to_thread(append, dovecot, account, complaint())
        assert await asyncio.wait_for(waiting, 60) is True
        news = [batch async for batch in collector.collect(batches[-1].cursor if batches else {})]
        assert sum(len(batch.items) for batch in news) == 1
    finally:
        await collector.aclose()


async def test_idle_reports_mail_that_came_between_runs_at_once(dovecot, account):
    collector = collector_for(dovecot, account, idle=True)
    try:
        append(dovecot, account, complaint())
        [batch async for batch in collector.collect({})]
        assert await asyncio.wait_for(collector.wait_for_news(1.0), 30) is False
        append(dovecot, account, complaint())
        assert await asyncio.wait_for(collector.wait_for_news(120), 30) is True
    finally:
        await collector.aclose()


def test_options_are_checked_with_the_field_named(dovecot):
    base = {"host": "imap.example.go.id", "username": "pengaduan", "password_env": PASSWORD_ENV}
    with pytest.raises(ConfigProblem, match=PASSWORD_ENV):
        build_collector("dki-mail", "email", base, {})
    with pytest.raises(ConfigProblem, match="mailboxs"):
        build_collector("dki-mail", "email", {**base, "mailboxs": ["INBOX"]}, {PASSWORD_ENV: "sandi-rahasia-123"})
    with pytest.raises(ConfigProblem, match="password_env"):
        build_collector("dki-mail", "email", {"host": "h", "username": "u"}, {})
    collector = build_collector("dki-mail", "email", base, {PASSWORD_ENV: "sandi-rahasia-123"})
    assert isinstance(collector, EmailCollector)
    assert (collector.config.port, collector.config.tls, collector.config.mailboxes) == (993, True, ["INBOX"])
    assert "sandi-rahasia-123" not in repr(collector.config)


async def test_every_message_of_the_cpython_corpus_is_stored_and_parsed_or_quarantined(
        dovecot, account, engine, shared_dir):
    files = sorted((shared_dir / "corpora" / "cpython-email").glob("msg_*.txt"))
    assert len(files) == 48
    append(dovecot, account, *[path.read_bytes() for path in files])
    collector = collector_for(dovecot, account, batch_size=10)
    batches = []
    try:
        async for batch in collector.collect(load_cursor(engine, SOURCE)):
            with engine.begin() as connection:
                store_batch(connection, SOURCE, "email", batch.items, batch.cursor)
            batches.append(batch)
    finally:
        await collector.aclose()
    items = [item for batch in batches for item in batch.items]
    assert len(items) == 48, "every message is collected"
    assert set(stored_ids(engine, "email")) == {item.external_id for item in items}
    parsers = all_parsers()
    parsed = quarantined = 0
    for item in items:
        try:
            parse(item, parsers)
            parsed += 1
        except NormalizeError as error:
            assert str(error), "a quarantined item carries its reason"
            quarantined += 1
    assert parsed + quarantined == 48
    assert parsed > 24


async def test_a_certificate_we_cannot_verify_is_a_permanent_failure(dovecot, account, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-days", "1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True, timeout=60)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)

    async def greet(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            writer.write(b"* OK IMAP4rev1 ready\r\n")
            await writer.drain()
            writer.close()

    server = await asyncio.start_server(greet, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(PermanentFailure) as untrusted:
            await collect_all(collector_for(dovecot, account, port=port, tls=True))
    finally:
        server.close()
    assert "certificate" in untrusted.value.reason
