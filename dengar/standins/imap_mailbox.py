"""What the IMAP stand-in serves: accounts and mailboxes of raw messages with UIDs and a UIDVALIDITY.

Messages are kept byte for byte, as a real server stores what was delivered, so a client fetching
``BODY[]`` gets exactly what an archive import of the same file reads. Sessions subscribe to a
mailbox to learn at once when mail is appended (IDLE pushes ``EXISTS`` from that).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from pathlib import Path

from collectors.archive import HEAD_BYTES
from collectors.archive.email import MessageFileReader, looks_like_mbox, split_mbox

SEEN = "\\Seen"
SYSTEM_FLAGS = ("\\Answered", "\\Flagged", "\\Deleted", SEEN, "\\Draft")
MAILDIR_FLAGS = {"S": SEEN, "R": "\\Answered", "F": "\\Flagged", "T": "\\Deleted", "D": "\\Draft"}


@dataclass
class StoredMessage:
    uid: int
    data: bytes
    internal_date: datetime
    flags: set[str] = field(default_factory=set)


@dataclass
class Mailbox:
    """One mailbox; ``uidvalidity`` changes only when the mailbox is made anew."""

    name: str
    uidvalidity: int
    messages: list[StoredMessage] = field(default_factory=list)
    uidnext: int = 1
    recent: set[int] = field(default_factory=set)  # UIDs no read-write session has seen yet
    watchers: set[asyncio.Event] = field(default_factory=set)

    @property
    def largest_uid(self) -> int:
        return self.messages[-1].uid if self.messages else 0

    def append(self, data: bytes, internal_date: datetime, flags: Iterable[str] = ()) -> int:
        uid = self.uidnext
        self.uidnext += 1
        self.messages.append(StoredMessage(uid, bytes(data), internal_date, set(flags)))
        self.recent.add(uid)
        for watcher in self.watchers:
            watcher.set()
        return uid


@dataclass
class ImapState:
    """Accounts (user name -> password) and the mailboxes every account shares.

    One set of mailboxes is enough for a complaint mailbox stand-in; each mailbox is made on its
    first append, or by :meth:`create`.
    """

    users: dict[str, str] = field(default_factory=dict)
    mailboxes: dict[str, Mailbox] = field(default_factory=dict)
    _validities: Iterator[int] = field(default_factory=lambda: itertools.count(int(time.time())))

    @staticmethod
    def key(name: str) -> str:
        """Mailbox names are case-sensitive, except INBOX (RFC 3501 5.1)."""
        return "INBOX" if name.upper() == "INBOX" else name

    def create(self, name: str) -> Mailbox:
        """Make ``name`` anew (a fresh UIDVALIDITY, no messages), replacing what was there."""
        key = self.key(name)
        old = self.mailboxes.get(key)
        mailbox = Mailbox(key, next(self._validities))
        if old is not None:
            mailbox.watchers = old.watchers
        self.mailboxes[key] = mailbox
        return mailbox

    def mailbox(self, name: str) -> Mailbox | None:
        return self.mailboxes.get(self.key(name))

    def append(self, mailbox: str, data: bytes, internal_date: datetime | None = None,
               flags: Iterable[str] = ()) -> int:
        """Deliver one message; returns its UID. Call it on the loop the server runs on."""
        target = self.mailbox(mailbox) or self.create(mailbox)
        return target.append(data, internal_date or datetime.now(UTC), flags)

    def load_samples(self, folder: Path, mailbox: str = "INBOX") -> int:
        """Deliver every message of the mbox, Maildir and ``.eml`` files under ``folder`` in date order.

        The arrival time is the message's Date header (its INTERNALDATE, which SEARCH SINCE reads);
        a Maildir file's flags (``:2,S``) become the message's flags. Returns how many were delivered.
        """
        found = sorted(sample_messages(folder), key=lambda sample: sample[1])
        for data, moment, flags in found:
            self.append(mailbox, data, moment, flags)
        return len(found)


def message_date(data: bytes) -> datetime:
    """The Date header as an aware datetime; the epoch when it is missing or unreadable (sorts first)."""
    value = BytesHeaderParser(policy=compat32).parsebytes(data).get("Date")
    try:
        moment = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None:
        return datetime.fromtimestamp(0, UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sample_messages(folder: Path) -> Iterator[tuple[bytes, datetime, set[str]]]:
    """(bytes, date, flags) of each message in the archive files under ``folder``, read as import reads them."""
    message_files = MessageFileReader()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.parent.name == "tmp":
            continue  # Maildir's tmp/ holds deliveries in progress, not mail
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
        if looks_like_mbox(head):
            for data in split_mbox(path):
                yield data, message_date(data), set()
        elif message_files.sniff(path, head):
            data = path.read_bytes()
            _, _, info = path.name.partition(":2,")
            yield data, message_date(data), {MAILDIR_FLAGS[letter] for letter in info if letter in MAILDIR_FLAGS}


__all__ = ["SEEN", "SYSTEM_FLAGS", "ImapState", "Mailbox", "StoredMessage", "message_date", "sample_messages"]
