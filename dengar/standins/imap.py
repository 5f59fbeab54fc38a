"""A small IMAP4rev1 server (RFC 3501 subset, plain TCP on loopback) serving an :class:`ImapState`.

It is what the e-mail collector meets in a real deployment, minus TLS and everything a read-only
collector never sends: greeting, CAPABILITY, LOGIN, SELECT/EXAMINE, (UID) SEARCH, (UID) FETCH,
NOOP, IDLE (RFC 2177) and LOGOUT. Other commands get BAD. The demo serves the e-mail samples
through it, and tests run the real collector and stdlib ``imaplib`` against it. A client is
untrusted: command lines and literals have size limits, an idle connection is logged out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from dengar.standins.imap_mailbox import SEEN, SYSTEM_FLAGS, ImapState, Mailbox, StoredMessage
from dengar.standins.imap_syntax import (LITERAL_AT_END, MONTHS, Command, NumberSet, SyntaxProblem, Text, Token,
                                         astring, command_tag, parse_command, parse_date, parse_set)

log = logging.getLogger(__name__)

CAPABILITIES = "IMAP4rev1 IDLE"
LOOPBACK = "127.0.0.1"
MAX_LOGIN_FAILURES = 3
NOT_AUTHENTICATED, AUTHENTICATED, SELECTED = "not authenticated", "authenticated", "selected"
_BODY = ("BODY[]", "BODY.PEEK[]")


@dataclass(frozen=True, slots=True)
class ImapLimits:
    max_line_bytes: int = 8192  # one command line (RFC 7162 asks clients to stay under 8192)
    max_literal_bytes: int = 64 * 1024  # a literal in a command (names, passwords: nothing large)
    autologout_seconds: float = 30 * 60  # RFC 3501 5.4: at least 30 minutes, IDLE included


class SessionEnds(Exception):
    """The connection must end; the text goes into ``* BYE``."""


class Refused(Exception):
    """The command is answered with ``status`` and ``text`` (BAD for syntax, NO for a refusal)."""

    def __init__(self, status: str, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


def internal_date(message: StoredMessage) -> str:
    moment = message.internal_date
    offset = moment.strftime("%z") or "+0000"
    return f'"{moment.day:2d}-{MONTHS[moment.month - 1]}-{moment.year:04d} {moment:%H:%M:%S} {offset}"'


def flag_list(message: StoredMessage) -> str:
    return "(" + " ".join(sorted(message.flags)) + ")"


@dataclass
class FetchItem:
    name: str  # as it is answered: UID, FLAGS, BODY[], BODY[]<0> ...
    peek: bool = True
    start: int | None = None  # a partial body: <start.length>
    length: int | None = None


def fetch_items(token: Token) -> list[FetchItem]:
    """The items of a FETCH (one atom or a parenthesized list); FAST is the only macro served."""
    names = token if isinstance(token, list) else [token]
    items: list[FetchItem] = []
    for raw in names:
        if isinstance(raw, (list, Text)):
            raise Refused("BAD", "a fetch item must be an atom")
        name = raw.upper()
        if name == "FAST":
            items += [FetchItem("FLAGS"), FetchItem("INTERNALDATE"), FetchItem("RFC822.SIZE")]
        elif name in ("UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE"):
            items.append(FetchItem(name))
        elif name == "RFC822":
            items.append(FetchItem("RFC822", peek=False))
        elif name.startswith(_BODY):
            section, _, partial = name.partition("]")
            if section + "]" not in _BODY:
                raise Refused("BAD", f"only the whole message is served (BODY[] or BODY.PEEK[]), not {raw}")
            start = length = None
            if partial:
                try:
                    start, length = (int(n) for n in partial.removeprefix("<").removesuffix(">").split("."))
                except ValueError:
                    raise Refused("BAD", f"malformed partial fetch {raw}") from None
                if not (partial.startswith("<") and partial.endswith(">")) or length <= 0:
                    raise Refused("BAD", f"malformed partial fetch {raw}")
            items.append(FetchItem("BODY[]" if start is None else f"BODY[]<{start}>", peek=".PEEK" in section,
                                   start=start, length=length))
        else:
            raise Refused("BAD", f"fetch item {raw} is not served (UID, FLAGS, INTERNALDATE, RFC822.SIZE, "
                                 "RFC822, BODY[] and BODY.PEEK[] are)")
    if not items:
        raise Refused("BAD", "FETCH needs at least one item")
    return items


@dataclass(eq=False)
class ImapSession:
    """One client connection, from the greeting to BYE."""

    server: ImapServer
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    state: str = NOT_AUTHENTICATED
    mailbox: Mailbox | None = None
    read_only: bool = True
    known_exists: int = 0
    login_failures: int = 0
    own_recent: set[int] = field(default_factory=set)
    news: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def limits(self) -> ImapLimits:
        return self.server.limits

    def send(self, line: str | bytes) -> None:
        self.writer.write((line.encode() if isinstance(line, str) else line) + b"\r\n")

    async def serve(self) -> None:
        self.send(f"* OK [CAPABILITY {CAPABILITIES}] dengar IMAP stand-in ready")
        try:
            while not self.writer.is_closing():
                received = await self.read_command()
                if received is None:
                    return
                pieces, literals = received
                if not pieces:
                    continue  # refused while it was read
                try:
                    command = parse_command(pieces, literals)
                except SyntaxProblem as problem:
                    self.send(f"{command_tag(pieces[0]) or '*'} BAD {problem}")
                    await self.writer.drain()
                    continue
                await self.run(command)
                await self.writer.drain()
        except _Closed:
            pass
        except SessionEnds as end:
            with contextlib.suppress(ConnectionError, RuntimeError):
                self.send(f"* BYE {end}")
                await self.writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except Exception:  # noqa: BLE001 - one client's oddity must not take the server down
            log.exception("IMAP stand-in: session ended by an unexpected error")
            with contextlib.suppress(ConnectionError, RuntimeError):
                self.send("* BYE internal server error")
        finally:
            self.deselect()
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()

    async def read_line(self) -> bytes | None:
        """One line without its line end; None when the client closed the connection."""
        try:
            line = await asyncio.wait_for(self.reader.readuntil(b"\n"), self.limits.autologout_seconds)
        except asyncio.LimitOverrunError:
            raise SessionEnds(f"command line too long (the limit is {self.limits.max_line_bytes} bytes)") from None
        except asyncio.IncompleteReadError:
            return None
        except TimeoutError:
            raise SessionEnds("autologout: no command for too long") from None
        return line.rstrip(b"\r\n")

    async def read_command(self) -> tuple[list[str], list[bytes]] | None:
        """A command's text pieces and the literals between them (a synchronizing ``{n}`` each)."""
        pieces: list[str] = []
        literals: list[bytes] = []
        while True:
            line = await self.read_line()
            if line is None:
                return None
            literal = LITERAL_AT_END.search(line)
            if literal is None:
                pieces.append(line.decode("utf-8", "replace"))
                return pieces, literals
            if literal.group(2):
                raise SessionEnds("non-synchronizing literals ({n+}) are not offered by this server")
            size = int(literal.group(1))
            pieces.append(line[:literal.start()].decode("utf-8", "replace"))
            if size > self.limits.max_literal_bytes or len(literals) >= 16:
                self.send(f"{command_tag(pieces[0]) or '*'} BAD literal too large (the limit is {self.limits.max_literal_bytes} bytes)")
                await self.writer.drain()
                return [], []  # answered: read the next command
            self.send("+ Ready for literal data")
            await self.writer.drain()
            try:
                literals.append(await asyncio.wait_for(self.reader.readexactly(size), self.limits.autologout_seconds))
            except TimeoutError:
                raise SessionEnds("autologout: a literal did not arrive") from None

    async def run(self, command: Command) -> None:
        handler = self.handlers().get(command.name)
        try:
            if handler is None:
                raise Refused("BAD", f"{command.name} is not supported by this server")
            states, method = handler
            if self.state not in states:
                raise Refused("BAD", f"{command.name} is not allowed now: "
                                     + ("log in first" if self.state == NOT_AUTHENTICATED else
                                        "select a mailbox first" if SELECTED in states else "already logged in"))
            text = await method(command)
            self.send(f"{command.tag} OK {text}")
        except Refused as refused:
            self.send(f"{command.tag} {refused.status} {refused.text}")
        except SyntaxProblem as problem:
            self.send(f"{command.tag} BAD {problem}")

    def handlers(self) -> dict[str, tuple[tuple[str, ...], Callable[[Command], Awaitable[str]]]]:
        anywhere = (NOT_AUTHENTICATED, AUTHENTICATED, SELECTED)
        logged_in = (AUTHENTICATED, SELECTED)
        return {
            "CAPABILITY": (anywhere, self.capability),
            "NOOP": (anywhere, self.noop),
            "LOGOUT": (anywhere, self.logout),
            "LOGIN": ((NOT_AUTHENTICATED,), self.login),
            "AUTHENTICATE": ((NOT_AUTHENTICATED,), self.authenticate),
            "SELECT": (logged_in, self.select),
            "EXAMINE": (logged_in, self.select),
            "SEARCH": ((SELECTED,), self.search),
            "UID SEARCH": ((SELECTED,), self.search),
            "FETCH": ((SELECTED,), self.fetch),
            "UID FETCH": ((SELECTED,), self.fetch),
            "IDLE": ((SELECTED,), self.idle),
        }

    # ---- commands ---------------------------------------------------------------------------------

    async def capability(self, command: Command) -> str:
        self.expect_arguments(command, 0)
        self.send(f"* CAPABILITY {CAPABILITIES}")
        return "CAPABILITY completed"

    async def noop(self, command: Command) -> str:
        self.send_news()
        return "NOOP completed"

    async def logout(self, command: Command) -> str:
        self.send("* BYE logging out")
        self.send(f"{command.tag} OK LOGOUT completed")
        await self.writer.drain()
        self.writer.close()
        raise _Closed()

    async def login(self, command: Command) -> str:
        self.expect_arguments(command, 2)
        username, password = astring(command.arguments[0]), astring(command.arguments[1])
        expected = self.server.state.users.get(username)
        if expected is not None and secrets.compare_digest(expected.encode(), password.encode()):
            self.state = AUTHENTICATED
            log.debug("IMAP stand-in: %s logged in", username)
            return "Logged in"
        self.login_failures += 1
        if self.login_failures >= MAX_LOGIN_FAILURES:
            self.send(f"{command.tag} NO [AUTHENTICATIONFAILED] Authentication failed.")
            raise SessionEnds("too many failed logins")
        raise Refused("NO", "[AUTHENTICATIONFAILED] Authentication failed.")

    async def authenticate(self, command: Command) -> str:
        raise Refused("NO", "[CANNOT] only LOGIN is offered")

    async def select(self, command: Command) -> str:
        self.expect_arguments(command, 1)
        self.deselect()
        name = astring(command.arguments[0])
        mailbox = self.server.state.mailbox(name)
        if mailbox is None:
            raise Refused("NO", f"[NONEXISTENT] Mailbox doesn't exist: {name}"[:300])
        self.mailbox, self.read_only, self.state = mailbox, command.name == "EXAMINE", SELECTED
        self.known_exists = len(mailbox.messages)
        mailbox.watchers.add(self.news)
        self.send("* FLAGS (" + " ".join(SYSTEM_FLAGS) + ")")
        self.send(f"* {self.known_exists} EXISTS")
        self.send(f"* {self.recent_count()} RECENT")
        self.send(f"* OK [UIDVALIDITY {mailbox.uidvalidity}] UIDs valid")
        self.send(f"* OK [UIDNEXT {mailbox.uidnext}] Predicted next UID")
        self.send("* OK [PERMANENTFLAGS ()] Read-only mailbox" if self.read_only
                  else f"* OK [PERMANENTFLAGS ({SEEN})] Flags permitted")
        return f"[READ-ONLY] {command.name} completed" if self.read_only else "[READ-WRITE] SELECT completed"

    async def search(self, command: Command) -> str:
        mailbox = self.selected()
        keys = list(command.arguments)
        if keys and isinstance(keys[0], str) and not isinstance(keys[0], Text) and keys[0].upper() == "CHARSET":
            if len(keys) < 2 or astring(keys[1]).upper() not in ("US-ASCII", "UTF-8"):
                raise Refused("NO", "[BADCHARSET (US-ASCII UTF-8)] unsupported charset")
            keys = keys[2:]
        if not keys:
            raise Refused("BAD", "SEARCH needs a search key")
        test = self.search_keys(keys, mailbox)
        by_uid = command.name.startswith("UID")
        found = [message.uid if by_uid else number
                 for number, message in enumerate(mailbox.messages, 1) if test(number, message)]
        self.send(" ".join(["* SEARCH", *map(str, found)]))
        return f"{command.name} completed"

    async def fetch(self, command: Command) -> str:
        mailbox = self.selected()
        self.expect_arguments(command, 2)
        by_uid = command.name.startswith("UID")
        wanted = parse_set(command.arguments[0], mailbox.largest_uid if by_uid else len(mailbox.messages))
        if wanted is None:
            raise Refused("BAD", "FETCH needs a message set")
        if not by_uid and any(high > len(mailbox.messages) for _, high in wanted.ranges):
            raise Refused("BAD", "invalid message set: no such message number")
        items = fetch_items(command.arguments[1])
        if by_uid and not any(item.name == "UID" for item in items):
            items.insert(0, FetchItem("UID"))
        for number, message in enumerate(list(mailbox.messages), 1):
            if (message.uid if by_uid else number) in wanted:
                self.writer.write(self.fetch_response(number, message, items))
                await self.writer.drain()
        return f"{command.name} completed"

    async def idle(self, command: Command) -> str:
        """RFC 2177: ``+ idling``, push EXISTS / RECENT as mail arrives, end on ``DONE``."""
        self.send("+ idling")
        await self.writer.drain()
        done = asyncio.ensure_future(self.read_line())
        try:
            while True:
                self.news.clear()
                self.send_news()
                await self.writer.drain()
                woken = asyncio.ensure_future(self.news.wait())
                await asyncio.wait({done, woken}, return_when=asyncio.FIRST_COMPLETED)
                woken.cancel()
                if done.done():
                    break
        finally:
            if not done.done():
                done.cancel()
        line = done.result()
        if line is None:
            raise _Closed()
        if line.strip().upper() != b"DONE":
            raise Refused("BAD", "expected DONE to end IDLE")
        return "IDLE terminated"

    # ---- helpers ----------------------------------------------------------------------------------

    def expect_arguments(self, command: Command, count: int) -> None:
        if len(command.arguments) != count:
            raise Refused("BAD", f"{command.name} takes {count} argument{'s' if count != 1 else ''}")

    def selected(self) -> Mailbox:
        mailbox = self.mailbox
        assert mailbox is not None  # the handler table allows these commands only when selected
        if self.server.state.mailbox(mailbox.name) is not mailbox:
            raise SessionEnds(f"mailbox {mailbox.name} was deleted or made anew (new UIDVALIDITY)")
        return mailbox

    def deselect(self) -> None:
        if self.mailbox is not None:
            self.mailbox.watchers.discard(self.news)
        self.mailbox, self.own_recent = None, set()
        if self.state == SELECTED:
            self.state = AUTHENTICATED

    def recent_count(self) -> int:
        """\\Recent belongs to the first read-write session that sees a message; EXAMINE only looks."""
        mailbox = self.mailbox
        if mailbox is None:
            return 0
        if self.read_only:
            return len(mailbox.recent | self.own_recent)
        self.own_recent |= mailbox.recent
        mailbox.recent.clear()
        return len(self.own_recent)

    def send_news(self) -> None:
        """``* n EXISTS`` / ``* n RECENT`` when mail arrived since the client last heard."""
        if self.mailbox is None:
            return
        mailbox = self.selected()
        if len(mailbox.messages) > self.known_exists:
            self.known_exists = len(mailbox.messages)
            self.send(f"* {self.known_exists} EXISTS")
            self.send(f"* {self.recent_count()} RECENT")

    def search_keys(self, keys: list[Token], mailbox: Mailbox) -> Callable[[int, StoredMessage], bool]:
        tests: list[Callable[[int, StoredMessage], bool]] = []
        position = 0
        while position < len(keys):
            key = keys[position]
            position += 1
            if isinstance(key, list):
                if not key:
                    raise Refused("BAD", "empty search key list")
                tests.append(self.search_keys(key, mailbox))
                continue
            if isinstance(key, Text):
                raise Refused("BAD", f"unexpected string {key!r} in SEARCH")
            name = key.upper()
            if name == "ALL":
                continue
            if name in ("SEEN", "UNSEEN"):
                seen = name == "SEEN"
                tests.append(lambda _n, m, seen=seen: (SEEN in m.flags) == seen)
                continue
            if name in ("UID", "SINCE", "BEFORE", "ON"):
                if position >= len(keys):
                    raise Refused("BAD", f"SEARCH {name} needs a value")
                value = keys[position]
                position += 1
                if name == "UID":
                    uids = parse_set(value, mailbox.largest_uid)
                    if uids is None:
                        raise Refused("BAD", f"SEARCH UID needs a UID set, not {value!r}")
                    tests.append(lambda _n, m, uids=uids: m.uid in uids)
                else:
                    day = parse_date(value)
                    compare = {"SINCE": lambda a, b: a >= b, "BEFORE": lambda a, b: a < b,
                               "ON": lambda a, b: a == b}[name]
                    tests.append(lambda _n, m, day=day, compare=compare: compare(m.internal_date.date(), day))
                continue
            numbers: NumberSet | None = parse_set(key, len(mailbox.messages))
            if numbers is None:
                raise Refused("BAD", f"search key {key} is not supported (ALL, UID, SINCE, BEFORE, ON, SEEN, "
                                     "UNSEEN and message sets are)")
            tests.append(lambda n, _m, numbers=numbers: n in numbers)
        return lambda number, message: all(test(number, message) for test in tests)

    def fetch_response(self, number: int, message: StoredMessage, items: list[FetchItem]) -> bytes:
        """``* n FETCH (...)``: plain items first, then the bodies as literals (each ending its line)."""
        if not self.read_only and SEEN not in message.flags and any(not item.peek for item in items):
            message.flags.add(SEEN)
            if not any(item.name == "FLAGS" for item in items):
                items = [*items, FetchItem("FLAGS")]
        plain: list[str] = []
        bodies: list[tuple[str, bytes]] = []
        for item in items:
            if item.name == "UID":
                plain.append(f"UID {message.uid}")
            elif item.name == "FLAGS":
                plain.append(f"FLAGS {flag_list(message)}")
            elif item.name == "INTERNALDATE":
                plain.append(f"INTERNALDATE {internal_date(message)}")
            elif item.name == "RFC822.SIZE":
                plain.append(f"RFC822.SIZE {len(message.data)}")
            elif item.start is not None and item.length is not None:
                bodies.append((item.name, message.data[item.start:item.start + item.length]))
            else:
                bodies.append((item.name, message.data))
        out = bytearray(f"* {number} FETCH (".encode())
        out += " ".join(plain).encode()
        for label, data in bodies:
            out += f"{' ' if out[-1:] != b'(' else ''}{label} {{{len(data)}}}\r\n".encode() + data
        out += b")\r\n"
        return bytes(out)


