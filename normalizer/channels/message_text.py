"""Clean message text and the hashtags, @mentions and links found in it.

Channels that deliver entities (X) use those; the others (Instagram captions, Open311, Qlue)
get them from the text with these patterns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

WHITESPACE = re.compile(r"\s+")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Each starts with its sign and looks back from there ("not after a word character"): a pattern
# that starts with a look-behind is tried at every character of the text, one that starts with
# "#" or "@" only where that sign is.
HASHTAG = re.compile(r"[#＃](?<![\w&/#][#＃])(\w{1,139})")
MENTION = re.compile(r"@(?<![\w@.]@)([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
URL_TRAILING = ".,;:!?…'\"»"


def clean_text(text: str | None, *, unescape_html: bool = False) -> str:
    """Text for people: invisible characters removed, whitespace folded to single spaces."""
    if not text:
        return ""
    if unescape_html and "&" in text:
        text = html.unescape(text)
    if text.isprintable():
        # Every invisible character and every whitespace but the plain space is unprintable: most
        # messages need no regular expression at all.
        return (WHITESPACE.sub(" ", text) if "  " in text else text).strip()
    return WHITESPACE.sub(" ", INVISIBLE.sub("", text)).strip()


def unique(values: Iterable[str], *, casefold: bool = False) -> tuple[str, ...]:
    """Values in first-seen order without repeats (compared case-insensitively when asked)."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        if not value:
            continue
        key = value.casefold() if casefold else value
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return tuple(kept)


def hashtags_in(text: str) -> tuple[str, ...]:
    """Hashtags without ``#``; all-digit tags (``#1``) are not hashtags on any channel."""
    if "#" not in text and "＃" not in text:
        return ()
    tags = HASHTAG.findall(text)
    if len(tags) == 1:  # most messages with a tag have one: nothing to compare it with
        return () if tags[0].isdigit() else (tags[0],)
    return unique((tag for tag in tags if not tag.isdigit()), casefold=True)


def mentions_in(text: str) -> tuple[str, ...]:
    """Handles mentioned with ``@`` (not e-mail addresses), without the ``@``."""
    if "@" not in text:
        return ()
    handles = MENTION.findall(text)
    if len(handles) == 1:  # most messages with a handle have one: nothing to compare it with
        return (handles[0].rstrip("."),)  # never empty: a handle starts with a letter, digit or "_"
    return unique((handle.rstrip(".") for handle in handles), casefold=True)


def urls_in(text: str) -> tuple[str, ...]:
    if "://" not in text:
        return ()
    return unique(_trim_url(match) for match in URL.findall(text))


def _trim_url(url: str) -> str:
    url = url.rstrip(URL_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(URL_TRAILING)
    return url
