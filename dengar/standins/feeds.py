"""A local feed server: documents by path, validators and 304s the way real web servers send them.

Each document carries a strong ETag (a digest of its bytes) and a Last-Modified time; a request
whose If-None-Match matches (or, without one, whose If-Modified-Since is not older) gets a 304.
The demo publishes the bundled sample feeds through it; tests publish entries while it runs
(``publish_entry`` re-renders an RSS 2.0 document, newest first) and arm faults.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

from dengar.standins.faults import Faults

SUFFIX_TYPES = {
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".rss": "application/rss+xml",
    ".json": "application/feed+json",
}
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([\w.:-]+)[\"']")


def content_type_for(name: str, body: bytes) -> str:
    """The media type a web server would send for the file, with the charset the document declares (if any)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return "application/feed+json"
    media_type = SUFFIX_TYPES.get(suffix)
    if media_type is None:
        media_type = "application/atom+xml" if b"<feed" in body[:2048] else "application/rss+xml"
    declared = _XML_ENCODING.search(body[:200])
    if declared is None:
        return media_type  # no charset: the byte-order mark and XML declaration decide, as RFC 7303 wants
    return f"{media_type}; charset={declared.group(1).decode('ascii').lower()}"


@dataclass(frozen=True, slots=True)
class FeedDocument:
    body: bytes
    content_type: str
    modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """An RSS item as a test or the demo publishes it."""

    guid: str
    title: str
    description: str
    published: datetime
    link: str | None = None
    point: tuple[float, float] | None = None  # (lat, lon) as GeoRSS writes it


@dataclass
class FeedServerState:
    documents: dict[str, FeedDocument] = field(default_factory=dict)  # by path, "/warga.xml"
    entries: dict[str, list[FeedEntry]] = field(default_factory=dict)  # feeds rendered from entries
    faults: Faults = field(default_factory=Faults)
    requests: int = 0
    not_modified: int = 0

    def publish(self, path: str, body: bytes, content_type: str | None = None) -> FeedDocument:
        """Serve ``body`` at ``path`` from now on; Last-Modified always moves forward by a second at least."""
        path = "/" + path.lstrip("/")
        now = datetime.now(UTC).replace(microsecond=0)
        previous = self.documents.get(path)
        if previous is not None and now <= previous.modified:
            now = previous.modified + timedelta(seconds=1)
        document = FeedDocument(body, content_type or content_type_for(path, body), now)
        self.documents[path] = document
        return document

    def publish_entry(self, path: str, entry: FeedEntry, title: str = "Laporan Warga") -> FeedDocument:
        """Add an item to the RSS feed at ``path`` (created on first use) and re-render it."""
        path = "/" + path.lstrip("/")
        self.entries.setdefault(path, []).append(entry)
        return self.publish(path, render_rss(title, "https://warga.example.id/", self.entries[path]),
                            "application/rss+xml; charset=utf-8")

    def load_samples(self, folder: Path) -> list[str]:
        """Publish every feed file of ``folder`` under its file name; returns the paths."""
        paths = []
        for file in sorted(folder.iterdir()):
            if file.is_file() and not file.name.startswith("."):
                paths.append("/" + file.name)
                self.publish(file.name, file.read_bytes())
        return paths


def render_rss(title: str, link: str, entries: list[FeedEntry]) -> bytes:
    """An RSS 2.0 document with GeoRSS points, newest item first."""
    items = []
    for entry in sorted(entries, key=lambda e: e.published, reverse=True):
        parts = [f"<guid isPermaLink=\"false\">{escape(entry.guid)}</guid>",
                 f"<title>{escape(entry.title)}</title>",
                 f"<description>{escape(entry.description)}</description>",
                 f"<pubDate>{format_datetime(entry.published.astimezone(UTC), usegmt=True)}</pubDate>"]
        if entry.link:
            parts.append(f"<link>{escape(entry.link)}</link>")
        if entry.point:
            parts.append(f"<georss:point>{entry.point[0]} {entry.point[1]}</georss:point>")
        items.append("<item>" + "".join(parts) + "</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:georss="http://www.georss.org/georss"><channel>'
            f"<title>{escape(title)}</title><link>{escape(link)}</link><description>{escape(title)}</description>"
            + "".join(items) + "</channel></rss>\n").encode("utf-8")


STATE_KEY = web.AppKey("feed_state", FeedServerState)


def not_modified(request: web.Request, etag: str, modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        return since.tzinfo is not None and modified <= since
    return False


async def serve_feed(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    state.requests += 1
    document = state.documents.get(request.path)
    fault = state.faults.strikes()
    if fault is not None:
        return await state.faults.respond(request, fault, document.body if document else b"")
    if document is None:
        return web.Response(status=404, text="Not Found")
    validators = {"ETag": document.etag, "Last-Modified": format_datetime(document.modified, usegmt=True)}
    if not_modified(request, document.etag, document.modified):
        state.not_modified += 1
        return web.Response(status=304, headers=validators)
    return web.Response(status=200, body=document.body, headers={**validators, "Content-Type": document.content_type})


def create_app(state: FeedServerState) -> web.Application:
    app = web.Application()
    app[STATE_KEY] = state
    app.router.add_get("/{path:.*}", serve_feed)
    return app
