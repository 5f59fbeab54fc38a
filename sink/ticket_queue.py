"""The console's reads of tickets: the filtered queue (paged by keyset, so page 500 costs what page 1
costs at 100k tickets) and everything the ticket page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, String, and_, cast, exists, func, or_, select, tuple_

from sink.models import (
    AuditRow,
    MentionRow,
    OperatorDecisionRow,
    OutboxRow,
    TicketMemberRow,
    TicketRow,
    TicketStatusRow,
)
from sink.outbox import OutboxEntry, entry_from_row
from sink.text_search import MIN_INDEXED_CHARS, like_pattern, tickets_containing

TICKETS = TicketRow.__table__
MENTIONS = MentionRow.__table__
MEMBERS = TicketMemberRow.__table__
HISTORY = TicketStatusRow.__table__
DECISIONS = OperatorDecisionRow.__table__
AUDIT = AuditRow.__table__
OUTBOX = OutboxRow.__table__
OPEN_STATUSES = ("menunggu", "koordinasi", "disposisi", "proses")
MAX_PAGE = 200
SUGGESTION_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class QueueFilter:
    """What the operator narrowed the queue to; None filters nothing. status "open" = not yet closed."""

    status: str | None = "open"
    category: str | None = None
    kota: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    channel: str | None = None
    agency: str | None = None
    since: datetime | None = None  # active on or after
    until: datetime | None = None  # first seen before
    text: str | None = None
    complaints: bool = True  # False: the tickets marked not-a-complaint


@dataclass(frozen=True)
class QueueCursor:
    """Where a page ended, in the queue's order (most reports, latest activity, highest id)."""

    member_count: int
    last_seen: datetime
    id: int

    def encode(self) -> str:
        return f"{self.member_count}.{int(self.last_seen.timestamp() * 1_000_000)}.{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> QueueCursor | None:
        """None for anything that is not a cursor this code wrote (a hand-edited URL starts over)."""
        if not value or len(value) > 60:
            return None
        try:
            count, micros, ticket_id = (int(part) for part in value.split("."))
            if not all(0 <= number < 2**62 for number in (count, micros, ticket_id)):
                return None
            return cls(count, datetime.fromtimestamp(micros / 1_000_000, timezone.utc), ticket_id)
        except (ValueError, OverflowError, OSError):
            return None


@dataclass(frozen=True)
class QueuePage:
    tickets: list[Any]
    next: QueueCursor | None


def _conditions(filters: QueueFilter, dialect: str) -> list[Any]:
    c = TICKETS.c
    where: list[Any] = [c.merged_into.is_(None), c.is_complaint.is_(filters.complaints)]
    if filters.status == "open":
        where.append(c.status.in_(OPEN_STATUSES))
    elif filters.status:
        where.append(c.status == filters.status)
    for name in ("category", "kota", "kecamatan", "kelurahan", "agency"):
        value = getattr(filters, name)
        if value:
            where.append(func.lower(c[name]) == value.lower())
    if filters.channel:
        where.append(cast(c.channels, String).like(f'%"{filters.channel}"%'))
    if filters.since:
        where.append(c.last_seen >= filters.since)
    if filters.until:
        where.append(c.first_seen < filters.until)
    if filters.text:
        # Trigram indexes (sink.text_search) name the matching tickets; a term too short for them is
        # looked for ticket by ticket, in queue order.
        if len(filters.text) >= MIN_INDEXED_CHARS:
            where.append(c.id.in_(tickets_containing(dialect, filters.text)))
        else:
            pattern = like_pattern(filters.text)
            where.append(or_(
                func.lower(c.title).like(pattern, escape="\\"),
                exists().where(MENTIONS.c.ticket_id == c.id, func.lower(MENTIONS.c.text).like(pattern, escape="\\")),
            ))
    return where


