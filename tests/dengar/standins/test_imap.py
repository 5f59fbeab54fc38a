"""The IMAP stand-in against real clients: the e-mail collector (aioimaplib) and stdlib imaplib."""

from __future__ import annotations

import asyncio
import email.policy
import imaplib
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from collectors.archive.email import message_external_id
from collectors.live import build_collector
from collectors.live.base import Batch, PermanentFailure, TemporaryFailure
from collectors.live.email import EmailCollector
from dengar.importer import FileReport, archive_items
from dengar.standins.imap import ImapLimits, ImapServer
from dengar.standins.imap_mailbox import SEEN, ImapState
from tests.collectors.live.contract import SOURCE, CollectorContract, closing, collect_all

USER, PASSWORD = "pengaduan@demo.example", "sandi rahasia \"kutip\" \\ ok"
PASSWORD_ENV = "DENGAR_TEST_STANDIN_IMAP_PASSWORD"
_serial = itertools.count(1)


def complaint(day: int = 14) -> bytes:
    """A citizen's complaint as a mail client sends it (CRLF line ends, a unique Message-ID)."""
    number = next(_serial)
    message = EmailMessage()
    message["From"] = f"Warga {number} <warga{number}@example.net>"
    message["To"] = USER
    message["Subject"] = f"Saluran air mampet di Jl. Melati {number}"
    message["Date"] = f"Tue, {day} Jan 2025 08:30:00 +0700"
    message["Message-ID"] = f"<standin-{number}@example.net>"
    message.set_content(f"Selamat siang, saluran di depan rumah nomor {number} mampet sejak kemarin.")
    return message.as_bytes(policy=email.policy.SMTP)


@pytest.fixture
async def imap() -> AsyncIterator[ImapServer]:
    server = ImapServer(ImapState(users={USER: PASSWORD}))
    server.state.create("INBOX")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def collector_for(server: ImapServer, password: str = PASSWORD, **options: Any) -> EmailCollector:
    settings = {"host": "127.0.0.1", "port": server.port, "tls": False, "username": USER,
                "password_env": PASSWORD_ENV, "timeout": 20, **options}
    collector = build_collector(SOURCE, "email", settings, {PASSWORD_ENV: password})
    assert isinstance(collector, EmailCollector)
    return collector


class DisconnectedAfterFirstBatch:
    """The real collector, with the server saying BYE to everyone once the first batch is handed over."""

    def __init__(self, inner: EmailCollector, server: ImapServer) -> None:
        self.inner, self.server = inner, server
        self.channel, self.config_model = inner.channel, inner.config_model

    async def collect(self, cursor: dict[str, Any], since: datetime | None = None) -> AsyncIterator[Batch]:
        dropped = False
        async for batch in self.inner.collect(cursor, since):
            yield batch
            if not dropped:
                dropped = self.server.disconnect_all("server restarting") > 0

    async def aclose(self) -> None:
        await self.inner.aclose()


class StandinWorld:
    channel = "email"

    def __init__(self, server: ImapServer) -> None:
        self.server = server
        self.failing = False

    async def publish(self, count: int) -> list[str]:
        messages = [complaint() for _ in range(count)]
        for message in messages:
            self.server.state.append("INBOX", message)
        return [message_external_id(message) for message in messages]

    def fail_after_first_batch(self) -> None:
        self.failing = True

    def heal(self) -> None:
        self.failing = False

    def make_collector(self) -> Any:
        collector = collector_for(self.server, batch_size=5)
        return DisconnectedAfterFirstBatch(collector, self.server) if self.failing else collector

    def cursor_order(self, cursor: dict[str, Any]) -> Any:
        inbox = cursor["mailboxes"]["INBOX"]
        return inbox["uidvalidity"], inbox["last_uid"]


class TestEmailCollectorOnTheStandin(CollectorContract):
    @pytest.fixture
    def world(self, imap: ImapServer) -> StandinWorld:
        return StandinWorld(imap)


# ---- the e-mail collector ---------------------------------------------------------------------------

