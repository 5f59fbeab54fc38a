"""Re-deriving mentions and tickets from the raw store, then replaying what operators decided."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from sink import operator
from sink.models import MentionRow, OperatorDecisionRow, QuarantineRow, RawItemRow, TicketMemberRow, TicketRow

DECISIONS = OperatorDecisionRow.__table__
MENTIONS = MentionRow.__table__


def reset_derived(connection: Connection) -> int:
    """Forget every mention, ticket and quarantine entry; raw items become "new" again. Returns how many."""
    connection.execute(TicketMemberRow.__table__.delete())
    connection.execute(MentionRow.__table__.delete())
    connection.execute(update(TicketRow.__table__).values(merged_into=None))
    connection.execute(TicketRow.__table__.delete())
    connection.execute(QuarantineRow.__table__.delete())
    return connection.execute(update(RawItemRow.__table__).values(state="new")).rowcount


def _ticket_of(connection: Connection, key: list[str]) -> int | None:
    channel, external_id = key
    return connection.execute(
        select(MENTIONS.c.ticket_id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
    ).scalar()


def replay_decisions(connection: Connection) -> int:
    """Apply the standing merges and splits again, on the re-derived tickets; returns how many applied."""
    applied = 0
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
        applied += 1
    return applied
