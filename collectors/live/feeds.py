"""Live RSS / Atom / RDF / JSON Feed sources: a conditional GET, then the archive reader's items.

A feed is one document that always holds its newest entries, so a run is one fetch. The server's
validators (ETag, Last-Modified) and a digest of the body go into the cursor: an unchanged feed
costs a 304 or, from servers without validators, one parse skipped. Entries are re-offered on
every changed fetch and storage ignores the ones already known, so nothing depends on the feed's
dates being honest. A document nothing can read becomes one UNREADABLE item, kept for a person.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

import orjson

from collectors.archive.feeds import (
    FEED_CONTENT_TYPE,
    json_feed_items,
    looks_like_json_feed,
    xml_feed_items,
)
from collectors.content_types import FEED_ENTRY, JSON_FEED_ITEM
from collectors.live.base import Batch, Cursor
from collectors.live.http import HttpFetcher, HttpSourceConfig, content_type_is, document_batches, redact_url
from collectors.types import RawItem

BATCH_SIZE = 500
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
SNIFF_BYTES = 4096


class FeedConfig(HttpSourceConfig):
    """``[[sources]]`` keys of a feed: ``url``, ``timeout`` (seconds), ``max_bytes``."""


class FeedCollector:
    config_model: ClassVar[type[FeedConfig]] = FeedConfig
    channel: ClassVar[str] = "rss"

    def __init__(self, config: FeedConfig, **context: Any) -> None:
        self.config = config
        self.http = HttpFetcher(timeout=config.timeout, max_bytes=config.max_bytes)

    async def collect(self, cursor: Cursor, since: datetime | None = None) -> AsyncIterator[Batch]:
        """One fetch. A backfill (``since``) skips the validators: it wants whatever the document holds."""
        changed = await self.http.get_if_changed(self.config.url, cursor, conditional=since is None, accept=ACCEPT)
        if changed is None:
            return
        fetched, validators = changed
        items = list(self.document_items(fetched.body, fetched.content_type, datetime.now(UTC)))
        next_cursor = {**validators, "newest_entry": max_iso(cursor.get("newest_entry"), newest_entry(items))}
        for batch in document_batches(items, cursor, next_cursor, BATCH_SIZE):
            yield batch

    def document_items(self, body: bytes, content_type: str, fetched_at: datetime) -> Iterable[RawItem]:
        origin = redact_url(self.config.url)
        if content_type_is(content_type, "json") or looks_like_json_feed(body[:SNIFF_BYTES]):
            return json_feed_items(body, self.config.name, origin, fetched_at)
        return xml_feed_items(body, self.config.name, origin, fetched_at,
                              content_location=self.config.url,
                              content_type=content_type or FEED_CONTENT_TYPE)

    async def aclose(self) -> None:
        await self.http.aclose()


def newest_entry(items: Iterable[RawItem]) -> str | None:
    """The latest published/updated time among the items (ISO 8601 UTC), for the record."""
    newest: str | None = None
    for item in items:
        newest = max_iso(newest, _entry_time(item))
    return newest


def _entry_time(item: RawItem) -> str | None:
    if item.content_type not in (FEED_ENTRY, JSON_FEED_ITEM):
        return None
    try:
        payload = orjson.loads(item.payload)
    except orjson.JSONDecodeError:
        return None
    if item.content_type == FEED_ENTRY:
        entry = payload.get("entry") or {}
        stamps = [entry.get("updated_parsed"), entry.get("published_parsed")]
    else:
        entry = payload.get("item") or {}
        stamps = [entry.get("date_modified"), entry.get("date_published")]
    newest: str | None = None
    for stamp in stamps:
        newest = max_iso(newest, _as_utc_iso(stamp))
    return newest


def _as_utc_iso(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None  # a zone-less date cannot be ordered against the others
    return when.astimezone(UTC).isoformat()


def max_iso(first: str | None, second: str | None) -> str | None:
    """The later of two ISO 8601 UTC strings (same format, so they order as text); None counts as oldest."""
    candidates = [value for value in (first, second) if value]
    return max(candidates) if candidates else None
