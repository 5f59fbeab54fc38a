"""Cheap looks at the first bytes of a JSON file, so archive readers can tell JSON formats apart.

Sniffing sees only a file's head (a few KB, often cut mid-value), so it cannot parse: it checks
the first significant character and which object keys occur.
"""

from __future__ import annotations

import re
from functools import lru_cache

UTF8_BOM = b"\xef\xbb\xbf"


def significant_head(head: bytes) -> bytes:
    """The head without a byte-order mark and leading whitespace."""
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM):]
    return head.lstrip()


def starts_like_json(head: bytes) -> bool:
    """True when the file opens with an object or an array."""
    return significant_head(head)[:1] in (b"{", b"[")


@lru_cache(maxsize=256)
def _key_pattern(key: str) -> re.Pattern[bytes]:
    return re.compile(b'"' + re.escape(key.encode()) + rb'"\s*:')


def has_key(head: bytes, key: str) -> bool:
    """True when ``"key":`` occurs anywhere in the head (at any depth)."""
    return _key_pattern(key).search(head) is not None


def has_any_key(head: bytes, keys: tuple[str, ...]) -> bool:
    return any(has_key(head, key) for key in keys)


JSON_FEED_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/')


def looks_like_json_feed(head: bytes) -> bool:
    return JSON_FEED_VERSION.search(head) is not None