def queue_page(connection: Connection, filters: QueueFilter, after: QueueCursor | None = None, limit: int = 50) -> QueuePage:
    c = TICKETS.c
    limit = max(1, min(limit, MAX_PAGE))
    where = _conditions(filters, connection.dialect.name)
    if after is not None:
        where.append(tuple_(c.member_count, c.last_seen, c.id) < tuple_(after.member_count, after.last_seen, after.id))
    rows = connection.execute(
        select(TICKETS).where(and_(*where)).order_by(c.member_count.desc(), c.last_seen.desc(), c.id.desc()).limit(limit + 1)
    ).all()
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        following = QueueCursor(last.member_count, last.last_seen, last.id)
    return QueuePage(rows, following)


def queue_count(connection: Connection, filters: QueueFilter, cap: int = 10_000) -> tuple[int, bool]:
    """How many tickets match, counted up to ``cap`` (True when there are more): exact counts get slow."""
    inner = select(TICKETS.c.id).where(and_(*_conditions(filters, connection.dialect.name))).limit(cap + 1).subquery()
    count = connection.execute(select(func.count()).select_from(inner)).scalar_one()
    return min(count, cap), count > cap


MEMBERS_PER_PAGE = 50


@dataclass(frozen=True)
class MemberSummary:
    """What the whole ticket holds, counted in SQL, so a page of 50 messages still shows all 2,000 at a glance."""

    total: int
    by_channel: list[tuple[str, int]]  # most first
    by_link_kind: list[tuple[str | None, int]]  # None: no member row (the message opened the ticket before links were kept)


@dataclass(frozen=True)
class TicketDetail:
    ticket: Any
    members: list[Any]  # one page, in time order
    summary: MemberSummary
    page: int  # 1-based
    pages: int
    history: list[Any]
    audit: list[Any]
    decisions: list[Any]  # standing merges/splits touching this ticket (undo buttons)
    suggestions: list[tuple[Any, float | None]]  # (ticket, dedup score or None for a neighbour)
    outbox: OutboxEntry | None  # the CRM delivery, when forwarded


def member_summary(connection: Connection, ticket_id: int) -> MemberSummary:
    in_ticket = MENTIONS.c.ticket_id == ticket_id
    by_channel = connection.execute(
        select(MENTIONS.c.channel, func.count()).where(in_ticket).group_by(MENTIONS.c.channel)
        .order_by(func.count().desc(), MENTIONS.c.channel)).all()
    by_link_kind = connection.execute(
        select(MEMBERS.c.link_kind, func.count()).select_from(MENTIONS).outerjoin(MEMBERS, MEMBERS.c.mention_id == MENTIONS.c.id)
        .where(in_ticket).group_by(MEMBERS.c.link_kind).order_by(func.count().desc(), MEMBERS.c.link_kind)).all()
    return MemberSummary(sum(count for _, count in by_channel), [(c, n) for c, n in by_channel],
                         [(kind, n) for kind, n in by_link_kind])


