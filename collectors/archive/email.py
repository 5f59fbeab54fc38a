"""E-mail archives: mbox files, Maildir message files and single ``.eml`` messages.

Every message is stored byte for byte as the archive holds it, so a parser change can re-read
it later. The Message-ID is the message's identity; a message without one gets a hash of its
bytes, so importing the same archive twice stores nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from collectors.archive import HEAD_BYTES
from collectors.content_types import EMAIL
from collectors.types import RawItem, fallback_external_id

CHANNEL = "email"
MBOX_SEPARATOR = b"From "
# A header line: a field name of printable ASCII without colon or space, then a colon.
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")
# Field names that only mail carries; one of them must appear before we claim a file.
MAIL_HEADER_NAMES = frozenset(
    {
        b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received", b"return-path",
        b"mime-version", b"content-type", b"delivered-to", b"sender", b"reply-to", b"in-reply-to",
        b"references", b"x-mailer", b"dkim-signature", b"envelope-to", b"x-original-to",
    }
)
_NOT_MAIL_FIRST_BYTES = (b"{", b"[", b"<")  # JSON, XML and HTML are never mail
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ID_WHITESPACE = re.compile(r"\s+")


def message_external_id(message: bytes) -> str:
    """Message-ID without angle brackets or whitespace; a hash of the bytes when there is none."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(message)
    value = headers.get("Message-ID")
    if value is not None:
        message_id = _ID_WHITESPACE.sub("", str(value)).strip("<>")
        if message_id:
            return message_id
    return fallback_external_id(message)


def looks_like_mbox(head: bytes) -> bool:
    """An mbox starts with a ``From `` envelope line followed by header lines."""
    if not head.startswith(MBOX_SEPARATOR):
        return False
    lines = head.split(b"\n", 2)
    return len(lines) < 2 or not lines[1].strip() or bool(_HEADER_LINE.match(lines[1]))


def looks_like_message(head: bytes) -> bool:
    """The head is a block of RFC 822 header lines naming at least one mail header."""
    if not head or head.startswith(_NOT_MAIL_FIRST_BYTES) or head.startswith(_BOMS):
        return False
    normalized = head.replace(b"\r\n", b"\n")
    block, blank_line, _ = normalized.partition(b"\n\n")
    lines = block.split(b"\n")
    if not blank_line and len(head) >= HEAD_BYTES and len(lines) > 1:
        lines.pop()  # the head ends inside the header block: its last line may be cut short
    if lines and not lines[-1]:
        lines.pop()  # a file of headers only, ending with a newline
    seen_mail_header = False
    for index, line in enumerate(lines):
        if line[:1] in (b" ", b"\t"):
            if index == 0:
                return False  # a continuation line needs a header before it
            continue
        if not _HEADER_LINE.match(line):
            # Mail without the blank line after its headers exists; what counts is that it
            # opens with header lines, one of them a mail header.
            return index > 0 and seen_mail_header
        name = line.split(b":", 1)[0].strip().lower()
        seen_mail_header = seen_mail_header or name in MAIL_HEADER_NAMES
    return seen_mail_header


def split_mbox(path: Path) -> Iterator[bytes]:
    """The messages of an mbox, streamed, byte for byte as ``mailbox.mbox.get_bytes`` gives them.

    Like ``mailbox.mbox``, every line starting with ``From `` begins a message, the envelope line
    itself is not part of it, ``>From `` quoting is left as stored, and the one blank line before
    the next envelope line is the separator, not content. Streaming keeps memory flat on large
    archives.
    """
    message: list[bytes] | None = None
    last_was_empty = False
    with open(path, "rb") as mbox:
        for line in mbox:
            if line.startswith(MBOX_SEPARATOR):
                if message is not None:
                    yield _join_message(message, last_was_empty)
                message = []
                last_was_empty = False
                continue
            if message is None:  # bytes before the first envelope line belong to no message
                continue
            message.append(line)
            last_was_empty = line == b"\n"
    if message is not None:
        yield _join_message(message, last_was_empty)


def _join_message(lines: list[bytes], ends_with_separator: bool) -> bytes:
    data = b"".join(lines)
    return data[:-1] if ends_with_separator else data


@dataclass(frozen=True, slots=True)
class MboxReader:
    """One RawItem per message of an mbox; ``origin`` is ``path#n`` with n its ``mailbox.mbox`` key."""

    channel: str = CHANNEL
    name: str = "mbox"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_mbox(head)

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        fetched_at = datetime.now(UTC)
        for index, message in enumerate(split_mbox(path)):
            yield raw_message(message, source, fetched_at, f"{path}#{index}")


@dataclass(frozen=True, slots=True)
class MessageFileReader:
    """One RawItem for a file holding one message: a Maildir entry or an ``.eml`` file."""

    channel: str = CHANNEL
    name: str = "rfc822-message"

    def sniff(self, path: Path, head: bytes) -> bool:
        if looks_like_message(head):
            return True
        # An .eml is mail by name; only refuse what is plainly another format.
        return (
            path.suffix.lower() == ".eml"
            and bool(head.strip())
            and not head.lstrip().startswith(_NOT_MAIL_FIRST_BYTES)
            and not head.startswith(MBOX_SEPARATOR)
        )

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        yield raw_message(path.read_bytes(), source, datetime.now(UTC), str(path))


def raw_message(message: bytes, source: str, fetched_at: datetime, origin: str) -> RawItem:
    """One message as a RawItem; the live IMAP collector builds its items through this too."""
    return RawItem(
        channel=CHANNEL,
        source=source,
        external_id=message_external_id(message),
        payload=message,
        content_type=EMAIL,
        fetched_at=fetched_at,
        origin=origin,
    )


READERS = [MboxReader(), MessageFileReader()]
