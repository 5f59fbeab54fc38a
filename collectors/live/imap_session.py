"""One logged-in IMAP connection (aioimaplib) whose every failure is already a collector failure kind.

The collector code stays straight-line because this wrapper does the mapping once: a refused or
dropped connection, a BYE, a timeout or a protocol error becomes :class:`TemporaryFailure`; a
refused login, a bad certificate or a mailbox that cannot be opened becomes
:class:`PermanentFailure`. The password never reaches a log line or an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Awaitable, Sequence
from typing import Any, TypeVar

import aioimaplib

from collectors.live.base import PermanentFailure, TemporaryFailure
from collectors.live.imap_responses import FetchRecord, fetch_records, search_uids, uidnext, uidvalidity

log = logging.getLogger(__name__)
T = TypeVar("T")

# Error kinds a server sends with NO that are worth retrying (RFC 5530 response codes).
_TEMPORARY_CODES = (b"[UNAVAILABLE]", b"[INUSE]", b"[SERVERBUG]", b"[LIMIT]")
_PROTOCOL_ERRORS = (aioimaplib.AioImapException, OSError, asyncio.TimeoutError, ValueError, RuntimeError)


def quote_mailbox(name: str) -> str:
    """An IMAP quoted string (the config model allows only printable ASCII names)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(lines: Sequence[Any]) -> str:
    last = lines[-1] if lines else b""
    data = bytes(last) if isinstance(last, (bytes, bytearray)) else str(last).encode()
    return data.decode("utf-8", "replace").strip()[:200]


class ImapSession:
    """Connect with :meth:`open`, then EXAMINE / SEARCH / FETCH / IDLE; :meth:`close` always."""

    def __init__(self, host: str, port: int, tls: bool, timeout: float) -> None:
        self.host, self.port, self.tls, self.timeout = host, port, tls, timeout
        self._lost = asyncio.Event()
        self._client: aioimaplib.IMAP4 | None = None
        self._broken = False

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def idling(self) -> bool:
        """True while an IDLE command is open (the server pushes news now)."""
        return self._client is not None and not self._broken and self._client.has_pending_idle()

    async def open(self, username: str, password: str, password_env: str) -> None:
        context = ssl.create_default_context() if self.tls else None
        try:
            self._client = aioimaplib.IMAP4(self.host, self.port, timeout=self.timeout,
                                            conn_lost_cb=lambda _exc: self._lost.set(), ssl_context=context)
            await self._client.wait_hello_from_server()
        except ssl.SSLCertVerificationError as exc:
            raise PermanentFailure(f"IMAP server {self.where} presented a certificate we cannot verify "
                                   f"({exc.verify_message}); fix the server's certificate or the host name") from None
        except _PROTOCOL_ERRORS as exc:
            raise TemporaryFailure(f"cannot reach IMAP server {self.where}: {_describe(exc)}") from None
        response = await self._run("LOGIN", self._client.login(username, password))
        if response.result != "OK":
            text = _text(response.lines)
            if any(code.decode() in text for code in _TEMPORARY_CODES):
                raise TemporaryFailure(f"IMAP server {self.where} cannot log in user {username} now: {text}")
            raise PermanentFailure(f"IMAP login refused for user {username} on {self.where} ({text}) "
                                   f"— check {password_env}")

    async def examine(self, mailbox: str) -> tuple[int, int | None]:
        """Open ``mailbox`` read-only; returns (UIDVALIDITY, UIDNEXT or None)."""
        client = self._require()
        response = await self._run(f"EXAMINE {mailbox}", client.examine(quote_mailbox(mailbox)))
        if response.result != "OK":
            raise PermanentFailure(f"IMAP mailbox {mailbox!r} cannot be opened on {self.where}: "
                                   f"{_text(response.lines)} — check mailboxes in the source's configuration")
        # aioimaplib 2.0.3 runs EXAMINE as a plain command and does not record that a mailbox is
        # now selected, so it would refuse UID FETCH and IDLE; the server says it is.
        client.protocol.state = aioimaplib.SELECTED
        validity = uidvalidity(response.lines)
        if validity is None:
            raise TemporaryFailure(f"IMAP server {self.where} sent no UIDVALIDITY for mailbox {mailbox!r}")
        return validity, uidnext(response.lines)

    async def search(self, *criteria: str) -> list[int]:
        client = self._require()
        # charset=None: the default sends CHARSET utf-8, which some servers reject for ASCII criteria
        response = await self._run("UID SEARCH", client.uid_search(*criteria, charset=None))
        self._expect_ok(response, "UID SEARCH")
        return search_uids(response.lines)

    async def fetch(self, uids: Sequence[int], items: str) -> list[FetchRecord]:
        client = self._require()
        uid_set = ",".join(str(uid) for uid in uids)
        # No overall deadline: a large body may take long; aioimaplib times out when data stops coming.
        response = await self._run("UID FETCH", client.uid("fetch", uid_set, items), deadline=False)
        self._expect_ok(response, "UID FETCH")
        return fetch_records(response.lines)

    async def wait_for_exists(self, timeout: float) -> bool:
        """IDLE until the server announces new mail (True) or ``timeout`` passes (False)."""
        client = self._require()
        if not client.has_capability("IDLE"):
            raise TemporaryFailure(f"IMAP server {self.where} does not offer IDLE")
        idle = await self._run("IDLE", client.idle_start(timeout=timeout))
        try:
            while True:
                pushed = await self._run("IDLE", client.wait_server_push(timeout=timeout + self.timeout),
                                         deadline=False)
                if pushed == aioimaplib.STOP_WAIT_SERVER_PUSH:
                    return False
                if any(isinstance(line, (bytes, bytearray)) and
                       (line.endswith(b" EXISTS") or line.endswith(b" RECENT")) for line in pushed):
                    return True
        finally:
            with contextlib.suppress(Exception):
                client.idle_done()
                await asyncio.wait_for(idle, self.timeout)

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        if not self._broken and not self._lost.is_set():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.logout(), min(self.timeout, 5))
        transport = client.protocol.transport if client.protocol else None
        if transport is not None:
            transport.close()
        if not client._client_task.done():  # still connecting
            client._client_task.cancel()
            with contextlib.suppress(BaseException):
                await client._client_task

    def _require(self) -> aioimaplib.IMAP4:
        if self._client is None or self._broken:
            raise TemporaryFailure(f"IMAP connection to {self.where} is not usable after an earlier error")
        return self._client

    def _expect_ok(self, response: Any, what: str) -> None:
        if response.result != "OK":
            self._broken = True
            raise TemporaryFailure(f"IMAP server {self.where} answered {what} with {response.result}: "
                                   f"{_text(response.lines)}")

    async def _run(self, what: str, awaitable: Awaitable[T], deadline: bool = True) -> T:
        """Await one command, racing it against the connection closing and (optionally) a deadline."""
        task = asyncio.ensure_future(awaitable)
        lost = asyncio.ensure_future(self._lost.wait())
        try:
            done, _ = await asyncio.wait({task, lost}, timeout=self.timeout if deadline else None,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        if task in done:
            try:
                return task.result()
            except _PROTOCOL_ERRORS as exc:
                self._broken = True
                raise TemporaryFailure(f"IMAP {what} on {self.where} failed: {_describe(exc)}") from None
        self._broken = True
        if lost in done:
            raise TemporaryFailure(f"IMAP server {self.where} closed the connection during {what}")
        raise TemporaryFailure(f"IMAP server {self.where} did not answer {what} within {self.timeout:g} s")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"[:300]
