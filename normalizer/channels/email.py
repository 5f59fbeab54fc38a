"""E-mail to Mention: who wrote, when, and what they wrote this time (not what they quoted).

Headers are read with the standard library's modern policy, which decodes RFC 2047 and knows
addresses; a header that policy cannot parse is decoded as written by the lenient ``compat32``
policy instead of the message being quarantined. The MIME parts are walked on the compat32
tree, which accepts any defect and costs a fraction of the modern one, so a defective message
gives the same kind of Mention as a clean one. Bounces and auto-replies are flagged here,
where the headers that prove them are still at hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import parseaddr, parsedate_to_datetime

from collectors.content_types import EMAIL
from collectors.types import RawItem
from normalizer.html_text import clean_plain_text, html_to_text
from normalizer.channels.message_text import hashtags_in, mentions_in, urls_in
from normalizer.channels.timeparse import time_or_fetched
from normalizer.types import Author, Mention, NormalizeError

CHANNEL = "email"
MAX_TEXT_CHARS = 100_000  # a complaint is read by a person; the rest stays in the raw store
MAX_PARTS = 500  # a hostile message may nest parts without end
MAX_DEPTH = 20

# What this client writes, not what it quotes: cut at the first reply header or signature.
_REPLY_HEADER = re.compile(
    r"^[ \t]*(?:On|Pada|Le|Am|El)\s(?:[^\n]*\n){0,2}?[^\n]*\b(?:wrote|menulis|a écrit|schrieb|escribió)\s*:[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t]*-{2,}\s*(?:Original Message|Pesan Asli|Pesan Asal)\s*-{2,}[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_SIGNATURE_LINES = frozenset({"-- ", "--"})
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")

_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
_BOUNCE_SUBJECT = re.compile(
    r"undeliver(?:ed|able)|delivery status notification|returned mail|delivery failure|"
    r"mail delivery failed|failure notice|non[- ]?delivery|tidak terkirim|gagal terkirim|"
    r"tidak dapat dikirim",
    re.IGNORECASE,
)
_AUTO_REPLY_SUBJECT = re.compile(
    r"out of (?:the )?office|automatic reply|auto[- ]?reply|^auto(?:matic)?\s*:|autoresponse|"
    r"balasan otomatis|jawaban otomatis|balas otomatis|respons otomatis|di luar kantor|sedang cuti",
    re.IGNORECASE,
)
# Text subtypes that hold data, not words someone wrote to us.
_NOT_PROSE_TEXT = frozenset(
    {"text/rfc822-headers", "text/calendar", "text/vcard", "text/x-vcard", "text/csv", "text/css",
     "text/javascript", "text/xml", "text/directory", "text/tab-separated-values"}
)
_AUTO_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk"})


@dataclass(slots=True)
class MessageBody:
    """What the walk over a message's parts found."""

    texts: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    defects: int = 0
    parts_seen: int = 0


def parse_email(raw: RawItem) -> Mention:
    # The MIME walk runs on the lenient compat32 tree (it never raises and is several times
    # faster); headers people read are decoded by the modern policy, one at a time.
    structure = message_from_bytes(raw.payload, policy=policy.compat32)
    headers = MessageHeaders(
        modern=BytesHeaderParser(policy=policy.default).parsebytes(raw.payload), lenient=structure
    )
    return mention_from_message(headers, structure, raw)


@dataclass(frozen=True, slots=True)
class MessageHeaders:
    """Top-level headers through the modern policy, each falling back to compat32 when it raises."""

    modern: Message
    lenient: Message

    def text(self, name: str) -> str:
        """A header as readable text: encoded words decoded, folding undone, stray bytes repaired."""
        try:
            value = self.modern.get(name)
            text = "" if value is None else str(value)
        except Exception:  # a header the modern policy cannot parse: decode it as written
            value = self.lenient.get(name)
            text = "" if value is None else _decode_words(value)
        return " ".join(without_surrogates(text).split())

    def modern_value(self, name: str) -> object | None:
        try:
            return self.modern.get(name)
        except Exception:
            return None


def mention_from_message(headers: MessageHeaders, structure: Message, raw: RawItem) -> Mention:
    subject = headers.text("Subject")
    body = MessageBody()
    collect_body(structure, body, depth=0)
    body_text = clean_plain_text("\n\n".join(text for text in body.texts if text))
    if not subject and not body_text:
        raise NormalizeError("empty message: no subject and no body text")
    text = clean_plain_text(f"{subject}\n\n{body_text}")[:MAX_TEXT_CHARS]
    author = sender(headers)
    flags = set(delivery_flags(headers, structure, subject, author))
    if body.defects:
        flags.add("mime_defects")
    created_at = time_or_fetched(sent_at(headers, structure), raw.fetched_at, flags)
    return Mention(
        channel=raw.channel,
        external_id=raw.external_id,
        source=raw.source,
        created_at=created_at,
        text=text,
        author=author,
        title=subject or None,
        hashtags=hashtags_in(text),
        mentions=mentions_in(text),
        urls=urls_in(text),
        media=tuple(dict.fromkeys(body.attachments)),
        reply_to=first_message_id(headers.text("In-Reply-To")),
        flags=frozenset(flags),
    )


def _decode_words(value: object) -> str:
    try:
        return str(make_header(decode_header(value)))  # type: ignore[arg-type]
    except Exception:  # an unknown charset or broken encoded word: keep the header as written
        return str(value)