class _Closed(SessionEnds):
    """The session ended normally (LOGOUT, or the client hung up during IDLE): no BYE to send."""


@dataclass
class ImapServer:
    """``await start()``, then clients connect to ``LOOPBACK:port``; ``await stop()`` ends every session."""

    state: ImapState
    limits: ImapLimits = field(default_factory=ImapLimits)
    host: str = LOOPBACK
    port: int = 0
    _server: asyncio.base_events.Server | None = None
    _sessions: set[ImapSession] = field(default_factory=set)

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._connected, self.host, self.port,
                                                  limit=self.limits.max_line_bytes)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = ImapSession(self, reader, writer)
        self._sessions.add(session)
        try:
            await session.serve()
        finally:
            self._sessions.discard(session)

    def disconnect_all(self, reason: str = "server shutting down") -> int:
        """Say BYE to every client and close its connection, as a server does on restart; returns how many."""
        sessions = list(self._sessions)
        for session in sessions:
            with contextlib.suppress(ConnectionError, RuntimeError):
                session.send(f"* BYE {reason}")
            session.writer.close()
        return len(sessions)

    @property
    def connections(self) -> int:
        return len(self._sessions)

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        self.disconnect_all()
        await server.wait_closed()

    async def __aenter__(self) -> ImapServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: Any) -> None:
        await self.stop()


__all__ = ["CAPABILITIES", "ImapLimits", "ImapServer", "ImapSession", "ImapState", "fetch_items"]
