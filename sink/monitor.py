"""Queries behind the mentions monitor: the latest messages, what arrived after a given one, volume per hour.

The monitor runs beside (or apart from) the process that collects, so it learns about new messages
only from the database: a message's id grows with the order it was stored, which makes "newer
than the last one shown" one indexed range scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, or_, select

from sink.models import MentionRow

MENTIONS = MentionRow.__table__
MAX_PAGE = 200
MAX_KEYWORD = 100

MONITOR_COLUMNS = (
    MENTIONS.c.id, MENTIONS.c.channel, MENTIONS.c.external_id, MENTIONS.c.source, MENTIONS.c.permalink,
    MENTIONS.c.author_handle, MENTIONS.c.author_name, MENTIONS.c.created_at, MENTIONS.c.title, MENTIONS.c.text,
    MENTIONS.c.media, MENTIONS.c.is_complaint, MENTIONS.c.complaint_reason, MENTIONS.c.category,
    MENTIONS.c.kota, MENTIONS.c.kecamatan, MENTIONS.c.kelurahan, MENTIONS.c.ticket_id,
)


@dataclass(frozen=True, slots=True)
class MentionFilter:
    """What the social-media team narrowed the stream to; empty fields filter nothing."""

    channel: str | None = None
    keyword: str | None = None
    complaint: bool | None = None  # True: complaints only, False: everything else

    def apply(self, statement: Select[Any]) -> Select[Any]:
        if self.channel:
            statement = statement.where(MENTIONS.c.channel == self.channel)
        if self.complaint is not None:
            statement = statement.where(MENTIONS.c.is_complaint.is_(self.complaint))
        keyword = (self.keyword or "").strip().lower()[:MAX_KEYWORD]
        if keyword:
            statement = statement.where(or_(
                func.lower(MENTIONS.c.text).contains(keyword, autoescape=True),
                func.lower(func.coalesce(MENTIONS.c.title, "")).contains(keyword, autoescape=True),
                func.lower(func.coalesce(MENTIONS.c.author_handle, "")).contains(keyword, autoescape=True),
            ))
        return statement


def latest_mentions(connection: Connection, where: MentionFilter, limit: int = 50,
                    before_id: int | None = None) -> list[Any]:
    """The newest messages (newest first), optionally older than ``before_id`` for paging back."""
    statement = where.apply(select(*MONITOR_COLUMNS))
    if before_id is not None:
        statement = statement.where(MENTIONS.c.id < before_id)
    statement = statement.order_by(MENTIONS.c.id.desc()).limit(max(1, min(limit, MAX_PAGE)))
    return list(connection.execute(statement))


def mentions_after(connection: Connection, where: MentionFilter, after_id: int, limit: int = MAX_PAGE,
                   skip_ids: Sequence[int] = ()) -> list[Any]:
    """Messages stored after ``after_id`` (oldest first), leaving out the ids in ``skip_ids``."""
    statement = where.apply(select(*MONITOR_COLUMNS)).where(MENTIONS.c.id > after_id)
    if skip_ids:
        statement = statement.where(MENTIONS.c.id.not_in(list(skip_ids)))
    return list(connection.execute(statement.order_by(MENTIONS.c.id).limit(max(1, min(limit, MAX_PAGE)))))


def newest_mention_id(connection: Connection) -> int:
    return connection.execute(select(func.max(MENTIONS.c.id))).scalar() or 0


@dataclass(frozen=True, slots=True)
class HourlyVolume:
    """Messages per channel per hour of one day; ``hours[i]`` starts ``i`` hours after ``start``."""

    start: datetime
    channels: dict[str, list[int]]

    @property
    def peak(self) -> int:
        return max((max(counts) for counts in self.channels.values()), default=0)

    @property
    def total(self) -> int:
        return sum(sum(counts) for counts in self.channels.values())


def hourly_volume(connection: Connection, start: datetime, hours: int = 24) -> HourlyVolume:
    """Count messages written in each hour from ``start`` (a local midnight, tz-aware), per channel."""
    end = start + timedelta(hours=hours)
    channels: dict[str, list[int]] = {}
    statement = (select(MENTIONS.c.channel, MENTIONS.c.created_at)
                 .where(MENTIONS.c.created_at >= start, MENTIONS.c.created_at < end))
    for channel, created_at in connection.execute(statement.execution_options(yield_per=5000)):
        slot = int((created_at - start).total_seconds() // 3600)
        channels.setdefault(channel, [0] * hours)[slot] += 1
    return HourlyVolume(start, dict(sorted(channels.items())))


def top_values(connection: Connection, column: str, start: datetime, end: datetime, limit: int = 10,
               complaints_only: bool = True) -> list[tuple[str, int]]:
    """The most frequent categories (or kelurahan, …) among the messages written in [start, end)."""
    if column not in ("category", "kelurahan", "kecamatan", "kota", "channel"):
        raise ValueError(f"cannot rank messages by {column!r}")
    field = MENTIONS.c[column]
    statement = (select(field, func.count()).where(MENTIONS.c.created_at >= start, MENTIONS.c.created_at < end,
                                                    field.is_not(None))
                 .group_by(field).order_by(func.count().desc(), field).limit(limit))
    if complaints_only:
        statement = statement.where(MENTIONS.c.is_complaint.is_(True))
    return [(value, count) for value, count in connection.execute(statement)]


def latest_day_with_mentions(connection: Connection) -> datetime | None:
    """When the newest message was written (so an empty "today" can point at the last busy day)."""
    return connection.execute(select(func.max(MENTIONS.c.created_at))).scalar()


__all__ = ["HourlyVolume", "MentionFilter", "hourly_volume", "latest_day_with_mentions", "latest_mentions",
           "mentions_after", "newest_mention_id", "top_values"]
