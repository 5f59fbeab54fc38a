"""Instagram archives as instaloader saves them: post metadata and comment files.

instaloader writes a post's metadata as ``{"node": {...}, "instaloader": {"version", "node_type":
"Post"}}`` to ``<name>.json.xz`` (LZMA, compact) or ``<name>.json`` (``--no-compress-json``,
pretty-printed with sorted keys), and its comments to ``<name>_comments.json``: a list of
``{id, created_at (unix), text, owner, likes_count, answers: [same shape]}``. ``<name>`` comes
from ``--filename-pattern`` (``{date_utc}_UTC`` by default), so the post a comment file belongs
to is found through the sibling metadata file when there is one.

Other instaloader files (profiles, stories, resume files) are not posts and are not claimed.
"""

from __future__ import annotations

import lzma
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from collectors.archive.json_sniff import has_key, significant_head
from collectors.content_types import INSTAGRAM_COMMENT, INSTAGRAM_POST, UNREADABLE
from collectors.types import RawItem, fallback_external_id

CHANNEL = "instagram"
COMMENTS_SUFFIX = "_comments.json"
MAX_METADATA_BYTES = 32 * 1024 * 1024  # one post's metadata; larger is not a post file
DATE_UTC_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_UTC_?")
SHORTCODE = re.compile(r"^[A-Za-z0-9_-]{11}$")


def read_metadata_bytes(path: Path) -> bytes:
    """The JSON text of an instaloader metadata file, decompressed when it is ``.xz``."""
    if path.name.endswith(".xz"):
        with lzma.open(path, "rb") as compressed:
            return compressed.read(MAX_METADATA_BYTES + 1)
    with open(path, "rb") as plain:
        return plain.read(MAX_METADATA_BYTES + 1)


def post_node(document: Any) -> dict | None:
    """The post node of an instaloader structure, or None when it is not a saved Post."""
    if not isinstance(document, dict):
        return None
    meta = document.get("instaloader")
    node = document.get("node")
    if isinstance(meta, dict) and meta.get("node_type") == "Post" and isinstance(node, dict):
        return node
    return None


def node_shortcode(node: dict) -> str | None:
    shortcode = node.get("shortcode") or node.get("code")  # "code" in iPhone-API nodes
    return str(shortcode) if shortcode else None


def _metadata_head(path: Path, head: bytes) -> bytes:
    if path.name.endswith(".json.xz"):
        try:
            return lzma.LZMADecompressor().decompress(head, max_length=65536)
        except lzma.LZMAError:
            return b""
    return head


class InstaloaderPostReader:
    channel = CHANNEL
    name = "instaloader-post"

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.name.endswith((".json", ".json.xz")) or path.name.endswith(COMMENTS_SUFFIX):
            return False
        text = significant_head(_metadata_head(path, head))
        if not text.startswith(b"{") or not (has_key(text, "node") or has_key(text, "instaloader")):
            return False
        try:
            document = orjson.loads(read_metadata_bytes(path))
        except (OSError, lzma.LZMAError, EOFError, orjson.JSONDecodeError):
            # starts like instaloader's structure but is damaged: claim it so it is quarantined
            return has_key(text, "instaloader") or text.startswith(b'{"node":')
        return post_node(document) is not None

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        now = datetime.now(UTC)
        origin = str(path)
        try:
            payload = read_metadata_bytes(path)
            node = post_node(orjson.loads(payload))
        except (OSError, lzma.LZMAError, EOFError, orjson.JSONDecodeError):
            raw_bytes = path.read_bytes()
            yield RawItem(CHANNEL, source, fallback_external_id(raw_bytes), raw_bytes, UNREADABLE, now, origin)
            return
        shortcode = node_shortcode(node) if node is not None else None
        external_id = shortcode or fallback_external_id(payload)
        yield RawItem(CHANNEL, source, external_id, payload, INSTAGRAM_POST, now, origin)


def shortcode_for_comments(path: Path) -> str | None:
    """The shortcode of the post a ``<name>_comments.json`` belongs to: from the sibling
    ``<name>.json.xz`` / ``<name>.json`` when present, else from ``<name>`` itself when the
    filename pattern put the shortcode there."""
    base = path.name[: -len(COMMENTS_SUFFIX)]
    for sibling in (path.with_name(base + ".json.xz"), path.with_name(base + ".json")):
        if sibling.is_file():
            try:
                node = post_node(orjson.loads(read_metadata_bytes(sibling)))
            except (OSError, lzma.LZMAError, EOFError, orjson.JSONDecodeError):
                continue
            if node is not None and node_shortcode(node):
                return node_shortcode(node)
    candidate = DATE_UTC_PREFIX.sub("", base)
    return candidate if SHORTCODE.match(candidate) else None


class InstaloaderCommentsReader:
    channel = CHANNEL
    name = "instaloader-comments"

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.name.endswith(COMMENTS_SUFFIX):
            return False
        text = significant_head(head)
        return text.startswith(b"[") and (
            (has_key(text, "created_at") and has_key(text, "text")) or text.rstrip() == b"[]"
        )

    def read(self, path: Path, source: str) -> Iterator[RawItem]:
        now = datetime.now(UTC)
        origin = str(path)
        raw_bytes = path.read_bytes()
        try:
            comments = orjson.loads(raw_bytes)
        except orjson.JSONDecodeError:
            comments = None
        if not isinstance(comments, list):
            yield RawItem(CHANNEL, source, fallback_external_id(raw_bytes), raw_bytes, UNREADABLE, now, origin)
            return
        post = {"shortcode": shortcode_for_comments(path), "file": path.name}
        yield from comment_items(comments, post, source, origin, now)


def comment_items(comments: list, post: dict, source: str, origin: str, fetched_at: datetime) -> Iterator[RawItem]:
    """One item per comment and per answer of a ``*_comments.json`` list; the live collector shares it.

    ``post`` is the context kept with each comment (at least the post's ``shortcode``)."""
    for number, comment in enumerate(comments, start=1):
        item_origin = f"{origin}#item={number}"
        if not isinstance(comment, dict):
            payload = orjson.dumps(comment)
            yield RawItem(CHANNEL, source, fallback_external_id(payload), payload, UNREADABLE, fetched_at, item_origin)
            continue
        answers = comment.get("answers")
        own = {key: value for key, value in comment.items() if key != "answers"}
        yield _comment_item(own, post, None, source, item_origin, fetched_at)
        for answer in answers if isinstance(answers, list) else ():
            if isinstance(answer, dict):
                yield _comment_item(answer, post, own.get("id"), source, item_origin, fetched_at)
            else:
                payload = orjson.dumps(answer)
                yield RawItem(CHANNEL, source, fallback_external_id(payload), payload, UNREADABLE, fetched_at,
                              item_origin)


def _comment_item(
    comment: dict, post: dict, reply_to: Any, source: str, origin: str, fetched_at: datetime
) -> RawItem:
    payload = orjson.dumps(
        {"comment": comment, "post": post, "reply_to": str(reply_to) if reply_to is not None else None}
    )
    comment_id = comment.get("id")
    external_id = str(comment_id) if comment_id not in (None, "") else fallback_external_id(payload)
    return RawItem(CHANNEL, source, external_id, payload, INSTAGRAM_COMMENT, fetched_at, origin)


READERS = [InstaloaderPostReader(), InstaloaderCommentsReader()]
