"""Feed entries (via feedparser) and JSON Feed items to Mentions.

Titles and bodies may be HTML written by anyone: every one goes through ``html_to_text`` unless
the feed declares it plain text. Links become permalinks only when they are web links, so a
``javascript:`` URL can never reach the console as a link. GeoRSS points arrive from
feedparser as GeoJSON, that is (lon, lat).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import orjson

from collectors.content_types import FEED_ENTRY, JSON_FEED_ITEM
from collectors.types import RawItem
from normalizer.channels.geopoint import geo_point
from normalizer.html_text import clean_plain_text, html_to_text
from normalizer.channels.message_text import hashtags_in, mentions_in, urls_in
from normalizer.channels.timeparse import time_or_fetched
from normalizer.types import Author, GeoPoint, Mention, NormalizeError

MAX_TEXT_CHARS = 100_000
_DATE_KEYS = ("published_parsed", "updated_parsed", "created_parsed")
_WEB_SCHEMES = ("http://", "https://")


def parse_feed_entry(raw: RawItem) -> Mention:
    document = _load_object(raw.payload, "entry")
    entry = document["entry"]
    feed = document.get("feed") if isinstance(document.get("feed"), dict) else {}
    base = web_link(feed.get("link"))
    title = detail_text(entry.get("title"), entry.get("title_detail"))
    body = entry_body(entry)
    created_at = first_date(entry.get(key) for key in _DATE_KEYS)
    return _mention(
        raw,
        title=title,
        body=body,
        created_at=created_at,
        permalink=web_link(_absolute(entry.get("link"), base)) or _alternate_link(entry.get("links"), base),
        author=entry_author(entry),
        geo=entry_geo(entry),
        media=entry_media(entry),
    )


def parse_json_feed_item(raw: RawItem) -> Mention:
    document = _load_object(raw.payload, "item")
    item = document["item"]
    title = clean_plain_text(_text(item.get("title")))
    if _text(item.get("content_text")):
        body = clean_plain_text(_text(item.get("content_text")))
    elif _text(item.get("content_html")):
        body = html_to_text(_text(item.get("content_html")))
    else:
        body = clean_plain_text(_text(item.get("summary")))
    created_at = first_date(_iso_date(item.get(key)) for key in ("date_published", "date_modified"))
    attachments = item.get("attachments")
    media = [_text(item.get("image")), _text(item.get("banner_image"))]
    if isinstance(attachments, list):
        media.extend(_text(attachment.get("url")) for attachment in attachments if isinstance(attachment, dict))
    return _mention(
        raw,
        title=title,
        body=body,
        created_at=created_at,
        permalink=web_link(item.get("url")) or web_link(item.get("external_url")),
        author=json_feed_author(item),
        geo=None,
        media=tuple(dict.fromkeys(url for url in media if web_link(url))),
    )


def _mention(
    raw: RawItem,
    *,
    title: str,
    body: str,
    created_at: datetime | None,
    permalink: str | None,
    author: Author,
    geo: GeoPoint | None,
    media: tuple[str, ...],
) -> Mention:
    text = combined_text(title, body)
    if not text:
        raise NormalizeError("feed entry has no title and no text")
    flags: set[str] = set()
    created_at = time_or_fetched(created_at, raw.fetched_at, flags)
    return Mention(
        channel=raw.channel,
        external_id=raw.external_id,
        source=raw.source,
        created_at=created_at,
        text=text,
        author=author,
        permalink=permalink,
        title=title or None,
        hashtags=hashtags_in(text),
        mentions=mentions_in(text),
        urls=urls_in(text),
        media=media,
        geo=geo,
        flags=frozenset(flags),
    )


def _load_object(payload: bytes, key: str) -> dict[str, Any]:
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise NormalizeError(f"payload is not JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get(key), dict):
        raise NormalizeError(f"payload has no {key!r} object")
    return document


def combined_text(title: str, body: str) -> str:
    """Title then body; a body that already opens with the title (microblog feeds) is not doubled."""
    if title and body.startswith(title):
        return body[:MAX_TEXT_CHARS]
    return clean_plain_text(f"{title}\n\n{body}")[:MAX_TEXT_CHARS]


def detail_text(value: Any, detail: Any) -> str:
    """A feedparser text construct as plain text; HTML unless the feed says it is plain."""
    text = _text(value)
    content_type = detail.get("type", "") if isinstance(detail, dict) else ""
    if content_type == "text/plain":
        return clean_plain_text(text)
    return html_to_text(text)


def entry_body(entry: dict[str, Any]) -> str:
    """The full content when the feed carries it, else the summary."""
    contents = entry.get("content")
    if isinstance(contents, list):
        for content in contents:
            if isinstance(content, dict):
                text = detail_text(content.get("value"), content)
                if text:
                    return text
    return detail_text(entry.get("summary"), entry.get("summary_detail"))


def first_date(values: Iterable[Any]) -> datetime | None:
    for value in values:
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        if isinstance(value, str):
            parsed = _iso_date(value)
            if parsed is not None:
                return parsed
    return None


def _iso_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:  # RFC 3339 requires a zone; a feed without one is read as UTC
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def web_link(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(_WEB_SCHEMES):
        return value.strip()
    return None


def _absolute(link: Any, base: str | None) -> Any:
    """Relative links stay relative in the archive (see collectors.archive.feeds); join them here."""
    if isinstance(link, str) and base and not urlsplit(link.strip()).scheme:
        return urljoin(base, link.strip())
    return link


def _alternate_link(links: Any, base: str | None) -> str | None:
    if not isinstance(links, list):
        return None
    for link in links:
        if isinstance(link, dict) and link.get("rel", "alternate") == "alternate":
            href = web_link(_absolute(link.get("href"), base))
            if href:
                return href
    return None


def entry_author(entry: dict[str, Any]) -> Author:
    detail = entry.get("author_detail") if isinstance(entry.get("author_detail"), dict) else {}
    name = clean_plain_text(_text(detail.get("name")) or _text(entry.get("author"))) or None
    email = _text(detail.get("email")).strip() or None
    href = web_link(detail.get("href"))
    return Author(id=(email.lower() if email else None) or href or name, handle=email, name=name)


def json_feed_author(item: dict[str, Any]) -> Author:
    authors = item.get("authors")
    author = authors[0] if isinstance(authors, list) and authors else item.get("author")
    if not isinstance(author, dict):
        return Author()
    name = clean_plain_text(_text(author.get("name"))) or None
    url = web_link(author.get("url"))
    return Author(id=url or name, name=name)


def entry_geo(entry: dict[str, Any]) -> GeoPoint | None:
    """GeoRSS ``where`` (GeoJSON order, lon first) or W3C ``geo:lat``/``geo:long``."""
    where = entry.get("where")
    if isinstance(where, dict):
        point = _geojson_center(where.get("coordinates"))
        if point is not None:
            return point
    return geo_point(entry.get("geo_lat"), entry.get("geo_long"))


def _geojson_center(coordinates: Any) -> GeoPoint | None:
    """A Point as is; a line, box or polygon by the mean of its positions."""
    positions = list(_positions(coordinates))
    if not positions:
        return None
    lon = sum(position[0] for position in positions) / len(positions)
    lat = sum(position[1] for position in positions) / len(positions)
    return geo_point(lat, lon)


def _positions(coordinates: Any, depth: int = 0) -> Iterable[tuple[float, float]]:
    if not isinstance(coordinates, list) or depth > 4:
        return
    if len(coordinates) >= 2 and all(isinstance(value, (int, float)) for value in coordinates[:2]):
        yield (float(coordinates[0]), float(coordinates[1]))
        return
    for nested in coordinates:
        yield from _positions(nested, depth + 1)


def entry_media(entry: dict[str, Any]) -> tuple[str, ...]:
    """Enclosures (kept by feedparser among ``links``) and Media RSS content, as web links, each once."""
    urls: list[str] = []
    links = entry.get("links")
    if isinstance(links, list):
        urls.extend(
            _text(link.get("href")) for link in links if isinstance(link, dict) and link.get("rel") == "enclosure"
        )
    for key, url_key in (("enclosures", "href"), ("media_content", "url")):
        items = entry.get(key)
        if isinstance(items, list):
            urls.extend(_text(item.get(url_key)) for item in items if isinstance(item, dict))
    return tuple(dict.fromkeys(url.strip() for url in urls if web_link(url)))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


PARSERS = {FEED_ENTRY: parse_feed_entry, JSON_FEED_ITEM: parse_json_feed_item}