def ticket_detail(connection: Connection, ticket_id: int, page: int = 1, per_page: int = MEMBERS_PER_PAGE) -> TicketDetail | None:
    """The ticket with one page of its messages (oldest first: the incident reads as it unfolded)."""
    ticket = connection.execute(select(TICKETS).where(TICKETS.c.id == ticket_id)).first()
    if ticket is None:
        return None
    summary = member_summary(connection, ticket_id)
    per_page = max(1, min(per_page, MAX_PAGE))
    pages = max(1, -(-summary.total // per_page))
    page = max(1, min(page, pages))
    members = connection.execute(
        select(MENTIONS, MEMBERS.c.link_kind, MEMBERS.c.score, MEMBERS.c.linked_by, MEMBERS.c.linked_at)
        .outerjoin(MEMBERS, MEMBERS.c.mention_id == MENTIONS.c.id)
        .where(MENTIONS.c.ticket_id == ticket_id).order_by(MENTIONS.c.created_at, MENTIONS.c.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    history = connection.execute(select(HISTORY).where(HISTORY.c.ticket_id == ticket_id).order_by(HISTORY.c.at, HISTORY.c.id)).all()
    member_keys = select(MENTIONS.c.channel + ":" + MENTIONS.c.external_id).where(MENTIONS.c.ticket_id == ticket_id)
    audit = connection.execute(
        select(AUDIT).where(or_(and_(AUDIT.c.entity == "ticket", AUDIT.c.entity_id == str(ticket_id)),
                                and_(AUDIT.c.entity == "mention", AUDIT.c.entity_id.in_(member_keys))))
        .order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(100)
    ).all()
    outbox_row = connection.execute(select(OUTBOX).where(OUTBOX.c.ticket_id == ticket_id).order_by(OUTBOX.c.id.desc())).first()
    outbox = entry_from_row(outbox_row) if outbox_row is not None else None
    return TicketDetail(ticket, members, summary, page, pages, history, audit, _standing_decisions(connection, ticket_id),
                        merge_suggestions(connection, ticket), outbox)


def _standing_decisions(connection: Connection, ticket_id: int) -> list[Any]:
    rows = connection.execute(
        select(DECISIONS).where(DECISIONS.c.kind.in_(("merge", "split")), DECISIONS.c.undone_by.is_(None))
        .order_by(DECISIONS.c.id.desc()).limit(500)
    ).all()
    touching = []
    for row in rows:
        detail = row.detail or {}
        if ticket_id in (detail.get("from_ticket"), detail.get("into_ticket"), detail.get("to_ticket")):
            touching.append(row)
    return touching


def _live(connection: Connection, ticket_id: int) -> Any | None:
    """The ticket, or the one it was merged into (followed to the end)."""
    for _ in range(20):
        row = connection.execute(select(TICKETS).where(TICKETS.c.id == ticket_id)).first()
        if row is None or row.merged_into is None:
            return row
        ticket_id = row.merged_into
    return None


def merge_suggestions(connection: Connection, ticket: Any, limit: int = 8) -> list[tuple[Any, float | None]]:
    """The nearest candidates dedup saw for this ticket's messages, then same-category tickets nearby."""
    scored: dict[int, float] = {}
    candidate_lists = connection.execute(
        select(MEMBERS.c.candidates).join(MENTIONS, MENTIONS.c.id == MEMBERS.c.mention_id)
        .where(MENTIONS.c.ticket_id == ticket.id, MEMBERS.c.candidates.is_not(None))).scalars()
    for candidates in candidate_lists:
        for candidate in candidates or []:
            try:
                candidate_id, score = int(candidate[0]), float(candidate[1])
            except (TypeError, ValueError, IndexError):
                continue
            scored[candidate_id] = max(score, scored.get(candidate_id, 0.0))
    suggestions: list[tuple[Any, float | None]] = []
    seen = {ticket.id}
    for candidate_id, score in sorted(scored.items(), key=lambda item: -item[1]):
        live = _live(connection, candidate_id)
        if live is not None and live.id not in seen:
            seen.add(live.id)
            suggestions.append((live, score))
    place = TICKETS.c.kelurahan == ticket.kelurahan if ticket.kelurahan else (
        TICKETS.c.kecamatan == ticket.kecamatan if ticket.kecamatan else TICKETS.c.kota == ticket.kota)
    neighbours = connection.execute(
        select(TICKETS).where(
            TICKETS.c.merged_into.is_(None), TICKETS.c.category == ticket.category, place, TICKETS.c.id.not_in(seen),
            TICKETS.c.last_seen >= ticket.first_seen - SUGGESTION_WINDOW, TICKETS.c.first_seen <= ticket.last_seen + SUGGESTION_WINDOW,
        ).order_by(TICKETS.c.last_seen.desc()).limit(limit)
    ).all()
    suggestions.extend((row, None) for row in neighbours)
    return suggestions[:limit]


def audit_page(connection: Connection, actor: str | None = None, action: str | None = None, before_id: int | None = None,
               limit: int = 100) -> list[Any]:
    """The audit log, newest first, paged by id."""
    statement = select(AUDIT)
    if actor:
        statement = statement.where(AUDIT.c.actor == actor)
    if action:
        statement = statement.where(AUDIT.c.action == action)
    if before_id:
        statement = statement.where(AUDIT.c.id < before_id)
    return connection.execute(statement.order_by(AUDIT.c.id.desc()).limit(max(1, min(limit, MAX_PAGE)))).all()
