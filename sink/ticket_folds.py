"""Storing what dedup folded: tickets that a later message shows to be one incident with its own.

A reply or repost that arrives before the message it refers to opens a ticket of its own; when
that message arrives, dedup counts the reply as a repost in its ticket and folds the reply's
ticket in (``Deduplicator._adopt_referrers``). A ticket that named only a kelurahan folds into a
ticket on a street when a report names both (``Deduplicator._bridge``), and a ticket that only a pin
placed into the named ticket pinned beside it (``_fold_pinned``, ``_pin_placeless``), and a ticket of
reports that named no place into the one ticket of its category reported from a place around that
time (``_adopt_unplaced``). Here the same happens to
the stored rows, in the batch's transaction. A ticket an operator has worked on (status, note,
edits, forwarding, members placed by hand) is never folded: the operator's work wins. Each fold is
audited as a merge by ``dengar``; an operator's split takes a message back out, and is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, exists, func, select, update

from dedup.types import Assignment
from sink.models import AuditRow, MentionRow, OutboxRow, TicketMemberRow, TicketRow, TicketStatusRow
from sink.operator import refresh_ticket

MENTIONS = MentionRow.__table__
TICKETS = TicketRow.__table__
MEMBERS = TicketMemberRow.__table__
OUTBOX = OutboxRow.__table__
HISTORY = TicketStatusRow.__table__
AUDIT = AuditRow.__table__

ACTOR = "dengar"
UNTRIAGED = "menunggu"
EARLY_REPLY = "replies or reposts that arrived before the message they answer"
BRIDGED = ("a later report shows both tickets to be one incident (a street and the kelurahan it lies in, pins close together,"
           " or the one place reporting a problem that reports naming no place complain of)")

log = logging.getLogger(__name__)


def untouched(connection: Connection, ticket_id: int) -> bool:
    """Whether only the machine has worked on this ticket (so folding it loses nobody's work)."""
    row = connection.execute(
        select(TICKETS.c.status, TICKETS.c.merged_into, TICKETS.c.first_triaged_at, TICKETS.c.operator_fields)
        .where(TICKETS.c.id == ticket_id)
    ).first()
    if row is None or row.merged_into is not None or row.status != UNTRIAGED or row.first_triaged_at is not None:
        return False
    if row.operator_fields:
        return False
    touched = select(
        exists().where(OUTBOX.c.ticket_id == ticket_id)
        | exists().where(HISTORY.c.ticket_id == ticket_id)
        | exists().where(MEMBERS.c.ticket_id == ticket_id, MEMBERS.c.linked_by != "machine")
    )
    return not connection.execute(touched).scalar()


def _mention_id(connection: Connection, key: tuple[str, str]) -> int | None:
    channel, external_id = key
    return connection.execute(
        select(MENTIONS.c.id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
    ).scalar()


def store_folds(connection: Connection, assignments: Iterable[Assignment], now: datetime) -> int:
    """Apply the folds and adoptions of these assignments (after their batch's rows are written).

    Returns how many tickets were folded.
    """
    folds = 0
    for assignment in assignments:
        if not assignment.adopted and not assignment.bridged:
            continue
        target = assignment.ticket_id
        refused: set[int] = set()
        folded_here = 0
        for opened in assignment.folded:
            if not untouched(connection, opened):
                log.info("ticket %s not folded into ticket %s: an operator has worked on it", opened, target)
                refused.add(opened)
                continue
            _fold(connection, opened, target, BRIDGED if opened in assignment.bridged else EARLY_REPLY, now)
            folded_here += 1
        _adopt(connection, [key for key, opened in assignment.adopted if opened not in refused], target)
        if folded_here:
            refresh_ticket(connection, target, now)
            folds += folded_here
    return folds


def _adopt(connection: Connection, keys: list[tuple[str, str]], target: int) -> None:
    """Early replies now count as reposts in ``target``, with its category (as in time order)."""
    mention_ids = [mention_id for key in keys if (mention_id := _mention_id(connection, key)) is not None]
    if not mention_ids:
        return
    category = connection.execute(select(TICKETS.c.category).where(TICKETS.c.id == target)).scalar_one()
    connection.execute(
        update(MEMBERS)
        .where(MEMBERS.c.mention_id.in_(mention_ids), MEMBERS.c.linked_by == "machine")
        .values(link_kind="repost", score=1.0)
    )
    connection.execute(update(MENTIONS).where(MENTIONS.c.id.in_(mention_ids)).values(category=category))


def _fold(connection: Connection, opened: int, target: int, reason: str, now: datetime) -> None:
    moved = connection.execute(select(func.count()).where(MENTIONS.c.ticket_id == opened)).scalar_one()
    connection.execute(update(MENTIONS).where(MENTIONS.c.ticket_id == opened).values(ticket_id=target))
    connection.execute(update(MEMBERS).where(MEMBERS.c.ticket_id == opened).values(ticket_id=target))
    connection.execute(
        update(TICKETS).where(TICKETS.c.id == opened).values(merged_into=target, member_count=0, updated_at=now)
    )
    connection.execute(AUDIT.insert().values(
        at=now, actor=ACTOR, action="merge", entity="ticket", entity_id=str(opened),
        before={"ticket": opened, "members": moved},
        after={"merged_into": target, "reason": reason},
    ))
