"""Feed files: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, RDF and CDF through feedparser; JSON Feed 1/1.1.

A feed is many messages in one document, so each entry becomes its own RawItem carrying the
feed's title, link and id beside it (see ``collectors.types.RawItem``). feedparser gets the
bytes as a stream: given bytes it would try them as a file name, and given a URL it would
fetch. A feed it cannot read at all is kept whole as one UNREADABLE item; a well-formed feed
without entries yields nothing, as there is nothing to store.

The base URI feedparser resolves relative links against is the file's bare name, not its
location on disk: a relative guid or link then stays as the feed wrote it, so an entry's id
does not depend on the folder the archive was imported from. A relative link is made absolute
against the feed's own web link, where it has one.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import orjson

from collectors.content_types import FEED_ENTRY, JSON_FEED_ITEM, UNREADABLE
from collectors.types import RawItem, fallback_external_id

CHANNEL = "rss"
FEED_CONTENT_TYPE = "application/xml"  # lets the XML declaration name the charset, as for a local file
# Any element that roots or frames a feed, with or without a namespace prefix.
_FEED_ELEMENT = re.compile(r"<\s*(?:[\w.-]+:)?(?:rss|feed|rdf|channel)\b", re.IGNORECASE)
_JSON_FEED_VERSION = re.compile(r"jsonfeed\.org/version/1(?:\.1)?\b", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"


def head_as_text(head: bytes) -> str:
    """Markup in any of UTF-8, Latin-1, UTF-16 or UTF-32 reads the same once NULs are dropped."""
    return head.replace(b"\x00", b"").decode("latin-1")


def looks_like_xml_feed(head: bytes) -> bool:
    text = head_as_text(head).lstrip("\ufeff\xef\xbb\xbf\xfe\xff \t\r\n")
    return not text.startswith(("{", "[")) and bool(_FEED_ELEMENT.search(text))


def looks_like_json_feed(head: bytes) -> bool:
    text = head_as_text(head).lstrip("\xef\xbb\xbf \t\r\n")
    return text.startswith("{") and bool(_JSON_FEED_VERSION.search(text))


def json_safe(value: Any) -> Any:
    """feedparser's result as plain JSON: ``*_parsed`` times become ISO 8601 UTC strings."""
    if isinstance(value, time.struct_time):
        return struct_time_to_iso(value)
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def struct_time_to_iso(value: time.struct_time) -> str | None:
    """feedparser normalises every date to UTC as a struct_time; out-of-range ones become None."""
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def entry_external_id(entry: dict[str, Any], entry_json: bytes, feed_link: str | None = None) -> str:
    """The entry's id (guid) as written; else its link, made absolute against the feed's link."""
    entry_id = entry.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        return entry_id.strip()
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return absolute_link(link.strip(), feed_link)
    return fallback_external_id(entry_json)


def absolute_link(link: str, base: str | None) -> str:
    """A relative link joined to an http(s) base; anything else unchanged."""
    if base and base.lower().startswith(("http://", "https://")) and not urlsplit(link).scheme:
        return urljoin(base, link)
    return link


@dataclass(frozen=True, slots=True)
class XmlFeedReader:
    """One FEED_ENTRY per entry of anything feedparser recognises."""

    channel: str = CHANNEL
    name: str = "xml-feed"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_xml_feed(head)

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        yield from xml_feed_items(path.read_bytes(), source, str(path), datetime.now(UTC),
                                  content_location=path.name, content_type=FEED_CONTENT_TYPE)


def xml_feed_items(data: bytes, source: str, origin: str, fetched_at: datetime, *,
                   content_location: str, content_type: str) -> Iterator[RawItem]:
    """FEED_ENTRY items of one feed document, or one UNREADABLE item; shared with the live collector.

    ``content_location`` is the base feedparser resolves relative links against and ``content_type``
    the header (with charset) the document came with.
    """
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": content_location, "content-type": content_type},
    )
    if not result.entries:
        if result.get("bozo"):
            yield unreadable_item(data, source, fetched_at, origin)
        return
    feed = result.get("feed", {})
    context = {key: json_safe(feed.get(key)) for key in ("title", "link", "id")}
    feed_link = context["link"] if isinstance(context["link"], str) else None
    for index, entry in enumerate(result.entries):
        safe_entry = json_safe(entry)
        entry_json = orjson.dumps(safe_entry, option=orjson.OPT_SORT_KEYS)
        yield RawItem(
            channel=CHANNEL,
            source=source,
            external_id=entry_external_id(safe_entry, entry_json, feed_link),
            payload=orjson.dumps({"feed": context, "entry": safe_entry}),
            content_type=FEED_ENTRY,
            fetched_at=fetched_at,
            origin=f"{origin}#{index}",
        )


@dataclass(frozen=True, slots=True)
class JsonFeedReader:
    """One JSON_FEED_ITEM per item of a JSON Feed (https://jsonfeed.org/version/1.1)."""

    channel: str = CHANNEL
    name: str = "json-feed"

    def sniff(self, path: Path, head: bytes) -> bool:
        return looks_like_json_feed(head)

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        yield from json_feed_items(path.read_bytes(), source, str(path), datetime.now(UTC))


def json_feed_items(data: bytes, source: str, origin: str, fetched_at: datetime) -> Iterator[RawItem]:
    """JSON_FEED_ITEM items of one JSON Feed document, or one UNREADABLE item; shared with the live collector."""
    try:
        document = orjson.loads(data.removeprefix(_UTF8_BOM))
    except orjson.JSONDecodeError:
        yield unreadable_item(data, source, fetched_at, origin)
        return
    items = document.get("items", []) if isinstance(document, dict) else None
    if not isinstance(items, list):
        yield unreadable_item(data, source, fetched_at, origin)
        return
    context = {key: document.get(key) for key in ("title", "home_page_url", "feed_url")}
    for index, item in enumerate(items):
        item_origin = f"{origin}#{index}"
        if not isinstance(item, dict):
            yield unreadable_item(orjson.dumps(item), source, fetched_at, item_origin)
            continue
        payload = orjson.dumps({"feed": context, "item": item})
        yield RawItem(
            channel=CHANNEL,
            source=source,
            external_id=json_feed_item_id(item, payload),
            payload=payload,
            content_type=JSON_FEED_ITEM,
            fetched_at=fetched_at,
            origin=item_origin,
        )


def json_feed_item_id(item: dict[str, Any], payload: bytes) -> str:
    for key in ("id", "url"):
        value = item.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):  # JSON Feed 1.0 allowed numbers
            return str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return fallback_external_id(payload)


def unreadable_item(data: bytes, source: str, fetched_at: datetime, origin: str) -> RawItem:
    return RawItem(
        channel=CHANNEL,
        source=source,
        external_id=fallback_external_id(data),
        payload=data,
        content_type=UNREADABLE,
        fetched_at=fetched_at,
        origin=origin,
    )


READERS = [JsonFeedReader(), XmlFeedReader()]
