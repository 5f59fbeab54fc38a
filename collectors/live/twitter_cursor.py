"""Where an X source stands: a ``since_id`` per query and per mentioned account, as a pure value.

X serves newest first, so a walk over one query's new tweets starts at the top and pages down to
the stored ``since_id``. The high-water mark may only move when the walk has reached the bottom:
until then the cursor keeps the old ``since_id`` and, as ``pending``, how far down the stored pages
go (``until_id``) and the newest id the walk has seen, so an interrupted walk resumes below what
is stored instead of starting over, and a finished one moves ``since_id`` to that newest id.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from collectors.live.snowflake import snowflake_at, snowflake_time


@dataclass(frozen=True, slots=True)
class PendingWalk:
    until_id: int  # the oldest tweet id stored by the unfinished walk
    newest_id: int  # the newest tweet id it has seen


@dataclass(frozen=True, slots=True)
class StreamPosition:
    since_id: int | None = None
    pending: PendingWalk | None = None

    def walked_down_to(self, oldest_id: int, newest_id: int) -> StreamPosition:
        """A page of the walk was stored: remember how far down it reached."""
        if self.pending is not None:
            oldest_id = min(oldest_id, self.pending.until_id)
            newest_id = max(newest_id, self.pending.newest_id)
        return replace(self, pending=PendingWalk(oldest_id, newest_id))

    def finished(self, newest_seen: int | None) -> StreamPosition:
        """The walk reached ``since_id``: the newest tweet seen becomes the new high-water mark."""
        candidates = [i for i in (self.since_id, newest_seen,
                                  self.pending.newest_id if self.pending else None) if i is not None]
        return StreamPosition(max(candidates) if candidates else None, None)

    def backfilled(self, newest_seen: int | None) -> StreamPosition:
        """A backfill from a date finished; an unfinished walk below ``since_id`` stays pending."""
        candidates = [i for i in (self.since_id, newest_seen) if i is not None]
        return replace(self, since_id=max(candidates) if candidates else None)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.since_id is not None:
            out["since_id"] = str(self.since_id)
        if self.pending is not None:
            out["pending"] = {"until_id": str(self.pending.until_id), "newest_id": str(self.pending.newest_id)}
        return out

    @classmethod
    def from_json(cls, value: Any) -> StreamPosition:
        if not isinstance(value, dict):
            return cls()
        pending = value.get("pending")
        until_id = _id(pending.get("until_id")) if isinstance(pending, dict) else None
        newest_id = _id(pending.get("newest_id")) if isinstance(pending, dict) else None
        walk = PendingWalk(until_id, newest_id) if until_id is not None and newest_id is not None else None
        return cls(_id(value.get("since_id")), walk)


@dataclass(frozen=True, slots=True)
class XCursor:
    """All streams of one source (``search:<query>``, ``mentions:<username>``) and resolved user ids."""

    streams: dict[str, StreamPosition] = field(default_factory=dict)
    user_ids: dict[str, str] = field(default_factory=dict)  # lower-case username -> user id

    def position(self, stream: str) -> StreamPosition:
        return self.streams.get(stream, StreamPosition())

    def with_position(self, stream: str, position: StreamPosition) -> XCursor:
        return replace(self, streams={**self.streams, stream: position})

    def with_user_id(self, username: str, user_id: str) -> XCursor:
        return replace(self, user_ids={**self.user_ids, username.casefold(): user_id})

    def to_json(self) -> dict[str, Any]:
        return {"streams": {name: position.to_json() for name, position in self.streams.items()},
                "user_ids": dict(self.user_ids)}

    @classmethod
    def from_json(cls, value: Any) -> XCursor:
        """Read a stored cursor; entries that are not what we wrote are ignored (a fresh start for them)."""
        if not isinstance(value, dict):
            return cls()
        streams = value.get("streams") if isinstance(value.get("streams"), dict) else {}
        users = value.get("user_ids") if isinstance(value.get("user_ids"), dict) else {}
        return cls({str(name): StreamPosition.from_json(position) for name, position in streams.items()},
                   {str(name).casefold(): str(user_id) for name, user_id in users.items()
                    if _id(user_id) is not None})


def look_back(since_id: int, overlap: timedelta) -> int:
    """The id to poll from so tweets indexed up to ``overlap`` late are still served."""
    moment = snowflake_time(since_id)
    if moment is None or overlap <= timedelta(0):
        return since_id
    return min(since_id, max(1, snowflake_at(moment - overlap)))


def _id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit() and len(value) <= 19:
        return int(value) or None
    return None
