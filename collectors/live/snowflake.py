"""X tweet ids are snowflakes: the top bits are milliseconds since X's epoch.

The collector lowers ``since_id`` by a look-back through this mapping (a late-indexed tweet has an
id older than tweets already served), and the X stand-in mints ids the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

X_EPOCH_MS = 1288834974657  # 2010-11-04T01:42:54.657Z
TIMESTAMP_SHIFT = 22
SEQUENCE_MASK = (1 << TIMESTAMP_SHIFT) - 1


def snowflake_time(tweet_id: int) -> datetime | None:
    """When a snowflake id was minted; None for ids older than snowflakes (before late 2010)."""
    if tweet_id < (1 << TIMESTAMP_SHIFT):
        return None
    return datetime.fromtimestamp(((tweet_id >> TIMESTAMP_SHIFT) + X_EPOCH_MS) / 1000, UTC)


def snowflake_at(moment: datetime, sequence: int = 0) -> int:
    """The smallest id (plus ``sequence``) minted at ``moment``; 1 before X's epoch."""
    milliseconds = int(moment.timestamp() * 1000) - X_EPOCH_MS
    if milliseconds <= 0:
        return 1
    return (milliseconds << TIMESTAMP_SHIFT) | (sequence & SEQUENCE_MASK)