async def test_the_collector_reads_the_samples_byte_for_byte_as_an_import_does(imap: ImapServer,
                                                                               repo_root: Path) -> None:
    folder = repo_root / "samples" / "email"
    delivered = imap.state.load_samples(folder)
    imported = {item.external_id: item.payload
                for item in archive_items([folder], "import", FileReport(), channel="email")}
    items, cursor = await collect_all(collector_for(imap, batch_size=7))
    assert delivered == len(imported) == len(items)
    assert {item.external_id: item.payload for item in items} == imported
    validity = imap.state.mailbox("INBOX").uidvalidity  # type: ignore[union-attr]
    assert cursor == {"mailboxes": {"INBOX": {"uidvalidity": validity, "last_uid": delivered}}}
    assert all(item.origin.startswith(f"imap://127.0.0.1:{imap.port}/INBOX;UIDVALIDITY={validity}/;UID=")
               for item in items)
    dates = [message.internal_date for message in imap.state.mailbox("INBOX").messages]  # type: ignore[union-attr]
    assert dates == sorted(dates)  # delivered in the order the messages were written


async def test_since_finds_mail_by_arrival_date(imap: ImapServer) -> None:
    older, newer = complaint(), complaint()
    imap.state.append("INBOX", older, datetime(2025, 1, 10, 23, 0, tzinfo=UTC))
    imap.state.append("INBOX", newer, datetime(2025, 1, 20, 1, 0, tzinfo=UTC))
    items, cursor = await collect_all(collector_for(imap), since=datetime(2025, 1, 15, tzinfo=UTC))
    assert [item.payload for item in items] == [newer]
    assert cursor == {"mailboxes": {}}  # a backfill leaves the cursor alone


async def test_an_oversized_message_is_fetched_in_pieces(imap: ImapServer) -> None:
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = "warga@example.net", "Foto banjir", "<big@example.net>"
    message.set_content("Banjir setinggi lutut di Kel. Kampung Melayu.")
    message.add_attachment(bytes(range(256)) * 1200, maintype="image", subtype="jpeg", filename="banjir.jpg")
    imap.state.append("INBOX", message.as_bytes(policy=email.policy.SMTP))
    [item], _ = await collect_all(collector_for(imap, max_message_bytes=64 * 1024))
    assert b"Kampung Melayu" in item.payload and len(item.payload) < 64 * 1024


async def test_idle_wakes_wait_for_news_when_mail_is_appended(imap: ImapServer) -> None:
    collector = collector_for(imap, idle=True)
    try:
        batches = [batch async for batch in collector.collect({})]
        waiting = asyncio.create_task(collector.wait_for_news(120))
        for _ in range(600):  # the append must come while IDLE is open, or IDLE is not what wakes us
            if collector.idling or waiting.done():
                break
            await asyncio.sleep(0.05)
        assert collector.idling, "wait_for_news did not start IDLE"
        imap.state.append("INBOX", complaint())
        assert await asyncio.wait_for(waiting, 60) is True
        news = [batch async for batch in collector.collect(batches[-1].cursor if batches else {})]
        assert sum(len(batch.items) for batch in news) == 1
    finally:
        await collector.aclose()


async def test_a_wrong_password_is_permanent_and_a_missing_mailbox_too(imap: ImapServer) -> None:
    with pytest.raises(PermanentFailure, match=PASSWORD_ENV) as refused:
        await collect_all(collector_for(imap, password="salah"))
    assert "salah" not in str(refused.value)
    with pytest.raises(PermanentFailure, match="Arsip"):
        await collect_all(collector_for(imap, mailboxes=["INBOX", "Arsip"]))


async def test_a_server_gone_mid_run_is_a_temporary_failure(imap: ImapServer) -> None:
    for _ in range(6):
        imap.state.append("INBOX", complaint())
    collector = DisconnectedAfterFirstBatch(collector_for(imap, batch_size=2), imap)
    with pytest.raises(TemporaryFailure):
        await closing(collector, lambda c: collect_all(c))  # type: ignore[arg-type]


# ---- stdlib imaplib as a second client ----------------------------------------------------------------

