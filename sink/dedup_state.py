"""Giving dedup its memory back from storage: recent ticketed mentions, operator decisions, id counter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import func, select

from dedup.deduplicator import Deduplicator, StoredMember
from normalizer.types import Author, GeoPoint, Mention, Place
from sink.bulk import RowsByIds
from sink.models import MentionRow, OperatorDecisionRow, TicketMemberRow, TicketRow
from sink.one_transaction import Database

MENTIONS = MentionRow.__table__
MEMBERS = TicketMemberRow.__table__
TICKETS = TicketRow.__table__
DECISIONS = OperatorDecisionRow.__table__
# Restore reads a day more than the window, so a message up to a day older than the newest
# stored one is assigned from memory without reading the store again.
RESTORE_SLACK = timedelta(days=1)


def row_to_mention(row) -> Mention:  # type: ignore[no-untyped-def]
    """A stored mention as the stages know it (analysis included, as it was stored)."""
    return Mention(
        channel=row.channel,
        external_id=row.external_id,
        source=row.source,
        created_at=row.created_at,
        text=row.text,
        author=Author(row.author_id, row.author_handle, row.author_name),
        permalink=row.permalink,
        title=row.title,
        lang=row.lang,
        hashtags=tuple(row.hashtags or ()),
        mentions=tuple(row.mentions or ()),
        urls=tuple(row.urls or ()),
        media=tuple(row.media or ()),
        reply_to=row.reply_to,
        quote_of=row.quote_of,
        repost_of=row.repost_of,
        geo=GeoPoint(row.lat, row.lon) if row.lat is not None and row.lon is not None else None,
        flags=frozenset(row.flags or ()),
        place=Place(
            kota=row.kota,
            kecamatan=row.kecamatan,
            kelurahan=row.kelurahan,
            kelurahan_code=row.kelurahan_code,
            street=row.street,
            landmark=row.landmark,
            rt=row.rt,
            rw=row.rw,
            ambiguous=tuple(row.place_ambiguous or ()),
            may_mean_kecamatan=bool(row.place_may_mean_kecamatan),
        ),
        category=row.category,
        category_score=row.category_score,
        is_complaint=row.is_complaint,
        complaint_reason=row.complaint_reason,
        match_text=row.match_text,
    )


class StoredTicketLookup:
    """Answers dedup's "which ticket holds this message?" for messages older than its window."""

    def __init__(self, engine: Database) -> None:
        self._engine = engine

    def ticket_of(self, channel: str, external_id: str) -> int | None:
        with self._engine.connect() as connection:
            return connection.execute(
                select(MENTIONS.c.ticket_id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
            ).scalar()


class StoredMentionHistory:
    """Ticketed messages of a time range, for a message older than what dedup's memory holds.

    One range query on ``mentions.created_at`` (indexed) per recall, however many categories and
    places: near copies are found by text in any category or place, which no narrower query could
    serve.
    """

    def __init__(self, engine: Database) -> None:
        self._engine = engine

    def ticketed_between(self, start: datetime, end: datetime) -> Iterator[StoredMember]:
        with self._engine.connect() as connection:
            rows = connection.execute(_ticketed_members().where(MENTIONS.c.created_at >= start, MENTIONS.c.created_at < end))
            members = [StoredMember(row_to_mention(row), row.ticket_id, row.linked_by != "machine") for row in rows]
        return iter(members)


def _ticketed_members():  # type: ignore[no-untyped-def]
    return (
        select(MENTIONS, MEMBERS.c.linked_by)
        .join(MEMBERS, MEMBERS.c.mention_id == MENTIONS.c.id)
        .order_by(MENTIONS.c.created_at, MENTIONS.c.id)
    )


# A batch's reposts name a few hundred tickets: read through the driver, without SQLAlchemy's
# statement building and result processing per row (id and category need no conversion).
_CATEGORIES = RowsByIds(TICKETS, "id", ("id", "category"))


def ticket_categories(engine: Database, ticket_ids: set[int]) -> dict[int, str]:
    with engine.connect() as connection:
        return dict(_CATEGORIES.fetch(connection, sorted(ticket_ids)))


def next_ticket_id(engine: Database) -> int:
    with engine.connect() as connection:
        return (connection.execute(select(func.max(TICKETS.c.id))).scalar() or 0) + 1


def restore(engine: Database, dedup: Deduplicator, window: timedelta) -> int:
    """Feed dedup the ticketed mentions of the last ``window`` (before the newest one) and past decisions.

    Older ones stay in storage, where dedup reads them back when a message of their time arrives late.
    """
    with engine.connect() as connection:
        newest: datetime | None = connection.execute(
            select(func.max(MENTIONS.c.created_at)).where(MENTIONS.c.ticket_id.is_not(None))
        ).scalar()
        restored = 0
        if newest is not None:
            rows = connection.execute(_ticketed_members().where(MENTIONS.c.created_at >= newest - window - RESTORE_SLACK))
            for row in rows:
                dedup.remember(row_to_mention(row), row.ticket_id, pinned=row.linked_by != "machine")
                restored += 1
        for ticket_id, merged_into in connection.execute(
            select(TICKETS.c.id, TICKETS.c.merged_into).where(TICKETS.c.merged_into.is_not(None))
        ):
            dedup.retarget(ticket_id, merged_into)
        for (detail,) in connection.execute(
            select(DECISIONS.c.detail).where(DECISIONS.c.kind == "split", DECISIONS.c.undone_by.is_(None))
        ):
            dedup.forbid(detail["from_ticket"], detail["to_ticket"])
    dedup.use_history(StoredMentionHistory(engine), complete_from=None if newest is None else newest - RESTORE_SLACK)
    return restored