def without_surrogates(text: str) -> str:
    """Undecodable header bytes arrive as lone surrogates; read them as UTF-8, the usual culprit."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def sender(headers: MessageHeaders) -> Author:
    value = headers.modern_value("From")
    addresses = getattr(value, "addresses", None)
    if addresses:  # the modern policy parsed the address list
        name, address = addresses[0].display_name, addresses[0].addr_spec
    else:
        raw_value = headers.lenient.get("From")
        if raw_value is None:
            return Author()
        name, address = parseaddr(str(raw_value))
        if name:
            name = _decode_words(name)
        elif not address:  # not an address at all: keep what was written as the name
            name = headers.text("From")
    name = " ".join(without_surrogates(name).split()) or None
    address = without_surrogates(address).strip().strip("<>").strip() or None
    return Author(id=address.lower() if address else None, handle=address, name=name)


def sent_at(headers: MessageHeaders, structure: Message) -> datetime | None:
    """The Date header in UTC; failing that, when the nearest server received the message."""
    date = _parse_date(headers.text("Date"))
    if date is not None:
        return date
    for received in structure.get_all("Received") or ():
        date = _parse_date(without_surrogates(str(received)).rpartition(";")[2])
        if date is not None:
            return date
    return None


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if date.tzinfo is None:  # "-0000": the time is UTC, the sender's zone unknown
        return date.replace(tzinfo=UTC)
    try:
        return date.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def first_message_id(value: str) -> str | None:
    match = _MESSAGE_ID.search(value)
    if match:
        return match.group(1)
    stripped = "".join(value.split()).strip("<>")
    return stripped or None


def collect_body(part: Message, body: MessageBody, depth: int) -> None:
    """Readable text of every part a person would read, attachments by file name only."""
    body.parts_seen += 1
    if depth > MAX_DEPTH or body.parts_seen > MAX_PARTS:
        body.defects += 1
        return
    body.defects += len(getattr(part, "defects", ()))
    content_type = part.get_content_type()
    filename = attachment_name(part)
    if filename:
        body.attachments.append(filename)
    if content_type == "message/rfc822":  # a forward: its body is what the citizen sent on
        for inner in _subparts(part):
            collect_body(inner, body, depth + 1)
        return
    if part.is_multipart():
        subparts = _subparts(part)
        if content_type == "multipart/alternative":
            subparts = _best_alternative(subparts)
        for subpart in subparts:
            collect_body(subpart, body, depth + 1)
        return
    if part.get_content_disposition() == "attachment":
        return
    if content_type == "text/html":
        body.texts.append(strip_reply_tail(html_to_text(decoded_text(part))))
    elif part.get_content_maintype() == "multipart" or _is_prose(content_type):
        # A multipart whose boundary never appears is read as the text it then is.
        body.texts.append(strip_reply_tail(decoded_text(part)))


def _is_prose(content_type: str) -> bool:
    return content_type.startswith("text/") and content_type not in _NOT_PROSE_TEXT


def _subparts(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [item for item in payload if isinstance(item, Message)]
    return []


def _best_alternative(subparts: list[Message]) -> list[Message]:
    """Plain text when the sender gave it, else HTML, else the richest nested alternative."""
    for wanted in ("text/plain", "text/html"):
        for subpart in subparts:
            if subpart.get_content_type() == wanted and subpart.get_content_disposition() != "attachment":
                return [subpart]
    nested = [subpart for subpart in subparts if subpart.is_multipart()]
    return nested[-1:] if nested else []


def attachment_name(part: Message) -> str | None:
    try:
        filename = part.get_filename()
    except Exception:  # a malformed RFC 2231 parameter
        return None
    if not filename:
        return None
    return " ".join(without_surrogates(_decode_words(filename)).split()) or None


def decoded_text(part: Message) -> str:
    """The part's text in its declared charset; UTF-8 or Latin-1 when that is missing or wrong."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("windows-1252", "replace")


def strip_reply_tail(text: str) -> str:
    """The new text of a reply: quoted lines, the quoted message and the signature removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text)
    for pattern in (_REPLY_HEADER, _ORIGINAL_MESSAGE):
        match = pattern.search(text)
        if match:
            cut = min(cut, match.start())
    kept: list[str] = []
    for line in text[:cut].split("\n"):
        if line in _SIGNATURE_LINES:
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept)


def delivery_flags(headers: MessageHeaders, message: Message, subject: str, author: Author) -> set[str]:
    """"bounce" for delivery reports, "auto_reply" for messages no person wrote."""
    flags: set[str] = set()
    local_part = (author.id or "").split("@", 1)[0]
    is_report = message.get_content_type() == "multipart/report" and (
        str(message.get_param("report-type") or "").lower() == "delivery-status"
    )
    if is_report or local_part in _BOUNCE_SENDERS or _BOUNCE_SUBJECT.search(subject):
        flags.add("bounce")
    auto_submitted = headers.text("Auto-Submitted").lower()
    precedence = headers.text("Precedence").lower()
    if (
        (auto_submitted and auto_submitted.split(";")[0].strip() != "no")
        or _set_and_not_no(headers.text("X-Autoreply"))
        or _set_and_not_no(headers.text("X-Autorespond"))
        or precedence in _AUTO_PRECEDENCE
        or _AUTO_REPLY_SUBJECT.search(subject)
    ):
        flags.add("auto_reply")
    return flags


def _set_and_not_no(value: str) -> bool:
    return bool(value) and value.strip().lower() not in {"no", "false", "0"}


PARSERS = {EMAIL: parse_email}
