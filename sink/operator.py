"""An operator's merges and splits: applied, audited, reversible, and replayable after a reprocess.

Decisions name messages by (channel, external_id), not by ticket id, because ticket ids are
re-derived when the raw store is reprocessed; the messages are what the operator judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, func, select, update

from sink.models import AuditRow, MentionRow, OperatorDecisionRow, TicketMemberRow, TicketRow

MENTIONS = MentionRow.__table__
MEMBERS = TicketMemberRow.__table__
TICKETS = TicketRow.__table__
DECISIONS = OperatorDecisionRow.__table__
AUDIT = AuditRow.__table__


class OperatorError(Exception):
    """The action cannot be done as asked; the message says why."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _ticket(connection: Connection, ticket_id: int):  # type: ignore[no-untyped-def]
    row = connection.execute(select(TICKETS).where(TICKETS.c.id == ticket_id)).first()
    if row is None:
        raise OperatorError(f"ticket {ticket_id} does not exist")
    return row


def _member_keys(connection: Connection, ticket_id: int) -> list[list[str]]:
    return [
        [channel, external_id]
        for channel, external_id in connection.execute(
            select(MENTIONS.c.channel, MENTIONS.c.external_id).where(MENTIONS.c.ticket_id == ticket_id).order_by(MENTIONS.c.created_at, MENTIONS.c.id)
        )
    ]


def _mention_ids(connection: Connection, keys: Sequence[Sequence[str]]) -> list[int]:
    ids = []
    for channel, external_id in keys:
        mention_id = connection.execute(
            select(MENTIONS.c.id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
        ).scalar()
        if mention_id is not None:
            ids.append(mention_id)
    return ids


def _move(connection: Connection, mention_ids: Sequence[int], ticket_id: int, actor: str, now: datetime) -> None:
    if not mention_ids:
        return
    connection.execute(update(MENTIONS).where(MENTIONS.c.id.in_(mention_ids)).values(ticket_id=ticket_id))
    existing = set(connection.execute(select(MEMBERS.c.mention_id).where(MEMBERS.c.mention_id.in_(mention_ids))).scalars())
    connection.execute(
        update(MEMBERS).where(MEMBERS.c.mention_id.in_(mention_ids)).values(
            ticket_id=ticket_id, link_kind="operator", score=1.0, linked_by=f"operator:{actor}", linked_at=now
        )
    )
    missing = [mention_id for mention_id in mention_ids if mention_id not in existing]
    if missing:
        connection.execute(MEMBERS.insert(), [
            {"ticket_id": ticket_id, "mention_id": m, "link_kind": "operator", "score": 1.0,
             "linked_by": f"operator:{actor}", "linked_at": now, "candidates": []} for m in missing
        ])


def refresh_ticket(connection: Connection, ticket_id: int, now: datetime) -> None:
    """Recompute a ticket's counts, times and channels from its members."""
    stats = connection.execute(
        select(func.count(), func.min(MENTIONS.c.created_at), func.max(MENTIONS.c.created_at)).where(MENTIONS.c.ticket_id == ticket_id)
    ).one()
    channels = sorted(set(connection.execute(select(MENTIONS.c.channel).where(MENTIONS.c.ticket_id == ticket_id)).scalars()))
    values: dict[str, Any] = {"member_count": stats[0], "channels": channels, "updated_at": now}
    if stats[0]:
        values.update(first_seen=stats[1], last_seen=stats[2])
    connection.execute(update(TICKETS).where(TICKETS.c.id == ticket_id).values(values))


def _audit(connection: Connection, actor: str, action: str, entity: str, entity_id: str, before: Any, after: Any, now: datetime) -> None:
    connection.execute(AUDIT.insert().values(at=now, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after))


def _record(connection: Connection, kind: str, actor: str, detail: dict[str, Any], now: datetime) -> int:
    return connection.execute(DECISIONS.insert().values(kind=kind, actor=actor, at=now, detail=detail).returning(DECISIONS.c.id)).scalar_one()


def merge_tickets(connection: Connection, source_id: int, target_id: int, actor: str, record: bool = True) -> int | None:
    """Move every message of ``source_id`` into ``target_id``; returns the decision id (for undo).

    ``record=False`` replays a standing decision without recording it again.
    """
    if source_id == target_id:
        raise OperatorError("a ticket cannot be merged into itself")
    source, target = _ticket(connection, source_id), _ticket(connection, target_id)
    if source.merged_into is not None:
        raise OperatorError(f"ticket {source_id} was already merged into ticket {source.merged_into}")
    if target.merged_into is not None:
        raise OperatorError(f"ticket {target_id} was merged into ticket {target.merged_into}; merge into that one")
    now = _now()
    moved = _member_keys(connection, source_id)
    anchor = _member_keys(connection, target_id)[:1]
    _move(connection, _mention_ids(connection, moved), target_id, actor, now)
    connection.execute(update(TICKETS).where(TICKETS.c.id == source_id).values(merged_into=target_id, member_count=0, updated_at=now))
    refresh_ticket(connection, target_id, now)
    if not record:
        return None
    detail = {"from_ticket": source_id, "into_ticket": target_id, "mentions": moved, "anchor": anchor}
    decision = _record(connection, "merge", actor, detail, now)
    _audit(connection, actor, "merge", "ticket", str(source_id), {"ticket": source_id, "members": moved}, {"merged_into": target_id}, now)
    return decision


def split_mention(connection: Connection, channel: str, external_id: str, actor: str, record: bool = True) -> tuple[int | None, int]:
    """Take one message out of its ticket into a new ticket of its own; returns (decision id, new ticket id)."""
    mention = connection.execute(select(MENTIONS).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)).first()
    if mention is None:
        raise OperatorError(f"no message {channel}:{external_id}")
    if mention.ticket_id is None:
        raise OperatorError(f"message {channel}:{external_id} is in no ticket (not a complaint)")
    old = _ticket(connection, mention.ticket_id)
    if old.member_count <= 1:
        raise OperatorError(f"message {channel}:{external_id} is already alone in ticket {old.id}")
    now = _now()
    new_id = (connection.execute(select(func.max(TICKETS.c.id))).scalar() or 0) + 1
    values = {column.name: getattr(old, column.name) for column in TICKETS.columns}
    values.update(id=new_id, category=mention.category, kota=mention.kota, kecamatan=mention.kecamatan,
                  kelurahan=mention.kelurahan, kelurahan_code=mention.kelurahan_code, street=mention.street,
                  title=(mention.title or mention.text)[:140], status="menunggu", merged_into=None,
                  operator_fields=[f for f in old.operator_fields or () if f not in ("category", "place")],
                  created_at=now, updated_at=now)
    connection.execute(TICKETS.insert().values(values))
    _move(connection, [mention.id], new_id, actor, now)
    refresh_ticket(connection, old.id, now)
    refresh_ticket(connection, new_id, now)
    anchor = _member_keys(connection, old.id)[:1]
    if not record:
        return None, new_id
    detail = {"mention": [channel, external_id], "from_ticket": old.id, "to_ticket": new_id, "anchor": anchor}
    decision = _record(connection, "split", actor, detail, now)
    _audit(connection, actor, "split", "mention", f"{channel}:{external_id}", {"ticket": old.id}, {"ticket": new_id}, now)
    return decision, new_id


