"""Reading a message's own date well enough to move a cursor (the normalizer reads it properly later).

Collectors sit upstream of the normalizer and cannot use its parser; a cursor only needs an order,
so a value that cannot be read is simply not counted (the overlap and idempotent storage cover it).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any


def message_time(value: Any, naive_zone: tzinfo = UTC) -> datetime | None:
    """An aware UTC datetime from ISO 8601 / "YYYY-MM-DD HH:MM:SS" / epoch seconds or milliseconds."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=naive_zone)
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def iso_utc(when: datetime | None) -> str | None:
    """A fixed-width ISO 8601 UTC text, so cursor values order as text too."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def later(first: datetime | None, second: datetime | None) -> datetime | None:
    candidates = [when for when in (first, second) if when is not None]
    return max(candidates) if candidates else None
