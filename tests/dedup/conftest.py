"""Analysed Mentions built the way the analyzer hands them to dedup, offered as fixtures."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from normalizer.types import Author, Mention, Place

T0 = datetime(2025, 1, 14, 6, 0, tzinfo=timezone.utc)
_NOT_WORD = re.compile(r"[^\w]+")

def match_text(text: str) -> str:
    """Lower-case word tokens separated by single spaces, as the normalizer produces."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def make_complaint(
    external_id: str,
    text: str,
    *,
    channel: str = "twitter",
    category: str = "banjir",
    hours: float = 0.0,
    place: Place | None = None,
    is_complaint: bool = True,
    author: str = "warga",
    **references: str,
) -> Mention:
    return Mention(
        channel=channel,
        external_id=external_id,
        source=f"{channel}-test",
        created_at=T0 + timedelta(hours=hours),
        text=text,
        author=Author(id=author, handle=author),
        place=place or Place(),
        category=category,
        is_complaint=is_complaint,
        match_text=match_text(text),
        **references,
    )


@pytest.fixture
def complaint():
    """``complaint(external_id, text, category=..., hours=..., place=..., **references) -> Mention``."""
    return make_complaint


@pytest.fixture
def t0() -> datetime:
    return T0