async def test_imaplib_examines_searches_and_fetches_byte_exact(imap: ImapServer) -> None:
    messages = [complaint(day) for day in (10, 12, 20)]
    for day, message in zip((10, 12, 20), messages, strict=True):
        imap.state.append("INBOX", message, datetime(2025, 1, day, 9, 0, tzinfo=UTC))

    def session() -> dict[str, Any]:
        client = imaplib.IMAP4("127.0.0.1", imap.port)
        seen: dict[str, Any] = {"capabilities": client.capabilities}
        try:
            assert client.login(USER, PASSWORD)[0] == "OK"
            status, count = client.select("INBOX", readonly=True)
            seen["examine"] = (status, count, client.response("UIDVALIDITY")[1], client.response("READ-ONLY")[0])
            seen["all"] = client.uid("SEARCH", None, "ALL")
            seen["from_2"] = client.uid("SEARCH", None, "UID", "2:*")
            seen["past_end"] = client.uid("SEARCH", None, "UID", "9:*")
            seen["since"] = client.uid("SEARCH", "CHARSET", "UTF-8", "SINCE", "12-Jan-2025")
            seen["bad_charset"] = client.uid("SEARCH", "CHARSET", "KOI8-R", "ALL")
            seen["sizes"] = client.uid("FETCH", "1:*", "(UID RFC822.SIZE FLAGS)")
            seen["body"] = client.uid("FETCH", "2", "(BODY.PEEK[])")
            seen["read_only_body"] = client.uid("FETCH", "3", "(BODY[])")
            with pytest.raises(imaplib.IMAP4.error, match="BAD"):
                client.uid("FETCH", "1", "(ENVELOPE)")
            seen["noop"] = client.noop()[0]
        finally:
            client.logout()
        return seen

    seen = await asyncio.to_thread(session)
    assert "IMAP4REV1" in seen["capabilities"] and "IDLE" in seen["capabilities"]
    validity = imap.state.mailbox("INBOX").uidvalidity  # type: ignore[union-attr]
    assert seen["examine"] == ("OK", [b"3"], [str(validity).encode()], "READ-ONLY")
    assert seen["all"] == ("OK", [b"1 2 3"])
    assert seen["from_2"] == ("OK", [b"2 3"])
    assert seen["past_end"] == ("OK", [b"3"])  # n:* holds the largest UID (RFC 3501 6.4.8)
    assert seen["since"] == ("OK", [b"2 3"])
    assert seen["bad_charset"][0] == "NO"
    status, lines = seen["sizes"]
    assert status == "OK" and lines == [f"{n} (UID {n} RFC822.SIZE {len(m)} FLAGS ())".encode()
                                        for n, m in enumerate(messages, 1)]
    status, [(announce, body), closing_paren] = seen["body"]
    assert status == "OK" and announce == f"2 (UID 2 BODY[] {{{len(messages[1])}}}".encode()
    assert body == messages[1] and closing_paren == b")"
    assert seen["read_only_body"][1][0][1] == messages[2]
    assert all(not message.flags for message in imap.state.mailbox("INBOX").messages)  # type: ignore[union-attr]
    assert seen["noop"] == "OK"


async def test_imaplib_select_marks_a_fetched_body_seen_and_hears_of_new_mail(imap: ImapServer) -> None:
    imap.state.append("INBOX", complaint())

    def session() -> tuple[Any, Any]:
        client = imaplib.IMAP4("127.0.0.1", imap.port)
        try:
            client.login(USER, PASSWORD)
            client.select("INBOX")
            fetched = client.uid("FETCH", "1", "(BODY[])")
            imap_loop.call_soon_threadsafe(imap.state.append, "INBOX", complaint())
            exists: Any = None
            for _ in range(200):  # the append runs on the server's loop; NOOP reports it once it has
                client.noop()
                if (exists := client.response("EXISTS"))[1] != [None]:
                    break
            return fetched, exists
        finally:
            client.logout()

    imap_loop = asyncio.get_running_loop()
    (status, [(announce, _), tail]), exists = await asyncio.to_thread(session)
    assert status == "OK" and b"BODY[]" in announce and SEEN.encode() in announce + tail
    assert imap.state.mailbox("INBOX").messages[0].flags == {SEEN}  # type: ignore[union-attr]
    assert exists[0] == "EXISTS" and exists[1][-1] == b"2"  # after the EXISTS of SELECT


