"""Exports: mentions (one record per ingested message, DESIGN.md §6) and tickets, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from sink.models import MentionRow, TicketMemberRow, TicketRow

MENTIONS = MentionRow.__table__
MEMBERS = TicketMemberRow.__table__
TICKETS = TicketRow.__table__
PAGE = 2000

MENTION_FIELDS = (
    "channel", "external_id", "ticket_id", "is_complaint", "complaint_reason", "category", "location",
    "created_at", "author", "permalink", "text", "link_kind", "link_score", "source",
)
TICKET_FIELDS = (
    "id", "category", "status", "agency", "location", "first_seen", "last_seen", "member_count", "channels",
    "title", "merged_into",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _location(row: Any) -> dict[str, Any]:
    return {
        "kota": row.kota,
        "kecamatan": row.kecamatan,
        "kelurahan": row.kelurahan,
        "kelurahan_code": row.kelurahan_code,
        "street": row.street,
        "lat": row.lat,
        "lon": row.lon,
    }


def _pages(engine: Engine, statement, id_column) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    last = 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(statement.where(id_column > last).order_by(id_column).limit(PAGE)).all()
        if not rows:
            return
        yield from rows
        last = getattr(rows[-1], id_column.name)


def iter_mentions(engine: Engine, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    statement = select(MENTIONS, MEMBERS.c.link_kind, MEMBERS.c.score).outerjoin(MEMBERS, MEMBERS.c.mention_id == MENTIONS.c.id)
    if since is not None:
        statement = statement.where(MENTIONS.c.created_at >= since)
    for row in _pages(engine, statement, MENTIONS.c.id):
        yield {
            "channel": row.channel,
            "external_id": row.external_id,
            "ticket_id": row.ticket_id,
            "is_complaint": row.is_complaint,
            "complaint_reason": row.complaint_reason,
            "category": row.category,
            "location": _location(row),
            "created_at": _iso(row.created_at),
            "author": {"id": row.author_id, "handle": row.author_handle, "name": row.author_name},
            "permalink": row.permalink,
            "text": row.text,
            "link_kind": row.link_kind,
            "link_score": row.score,
            "source": row.source,
        }


def iter_tickets(engine: Engine, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    statement = select(TICKETS)
    if since is not None:
        statement = statement.where(TICKETS.c.last_seen >= since)
    for row in _pages(engine, statement, TICKETS.c.id):
        yield {
            "id": row.id,
            "category": row.category,
            "status": row.status,
            "agency": row.agency,
            "location": _location(row),
            "first_seen": _iso(row.first_seen),
            "last_seen": _iso(row.last_seen),
            "member_count": row.member_count,
            "channels": list(row.channels or ()),
            "title": row.title,
            "merged_into": row.merged_into,
        }
