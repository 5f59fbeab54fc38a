"""Open311 GeoReport v2 service requests as Mentions.

GeoReport gives no requester identity in its public output and no page per request; a
``url``-like field some servers add is used as the permalink. Times without a zone are WIB.
"""

from __future__ import annotations

from typing import Any

import orjson

from collectors.content_types import OPEN311_REQUEST
from collectors.types import RawItem
from normalizer.channels.geopoint import geo_point
from normalizer.channels.message_text import clean_text, hashtags_in, mentions_in, unique, urls_in
from normalizer.channels.timeparse import parse_timestamp
from normalizer.types import Author, Mention, NormalizeError

CHANNEL = "open311"
PERMALINK_FIELDS = ("url", "html_url", "permalink", "public_url")


def parse_request(raw: RawItem) -> Mention:
    try:
        request = orjson.loads(raw.payload)
    except orjson.JSONDecodeError as exc:
        raise NormalizeError(f"service request payload is not JSON: {exc}") from None
    if not isinstance(request, dict):
        raise NormalizeError("service request payload is not a JSON object")
    request_id = _text(request.get("service_request_id"))
    if not request_id:
        raise NormalizeError("service request has no service_request_id (the server may have returned only a token)")
    stamp = request.get("requested_datetime")
    try:
        created_at = parse_timestamp(stamp)
    except ValueError as exc:
        raise NormalizeError(f"service request {request_id}: invalid requested_datetime: {exc}") from None
    title = clean_text(_text(request.get("service_name"))) or None
    text = clean_text(_text(request.get("description"))) or title or ""
    address = clean_text(_text(request.get("address")))
    if address and address.casefold() not in text.casefold():
        text = f"{text} — {address}" if text else address  # the place is often only in the address
    if not text:
        raise NormalizeError(f"service request {request_id} has neither description nor service_name")
    account = _text(request.get("account_id"))
    return Mention(
        channel=CHANNEL,
        external_id=request_id,
        source=raw.source,
        created_at=created_at,
        text=text,
        author=Author(id=account or None),
        permalink=_permalink(request),
        title=title,
        hashtags=hashtags_in(text),
        mentions=mentions_in(text),
        urls=urls_in(text),
        media=unique(url for url in _as_list(request.get("media_url")) if _is_web_url(url)),
        geo=geo_point(request.get("lat"), request.get("long")),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(item) for item in value]
    return [_text(value)] if value else []


def _is_web_url(value: str) -> bool:
    return value.lower().startswith(("https://", "http://"))


def _permalink(request: dict) -> str | None:
    for field in PERMALINK_FIELDS:
        value = _text(request.get(field))
        if _is_web_url(value):
            return value
    return None


PARSERS = {OPEN311_REQUEST: parse_request}