def undo(connection: Connection, decision_id: int, actor: str) -> int:
    """Reverse a merge or split; the reversal is itself a recorded, audited decision."""
    decision = connection.execute(select(DECISIONS).where(DECISIONS.c.id == decision_id)).first()
    if decision is None:
        raise OperatorError(f"no decision {decision_id}")
    if decision.kind == "undo":
        raise OperatorError(f"decision {decision_id} is itself an undo; make the original decision again instead")
    if decision.undone_by is not None:
        raise OperatorError(f"decision {decision_id} was already undone by decision {decision.undone_by}")
    detail, now = decision.detail, _now()
    if decision.kind == "merge":
        source_id, target_id = detail["from_ticket"], detail["into_ticket"]
        connection.execute(update(TICKETS).where(TICKETS.c.id == source_id).values(merged_into=None, updated_at=now))
        _move(connection, _mention_ids(connection, detail["mentions"]), source_id, actor, now)
        refresh_ticket(connection, source_id, now)
        refresh_ticket(connection, target_id, now)
    else:
        (channel, external_id), from_ticket, to_ticket = detail["mention"], detail["from_ticket"], detail["to_ticket"]
        _move(connection, _mention_ids(connection, [[channel, external_id]]), from_ticket, actor, now)
        connection.execute(update(TICKETS).where(TICKETS.c.id == to_ticket).values(merged_into=from_ticket, updated_at=now))
        refresh_ticket(connection, from_ticket, now)
        refresh_ticket(connection, to_ticket, now)
    undo_id = _record(connection, "undo", actor, {"undoes": decision_id}, now)
    connection.execute(update(DECISIONS).where(DECISIONS.c.id == decision_id).values(undone_by=undo_id))
    _audit(connection, actor, "undo", "decision", str(decision_id), {"kind": decision.kind, "detail": detail}, None, now)
    return undo_id
