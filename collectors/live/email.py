"""The live e-mail collector: new messages of IMAP mailboxes, read-only, in UID order.

Each run opens one connection, EXAMINEs every configured mailbox (read-only: nothing is marked
read, and every fetch is ``BODY.PEEK[]``), searches the UIDs above the stored cursor and fetches
them ``batch_size`` at a time. Every message becomes one RawItem exactly as an mbox import makes
it (``collectors.archive.email.raw_message``), so the same parser reads both. A message larger
than ``max_message_bytes`` is streamed in pieces through :mod:`collectors.live.mime_cut`, which
keeps its headers and text parts and drops the bodies of its other parts (noted in a header).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import quote

from pydantic import Field, PrivateAttr, field_validator

from collectors.archive.email import CHANNEL, raw_message
from collectors.content_types import UNREADABLE
from collectors.live.base import Batch, CollectorConfig, Cursor
from collectors.live.email_cursor import EmailCursor, MailboxPosition
from collectors.live.imap_session import ImapSession
from collectors.live.mime_cut import AttachmentCutter
from collectors.types import RawItem

log = logging.getLogger(__name__)

MB = 1024 * 1024
CHUNK_BYTES = 1 * MB  # piece size when streaming an oversized message
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class EmailConfig(CollectorConfig):
    """The ``[[sources]]`` keys of an ``email`` source."""

    host: str = Field(min_length=1)
    port: int = Field(993, ge=1, le=65535)
    tls: bool = True
    username: str = Field(min_length=1)
    password_env: str = Field(min_length=1)
    mailboxes: list[str] = Field(default_factory=lambda: ["INBOX"], min_length=1)
    batch_size: int = Field(50, ge=1, le=1000)
    max_message_bytes: int = Field(25 * MB, ge=64 * 1024)
    idle: bool = False
    timeout: float = Field(30.0, gt=0, le=600)

    _password: str = PrivateAttr(default="")

    @field_validator("mailboxes")
    @classmethod
    def _printable_names(cls, mailboxes: list[str]) -> list[str]:
        for name in mailboxes:
            if not name or not all(" " <= ch <= "~" for ch in name):
                raise ValueError(f"mailbox name {name!r} must be printable ASCII "
                                 "(write non-ASCII names in IMAP's modified UTF-7, as the server lists them)")
        if len(set(mailboxes)) != len(mailboxes):
            raise ValueError("a mailbox is listed twice")
        return mailboxes

    def check_environment(self, environ: Mapping[str, str]) -> None:
        self._password = self.secret(self.name, "password_env", self.password_env, environ) or ""

    @property
    def password(self) -> str:
        return self._password


def imap_date(moment: datetime) -> str:
    """RFC 3501 date (``1-Feb-2025``), month names in English whatever the locale."""
    return f"{moment.day}-{_MONTHS[moment.month - 1]}-{moment.year}"


def split_by_size(uids: Sequence[int], sizes: Mapping[int | None, int | None], budget: int) -> list[list[int]]:
    """Consecutive groups of ``uids`` holding at most ``budget`` bytes each (a bigger message alone).

    A batch of fifty 20 MB messages would otherwise sit in memory at once; an oversized message
    counts as ``budget`` since it is cut to far less.
    """
    groups: list[list[int]] = []
    total = 0
    for uid in uids:
        size = min(sizes.get(uid) or 0, budget)
        if groups and total + size <= budget:
            groups[-1].append(uid)
            total += size
        else:
            groups.append([uid])
            total = size
    return groups


class EmailCollector:
    """One IMAP account; see the module docstring."""

    config_model: ClassVar[type[CollectorConfig]] = EmailConfig
    channel: ClassVar[str] = CHANNEL

    def __init__(self, config: EmailConfig, **_context: Any) -> None:
        self.config = config
        self._sessions: set[ImapSession] = set()
        # What the last run stored, so IDLE can tell at once when mail arrived in between (a hint only).
        self._last_cursor = EmailCursor({})

    async def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        position = EmailCursor.from_json(cursor)
        self._last_cursor = position
        async with self._session() as session:
            for mailbox in self.config.mailboxes:
                async for batch in self._mailbox_batches(session, mailbox, position, since):
                    position = EmailCursor.from_json(batch.cursor)
                    self._last_cursor = position
                    yield batch

    async def wait_for_news(self, timeout: float) -> bool:
        """With ``idle = true``: IDLE on the first mailbox and return True as soon as mail arrives.

        Without IDLE, or when the server cannot be reached, it just waits ``timeout`` (the next run
        reports the failure properly).
        """
        if not self.config.idle:
            await asyncio.sleep(timeout)
            return False
        mailbox = self.config.mailboxes[0]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            async with self._session() as session:
                validity, next_uid = await session.examine(mailbox)
                known = self._last_cursor.position(mailbox)
                if known is None or known.uidvalidity != validity or (
                        next_uid is not None and next_uid > known.last_uid + 1):
                    return True  # mail came (or the mailbox changed) since the last run
                return await session.wait_for_exists(max(0.0, deadline - loop.time()))
        except Exception as exc:  # noqa: BLE001 - any failure: behave like a plain sleep
            log.warning("source %r: IMAP IDLE unavailable (%s); waiting %.0f s instead",
                        self.config.name, exc, timeout)
            await asyncio.sleep(max(0.0, deadline - loop.time()))
            return False

    @property
    def idling(self) -> bool:
        """True while ``wait_for_news`` holds an IDLE open (for health pages and tests)."""
        return any(session.idling for session in self._sessions)

    async def aclose(self) -> None:
        for session in list(self._sessions):
            await session.close()
        self._sessions.clear()

    def _session(self) -> _OpenSession:
        return _OpenSession(self)

    async def _mailbox_batches(self, session: ImapSession, mailbox: str, cursor: EmailCursor,
                               since: datetime | None) -> AsyncIterator[Batch]:
        validity, _ = await session.examine(mailbox)
        stored = cursor.position(mailbox)
        position = MailboxPosition(validity, 0) if stored is None else stored.resume_from(validity)
        if stored is not None and position != stored:
            log.warning("source %r: mailbox %r changed UIDVALIDITY from %d to %d; reading it again from "
                        "UID 1 (messages already stored are not stored twice)",
                        self.config.name, mailbox, stored.uidvalidity, validity)
        if since is not None:
            # A backfill: messages by arrival date, whatever the cursor says; the cursor stays put,
            # since what lies between the stored UID and these is not read by this run.
            uids = await session.search("SINCE", imap_date(since))
        else:
            uids = [uid for uid in await session.search("UID", f"{position.last_uid + 1}:*")
                    if uid > position.last_uid]  # "n:*" also matches the last message when n is past it
        moved = since is None and position != stored
        for start in range(0, len(uids), self.config.batch_size):
            window = uids[start:start + self.config.batch_size]
            sizes = {record.uid: record.size for record in await session.fetch(window, "(UID RFC822.SIZE)")}
            for chunk in split_by_size(window, sizes, self.config.max_message_bytes):
                items, notes = await self._fetch(session, mailbox, validity, chunk, sizes)
                if since is None:
                    position = position.advanced_to(chunk[-1])
                    cursor = cursor.with_position(mailbox, position)
                    moved = False
                yield Batch(items, cursor.to_json(), notes=notes)
        if moved:  # nothing new, but a new mailbox or UIDVALIDITY is worth remembering
            yield Batch([], cursor.with_position(mailbox, position).to_json())

    async def _fetch(self, session: ImapSession, mailbox: str, validity: int, uids: Sequence[int],
                     sizes: Mapping[int | None, int | None]) -> tuple[list[RawItem], dict[str, Any]]:
        whole = [uid for uid in uids if (sizes.get(uid) or 0) <= self.config.max_message_bytes]
        bodies = {record.uid: record for record in await session.fetch(whole, "(UID BODY.PEEK[])")} if whole else {}
        fetched_at = datetime.now(UTC)
        items: list[RawItem] = []
        notes: dict[str, Any] = {}
        for uid in uids:
            origin = self._origin(mailbox, validity, uid)
            if uid not in sizes:  # expunged between SEARCH and FETCH: nothing left to read
                notes.setdefault("vanished_uids", []).append(uid)
                log.info("source %r: %s UID %d was deleted before it could be read", self.config.name, mailbox, uid)
                continue
            if uid not in whole:
                payload, removed = await self._fetch_cut(session, uid, sizes[uid] or 0)
                notes.setdefault("attachments_cut", {})[str(uid)] = removed
                items.append(raw_message(payload, self.config.name, fetched_at, origin))
                continue
            record = bodies.get(uid)
            if record is None or record.literal is None:
                reason = record.text if record is not None else b"no FETCH response for this UID"
                items.append(RawItem(CHANNEL, self.config.name, f"imap:{mailbox}:{validity}:{uid}",
                                     b"IMAP server returned no message body: " + reason[:1000],
                                     UNREADABLE, fetched_at, origin))
                continue
            items.append(raw_message(record.literal, self.config.name, fetched_at, origin))
        return items, notes

    async def _fetch_cut(self, session: ImapSession, uid: int, size: int) -> tuple[bytes, int]:
        """Stream one oversized message in pieces through the attachment cutter."""
        cutter = AttachmentCutter()
        offset = 0
        while offset < size:  # the announced size bounds the loop even if the server keeps sending
            records = await session.fetch([uid], f"(UID BODY.PEEK[]<{offset}.{CHUNK_BYTES}>)")
            piece = next((r.literal for r in records if r.uid == uid and r.literal is not None), b"")
            cutter.feed(piece)
            offset += len(piece)
            if len(piece) < CHUNK_BYTES:
                break
        log.info("source %r: message UID %d is larger than max_message_bytes; stored without %d bytes of "
                 "attachments", self.config.name, uid, cutter.removed_bytes)
        return cutter.finish(), cutter.removed_bytes

    def _origin(self, mailbox: str, validity: int, uid: int) -> str:
        """An RFC 5092 IMAP URL of the message (no user name: it is often a person's address)."""
        return f"imap://{self.config.host}:{self.config.port}/{quote(mailbox)};UIDVALIDITY={validity}/;UID={uid}"


class _OpenSession:
    """``async with``: a logged-in session, registered so ``aclose`` can end it, closed on exit."""

    def __init__(self, collector: EmailCollector) -> None:
        self._collector = collector
        config = collector.config
        self._session = ImapSession(config.host, config.port, config.tls, config.timeout)

    async def __aenter__(self) -> ImapSession:
        config = self._collector.config
        self._collector._sessions.add(self._session)
        try:
            await self._session.open(config.username, config.password, config.password_env)
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        self._collector._sessions.discard(self._session)
        await self._session.close()
