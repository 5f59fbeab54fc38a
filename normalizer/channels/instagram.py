"""Instagram posts (instaloader's saved node) and comments as Mentions.

Fields are read the way instaloader's ``Post`` properties read them (caption from
``edge_media_to_caption`` or ``caption``, time from ``date`` or ``taken_at_timestamp``, media
from ``display_url``/``video_url`` and sidecar children), without building instaloader objects,
which would need a network context.
"""

from __future__ import annotations

from typing import Any

import orjson

from collectors.content_types import INSTAGRAM_COMMENT, INSTAGRAM_POST
from collectors.types import RawItem
from normalizer.channels.geopoint import geo_point
from normalizer.channels.message_text import clean_text, hashtags_in, mentions_in, unique, urls_in
from normalizer.channels.timeparse import parse_timestamp
from normalizer.types import Author, GeoPoint, Mention, NormalizeError

CHANNEL = "instagram"


def post_permalink(shortcode: str) -> str:
    return f"https://www.instagram.com/p/{shortcode}/"


def parse_post(raw: RawItem) -> Mention:
    document = _load(raw.payload, "post")
    meta = document.get("instaloader")
    node = document.get("node")
    if not isinstance(node, dict) or not isinstance(meta, dict):
        raise NormalizeError('post payload is not an instaloader structure ("node" and "instaloader" missing)')
    if meta.get("node_type") != "Post":
        raise NormalizeError(f"instaloader structure is a {meta.get('node_type')!r}, not a Post")
    shortcode = node.get("shortcode") or node.get("code")
    if not shortcode:
        raise NormalizeError("post has no shortcode")
    shortcode = str(shortcode)
    text = clean_text(_caption(node))
    if not text:
        raise NormalizeError(f"post {shortcode} has no caption")
    try:
        created_at = parse_timestamp(node["date"] if "date" in node else node.get("taken_at_timestamp"))
    except ValueError as exc:
        raise NormalizeError(f"post {shortcode}: invalid time: {exc}") from None
    owner = node.get("owner") if isinstance(node.get("owner"), dict) else {}
    return Mention(
        channel=CHANNEL,
        external_id=shortcode,
        source=raw.source,
        created_at=created_at,
        text=text,
        author=_author(owner),
        permalink=post_permalink(shortcode),
        title=clean_text(node.get("title") if isinstance(node.get("title"), str) else "") or None,
        hashtags=hashtags_in(text),
        mentions=mentions_in(text),
        urls=urls_in(text),
        media=_post_media(node),
        geo=_location_point(node.get("location")),
        place_tag=_location_name(node.get("location")),
    )


def parse_comment(raw: RawItem) -> Mention:
    document = _load(raw.payload, "comment")
    comment = document.get("comment")
    if not isinstance(comment, dict):
        raise NormalizeError('comment payload has no "comment" object')
    comment_id = comment.get("id")
    if comment_id in (None, ""):
        raise NormalizeError("comment has no id")
    comment_id = str(comment_id)
    text = clean_text(comment.get("text") if isinstance(comment.get("text"), str) else "")
    if not text:
        raise NormalizeError(f"comment {comment_id} has no text")
    try:
        created_at = parse_timestamp(comment.get("created_at"))
    except ValueError as exc:
        raise NormalizeError(f"comment {comment_id}: invalid created_at: {exc}") from None
    post = document.get("post") if isinstance(document.get("post"), dict) else {}
    shortcode = post.get("shortcode")
    parent = document.get("reply_to")
    owner = comment.get("owner") if isinstance(comment.get("owner"), dict) else {}
    return Mention(
        channel=CHANNEL,
        external_id=comment_id,
        source=raw.source,
        created_at=created_at,
        text=text,
        author=_author(owner),
        permalink=f"https://www.instagram.com/p/{shortcode}/c/{comment_id}/" if shortcode else None,
        hashtags=hashtags_in(text),
        mentions=mentions_in(text),
        urls=urls_in(text),
        # an answer replies to its comment; a comment replies to its post (both Instagram ids)
        reply_to=str(parent) if parent not in (None, "") else (str(shortcode) if shortcode else None),
    )


def _load(payload: bytes, what: str) -> dict:
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise NormalizeError(f"{what} payload is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise NormalizeError(f"{what} payload is not a JSON object")
    return document


def _caption(node: dict) -> str:
    edges = (node.get("edge_media_to_caption") or {}).get("edges") if isinstance(node.get("edge_media_to_caption"), dict) else None
    if edges and isinstance(edges[0], dict):
        text = (edges[0].get("node") or {}).get("text")
        if isinstance(text, str):
            return text
    caption = node.get("caption")
    if isinstance(caption, dict):  # iPhone-API nodes keep the caption as an object
        caption = caption.get("text")
    return caption if isinstance(caption, str) else ""


def _author(owner: dict) -> Author:
    owner_id = owner.get("id") or owner.get("pk")
    return Author(
        id=str(owner_id) if owner_id not in (None, "") else None,
        handle=owner.get("username") or None,
        name=owner.get("full_name") or None,
    )


def _post_media(node: dict) -> tuple[str, ...]:
    urls: list[str] = []
    children = (node.get("edge_sidecar_to_children") or {}).get("edges") if isinstance(node.get("edge_sidecar_to_children"), dict) else None
    for edge in children or ():
        child = edge.get("node") if isinstance(edge, dict) else None
        if isinstance(child, dict):
            urls.append(str(child.get("video_url") or child.get("display_url") or ""))
    if not urls:
        urls.append(str(node.get("video_url") or node.get("display_url") or node.get("display_src") or ""))
    return unique(urls)


def _location_name(location: Any) -> str | None:
    """The tagged location's name ("Kebon Kosong, Jakarta Pusat"): people tag the place instead of
    writing it, and newer metadata often has the name without the point."""
    if not isinstance(location, dict) or not isinstance(location.get("name"), str):
        return None
    return clean_text(location["name"])[:200] or None


def _location_point(location: Any) -> GeoPoint | None:
    if not isinstance(location, dict):
        return None
    return geo_point(location.get("lat"), location.get("lng"))


PARSERS = {INSTAGRAM_POST: parse_post, INSTAGRAM_COMMENT: parse_comment}