# ---- the wire, byte by byte -----------------------------------------------------------------------------

class Wire:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def line(self) -> bytes:
        return await asyncio.wait_for(self.reader.readline(), 30)

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def until_tagged(self, tag: bytes) -> list[bytes]:
        lines = []
        while not (lines and lines[-1].startswith(tag + b" ")):
            line = await self.line()
            assert line, lines
            lines.append(line)
        return lines


async def wire(server: ImapServer) -> Wire:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    connection = Wire(reader, writer)
    assert (await connection.line()).startswith(b"* OK [CAPABILITY IMAP4rev1 IDLE]")
    return connection


async def test_login_takes_literals_and_refuses_commands_out_of_order(imap: ImapServer) -> None:
    connection = await wire(imap)
    await connection.send(b"a1 SELECT INBOX\r\n")
    assert (await connection.line()).startswith(b"a1 BAD ")
    user, password = USER.encode(), PASSWORD.encode()
    await connection.send(b"a2 LOGIN {%d}\r\n" % len(user))
    assert (await connection.line()).startswith(b"+ ")
    await connection.send(user + b" {%d}\r\n" % len(password))
    assert (await connection.line()).startswith(b"+ ")
    await connection.send(password + b"\r\n")
    assert (await connection.line()) == b"a2 OK Logged in\r\n"
    await connection.send(b"a3 EXAMINE \"INBOX\"\r\n")
    lines = await connection.until_tagged(b"a3")
    assert b"* 0 EXISTS\r\n" in lines and any(b"[UIDVALIDITY " in line for line in lines)
    assert any(b"[UIDNEXT 1]" in line for line in lines) and lines[-1].startswith(b"a3 OK [READ-ONLY]")
    await connection.send(b"a4 STORE 1 +FLAGS (\\Seen)\r\n")
    assert (await connection.line()).startswith(b"a4 BAD ")
    await connection.send(b"a5 IDLE\r\n")
    assert (await connection.line()).startswith(b"+ ")
    imap.state.append("INBOX", complaint())
    assert await connection.line() == b"* 1 EXISTS\r\n"
    assert await connection.line() == b"* 1 RECENT\r\n"
    await connection.send(b"DONE\r\n")
    assert (await connection.line()).startswith(b"a5 OK ")
    await connection.send(b"a6 LOGOUT\r\n")
    assert (await connection.until_tagged(b"a6"))[0].startswith(b"* BYE")
    assert await connection.reader.read() == b""


async def test_failed_logins_and_oversized_input_end_in_clear_answers() -> None:
    limits = ImapLimits(max_line_bytes=1024, max_literal_bytes=100)
    async with ImapServer(ImapState(users={USER: PASSWORD}), limits) as server:
        connection = await wire(server)
        await connection.send(b"t1 LOGIN {500}\r\n")
        assert (await connection.line()).startswith(b"t1 BAD literal too large")
        await connection.send(b"t2 NONSENSE\r\nt3 LOGIN\r\n(\r\n")
        assert (await connection.line()).startswith(b"t2 BAD ")
        assert (await connection.line()).startswith(b"t3 BAD ")
        assert (await connection.line()).startswith(b"* BAD a command starts with a tag")
        for tag in (b"f1", b"f2"):
            await connection.send(tag + b" LOGIN " + USER.encode() + b" wrong\r\n")
            assert (await connection.line()) == tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
        await connection.send(b"f3 LOGIN " + USER.encode() + b" wrong\r\n")
        assert (await connection.line()).startswith(b"f3 NO ")
        assert (await connection.line()).startswith(b"* BYE too many failed logins")
        assert await connection.reader.read() == b""

        long_line = await wire(server)
        await long_line.send(b"x1 NOOP " + b"a" * 2000 + b"\r\n")
        assert (await long_line.line()).startswith(b"* BYE command line too long")
        assert await long_line.reader.read() == b""
