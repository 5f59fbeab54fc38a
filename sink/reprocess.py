"""Re-deriving mentions and tickets from the raw store, then replaying what operators decided and did.

Everything runs on the caller's one transaction (see :func:`reprocess`): a crash or an error half-way
rolls back to the old tickets with every operator's work on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, false, select, update

from sink import operator
from sink.models import MentionRow, OperatorDecisionRow, QuarantineRow, RawItemRow, TicketMemberRow, TicketRow
from sink.operator_state import ReattachReport, capture, reattach, release_outbox
from sink.text_search import forget_deferred_rows

DECISIONS = OperatorDecisionRow.__table__
MENTIONS = MentionRow.__table__

Rederived = TypeVar("Rederived")


@dataclass
class ReprocessResult(Generic[Rederived]):
    raw_items: int  # raw items set back to "new" and processed again
    rederived: Rederived  # what the caller's processing returned (its counts)
    replayed: int  # standing merges and splits applied again
    operator_state: ReattachReport


def reset_derived(connection: Connection) -> int:
    """Forget every mention, ticket and quarantine entry; raw items become "new" again. Returns how many."""
    connection.execute(TicketMemberRow.__table__.delete())
    forget_deferred_rows(connection)  # the mentions come back with the same ids: indexed again by the catch-up
    connection.execute(MentionRow.__table__.delete())
    connection.execute(update(TicketRow.__table__).values(merged_into=None))
    connection.execute(TicketRow.__table__.delete())
    connection.execute(QuarantineRow.__table__.delete())
    return connection.execute(update(RawItemRow.__table__).values(state="new")).rowcount


def reprocess(connection: Connection, rederive: Callable[[Connection], Rederived]) -> ReprocessResult[Rederived]:
    """Capture operator work, reset, re-derive through ``rederive``, replay decisions, re-attach the work.

    ``rederive`` must process the raw store through this same connection (sink.one_transaction), so the
    caller commits once, at the end, or not at all.
    """
    _hold_operator_tables(connection)
    captured = capture(connection)
    release_outbox(connection)
    total = reset_derived(connection)
    rederived = rederive(connection)
    replayed = replay_standing_decisions(connection)
    report = reattach(connection, captured, replayed)
    return ReprocessResult(total, rederived, len(replayed), report)


def _hold_operator_tables(connection: Connection) -> None:
    """Operators may be working meanwhile: their writes wait for the reprocess instead of slipping in after the capture."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "LOCK TABLE tickets, outbox, ticket_status_history, operator_decisions IN SHARE ROW EXCLUSIVE MODE")
    else:  # SQLite has one writer: a first (empty) write takes its lock now rather than at the reset
        tickets = TicketRow.__table__
        connection.execute(update(tickets).where(false()).values(id=tickets.c.id))


def _ticket_of(connection: Connection, key: list[str]) -> int | None:
    channel, external_id = key
    return connection.execute(
        select(MENTIONS.c.ticket_id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
    ).scalar()


def replay_decisions(connection: Connection) -> int:
    """Apply the standing merges and splits again, on the re-derived tickets; returns how many applied."""
    return len(replay_standing_decisions(connection))


def replay_standing_decisions(connection: Connection) -> dict[int, dict[str, Any]]:
    """Apply the standing merges and splits again; returns the applied ones, by decision id, with their new ticket ids."""
    applied: dict[int, dict[str, Any]] = {}
    standing = connection.execute(
        select(DECISIONS).where(DECISIONS.c.kind.in_(("merge", "split")), DECISIONS.c.undone_by.is_(None)).order_by(DECISIONS.c.id)
    ).all()
    for decision in standing:
        detail = dict(decision.detail)
        if decision.kind == "merge":
            target = _ticket_of(connection, detail["anchor"][0]) if detail["anchor"] else None
            sources = {_ticket_of(connection, key) for key in detail["mentions"]} - {None, target}
            if target is None or not sources:
                continue
            for source in sorted(sources):  # type: ignore[type-var]
                operator.merge_tickets(connection, source, target, decision.actor, record=False)
            detail.update(into_ticket=target, from_ticket=min(sources))  # type: ignore[type-var]
        else:
            current = _ticket_of(connection, detail["mention"])
            anchor_ticket = _ticket_of(connection, detail["anchor"][0]) if detail["anchor"] else None
            if current is None or current != anchor_ticket:
                continue  # the machine already keeps them apart
            _, new_ticket = operator.split_mention(connection, *detail["mention"], actor=decision.actor, record=False)
            detail.update(from_ticket=current, to_ticket=new_ticket)
        connection.execute(update(DECISIONS).where(DECISIONS.c.id == decision.id).values(detail=detail))
        applied[decision.id] = detail
    return applied
