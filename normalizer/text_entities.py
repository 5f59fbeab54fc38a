"""Hashtags, @mentions and links found in plain text, for channels that do not list them.

X delivers its own entities; e-mail, feeds and report apps give only text, so we find them the
way a reader would see them. Hashtags and handles inside links or e-mail addresses are not
taken (``budi@example.com`` mentions nobody).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL = re.compile(r"\bhttps?://[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_URL_TRAILING_PUNCTUATION = ".,;:!?'\")]}"
_HASHTAG = re.compile(r"(?<![\w#&])#(\w{1,139})")
_MENTION = re.compile(r"(?<![\w@.+-])@(\w{1,50})")
_ALL_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class TextEntities:
    hashtags: tuple[str, ...] = ()  # without '#', as written
    mentions: tuple[str, ...] = ()  # handles without '@'
    urls: tuple[str, ...] = ()


def find_entities(text: str) -> TextEntities:
    """Entities in order of first appearance, each once."""
    urls = [_trim_url(match.group(0)) for match in _URL.finditer(text)]
    without_urls = _URL.sub(" ", text)
    hashtags = [tag for tag in _HASHTAG.findall(without_urls) if not _ALL_DIGITS.fullmatch(tag)]
    mentions = _MENTION.findall(without_urls)
    return TextEntities(hashtags=_unique(hashtags), mentions=_unique(mentions), urls=_unique(urls))


def _trim_url(url: str) -> str:
    """Drop sentence punctuation after a link, but keep a closing bracket the link opened."""
    while url and url[-1] in _URL_TRAILING_PUNCTUATION:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))
