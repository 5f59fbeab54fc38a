"""What operators did to tickets, carried across a reprocess by the messages it was done to.

A reprocess re-derives tickets, and with them their ids; the messages (channel, external_id) stay.
So before the reset every ticket carrying operator work (status and its times, fields an operator
set, status history and notes, CRM outbox rows) is captured with its member messages, and after
re-deriving and replaying merges and splits the work goes to the ticket that now holds the
captured ticket's *earliest* message still in a ticket: the report that opened the incident, whose
title and place the operator saw. A majority rule would move a triaged ticket's status to whichever
part a rule change made bigger, and ties would need another rule; the opener is unambiguous.

When a rule change splits a triaged ticket, the part with the opener keeps the status, edits,
history and outbox row; the other part starts as a new ticket (Menunggu) for an operator to look at.
When two captured tickets land on one new ticket, the one a person kept open (not merged away),
then the earlier one, gives the ticket-level state; every history and outbox row still moves there,
and the loser's state is written into the reprocess audit line. Work whose messages form no ticket
any more is detached (no ticket id, message keys kept) and re-attached by a later reprocess; its
ticket-level state goes into the audit line. Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, or_, select, update

from sink.models import AuditRow, MentionRow, OperatorDecisionRow, OutboxRow, TicketRow, TicketStatusRow

TICKETS = TicketRow.__table__
MENTIONS = MentionRow.__table__
HISTORY = TicketStatusRow.__table__
OUTBOX = OutboxRow.__table__
DECISIONS = OperatorDecisionRow.__table__
AUDIT = AuditRow.__table__

UNTRIAGED = "menunggu"
STATUS_FIELDS = ("status", "status_changed_at", "first_triaged_at", "coordinated_at", "resolved_at")
# The fields sink.ticket_actions lets an operator set, and the ticket columns each one covers.
EDITABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("category",),
    "place": ("kota", "kecamatan", "kelurahan", "kelurahan_code", "street"),
    "agency": ("agency",),
    "is_complaint": ("is_complaint",),
}
AUDIT_ACTOR = "dengar reprocess"

MessageKey = tuple[str, str]


@dataclass
class CapturedTicket:
    """One ticket's operator work as it stood before the reset, and the messages it belongs to."""

    old_id: int
    keys: list[MessageKey]  # earliest first
    first_seen: datetime
    merged_into: int | None
    merge_decision: int | None  # for a merged-away ticket: the standing merge that emptied it
    status: dict[str, Any]
    operator_fields: list[str]
    edits: dict[str, Any]  # column -> value, for the fields an operator set
    history_ids: list[int] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)

    def ticket_state(self) -> dict[str, Any]:
        return {**self.status, **self.edits, "operator_fields": list(self.operator_fields)}

    def describe(self) -> dict[str, Any]:
        """For the audit line and the report: enough to redo the work by hand."""
        state = {name: value.isoformat() if isinstance(value, datetime) else value for name, value in self.ticket_state().items()}
        return {"ticket": self.old_id, "messages": [list(key) for key in self.keys], "state": state,
                "history": self.history_ids, "outbox": self.outbox_ids}


@dataclass
class CapturedState:
    tickets: list[CapturedTicket]
    detached_history: dict[int, list[MessageKey]]  # rows a previous reprocess detached
    detached_outbox: dict[int, list[MessageKey]]


@dataclass
class ReattachReport:
    reattached: int = 0  # tickets whose state went to a re-derived ticket
    history_rows: int = 0
    outbox_rows: int = 0
    renumbered: dict[int, int] = field(default_factory=dict)  # old ticket id -> new, where they differ
    collisions: list[dict[str, Any]] = field(default_factory=list)  # state that lost to another's on one ticket
    orphaned: list[dict[str, Any]] = field(default_factory=list)  # state whose messages form no ticket
    detached_outbox: list[int] = field(default_factory=list)  # outbox rows left without a ticket


def _keys(rows: Any) -> list[MessageKey]:
    return [(channel, external_id) for channel, external_id in rows]


def _stored_keys(value: Any) -> list[MessageKey]:
    return [(str(pair[0]), str(pair[1])) for pair in value or () if isinstance(pair, (list, tuple)) and len(pair) == 2]


def capture(connection: Connection) -> CapturedState:
    """Read every ticket that carries operator work, keyed by its messages; run before the reset."""
    history_by_ticket: dict[int, list[int]] = {}
    detached_history: dict[int, list[MessageKey]] = {}
    for row_id, ticket_id, keys in connection.execute(select(HISTORY.c.id, HISTORY.c.ticket_id, HISTORY.c.message_keys).order_by(HISTORY.c.id)):
        if ticket_id is None:
            detached_history[row_id] = _stored_keys(keys)
        else:
            history_by_ticket.setdefault(ticket_id, []).append(row_id)
    outbox_by_ticket: dict[int, list[int]] = {}
    detached_outbox: dict[int, list[MessageKey]] = {}
    for row_id, ticket_id, keys in connection.execute(select(OUTBOX.c.id, OUTBOX.c.ticket_id, OUTBOX.c.message_keys).order_by(OUTBOX.c.id)):
        if ticket_id is None:
            detached_outbox[row_id] = _stored_keys(keys)
        else:
            outbox_by_ticket.setdefault(ticket_id, []).append(row_id)
    merges: dict[int, tuple[int, list[MessageKey]]] = {}
    for decision_id, detail in connection.execute(
        select(DECISIONS.c.id, DECISIONS.c.detail).where(DECISIONS.c.kind == "merge", DECISIONS.c.undone_by.is_(None)).order_by(DECISIONS.c.id)
    ):
        merges[int(detail["from_ticket"])] = (decision_id, _stored_keys(detail.get("mentions")))

    worked_on = connection.execute(
        select(TICKETS).where(or_(
            TICKETS.c.status != UNTRIAGED,
            TICKETS.c.first_triaged_at.is_not(None),
            TICKETS.c.status_changed_at.is_not(None),
            TICKETS.c.id.in_(list(history_by_ticket) or [-1]),
            TICKETS.c.id.in_(list(outbox_by_ticket) or [-1]),
        )).order_by(TICKETS.c.id)
    ).all()
    captured = []
    for ticket in worked_on:
        keys = _keys(connection.execute(
            select(MENTIONS.c.channel, MENTIONS.c.external_id).where(MENTIONS.c.ticket_id == ticket.id)
            .order_by(MENTIONS.c.created_at, MENTIONS.c.id)
        ))
        merge_decision = None
        if ticket.merged_into is not None and ticket.id in merges:
            merge_decision, merged_keys = merges[ticket.id]
            keys = keys or merged_keys
        if not keys and ticket.id not in history_by_ticket and ticket.id not in outbox_by_ticket:
            continue  # an emptied ticket no standing decision keeps (an undone split): nothing to carry
        operator_fields = [name for name in ticket.operator_fields or () if name in EDITABLE_COLUMNS]
        captured.append(CapturedTicket(
            old_id=ticket.id, keys=keys, first_seen=ticket.first_seen, merged_into=ticket.merged_into,
            merge_decision=merge_decision,
            status={name: getattr(ticket, name) for name in STATUS_FIELDS},
            operator_fields=operator_fields,
            edits={column: getattr(ticket, column) for name in operator_fields for column in EDITABLE_COLUMNS[name]},
            history_ids=history_by_ticket.get(ticket.id, []),
            outbox_ids=outbox_by_ticket.get(ticket.id, []),
        ))
    return CapturedState(captured, detached_history, detached_outbox)


def release_outbox(connection: Connection) -> None:
    """Let the reset delete tickets: outbox rows point at none until :func:`reattach` re-points them."""
    connection.execute(update(OUTBOX).where(OUTBOX.c.ticket_id.is_not(None)).values(ticket_id=None))


def _ticket_holding(connection: Connection, keys: list[MessageKey]) -> int | None:
    """The ticket now holding the earliest of ``keys`` that is in a ticket at all."""
    for channel, external_id in keys:
        ticket_id = connection.execute(
            select(MENTIONS.c.ticket_id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
        ).scalar()
        if ticket_id is not None:
            return int(ticket_id)
    return None


def _new_ticket(connection: Connection, captured: CapturedTicket, replayed_merges: dict[int, dict[str, Any]]) -> int | None:
    if captured.merge_decision is not None and captured.merge_decision in replayed_merges:
        return int(replayed_merges[captured.merge_decision]["from_ticket"])  # the re-derived ticket merged away again
    return _ticket_holding(connection, captured.keys)


def _attach_history(connection: Connection, row_ids: list[int], ticket_id: int | None, keys: list[MessageKey]) -> None:
    if row_ids:
        connection.execute(update(HISTORY).where(HISTORY.c.id.in_(row_ids)).values(
            ticket_id=ticket_id, message_keys=None if ticket_id is not None else [list(key) for key in keys]))


def _attach_outbox(connection: Connection, row_ids: list[int], ticket_id: int | None, keys: list[MessageKey]) -> None:
    for row in connection.execute(select(OUTBOX.c.id, OUTBOX.c.payload, OUTBOX.c.delivered_at).where(OUTBOX.c.id.in_(row_ids))).all():
        values: dict[str, Any] = {"ticket_id": ticket_id,
                                  "message_keys": None if ticket_id is not None else [list(key) for key in keys]}
        attributes = (row.payload or {}).get("attributes")
        if ticket_id is not None and row.delivered_at is None and isinstance(attributes, dict):
            # Not sent yet: the CRM should get the number the console shows. A delivered payload is a record.
            values["payload"] = {**row.payload, "attributes": {**attributes, "dengar_ticket": ticket_id}}
        connection.execute(update(OUTBOX).where(OUTBOX.c.id == row.id).values(values))


def _precedence(captured: CapturedTicket) -> tuple[bool, datetime, int]:
    return (captured.merged_into is not None, captured.first_seen, captured.old_id)


def reattach(connection: Connection, state: CapturedState, replayed_merges: dict[int, dict[str, Any]]) -> ReattachReport:
    """Give the re-derived tickets their operator work back; run after re-deriving and replaying decisions.

    Writes no audit entry per ticket (the audit log already holds each action), one for the whole run.
    """
    report = ReattachReport()
    landing: dict[int, list[CapturedTicket]] = {}
    for captured in state.tickets:
        new_id = _new_ticket(connection, captured, replayed_merges)
        if new_id is None:
            report.orphaned.append(captured.describe())
            _attach_history(connection, captured.history_ids, None, captured.keys)
            _attach_outbox(connection, captured.outbox_ids, None, captured.keys)
            report.detached_outbox.extend(captured.outbox_ids)
            continue
        landing.setdefault(new_id, []).append(captured)
    for new_id, candidates in sorted(landing.items()):
        candidates.sort(key=_precedence)
        winner = candidates[0]
        connection.execute(update(TICKETS).where(TICKETS.c.id == new_id).values(winner.ticket_state()))
        report.reattached += 1
        for captured in candidates:
            if captured is not winner:
                report.collisions.append({**captured.describe(), "kept": winner.old_id, "now": new_id})
            if captured.old_id != new_id:
                report.renumbered[captured.old_id] = new_id
            _attach_history(connection, captured.history_ids, new_id, captured.keys)
            _attach_outbox(connection, captured.outbox_ids, new_id, captured.keys)
            report.history_rows += len(captured.history_ids)
            report.outbox_rows += len(captured.outbox_ids)
    for row_id, keys in state.detached_history.items():
        ticket_id = _ticket_holding(connection, keys)
        if ticket_id is not None:
            _attach_history(connection, [row_id], ticket_id, keys)
            report.history_rows += 1
    for row_id, keys in state.detached_outbox.items():
        ticket_id = _ticket_holding(connection, keys)
        if ticket_id is not None:
            _attach_outbox(connection, [row_id], ticket_id, keys)
            report.outbox_rows += 1
        else:
            report.detached_outbox.append(row_id)
    _audit(connection, report)
    return report


def _audit(connection: Connection, report: ReattachReport) -> None:
    after = {
        "reattached_tickets": report.reattached,
        "history_rows": report.history_rows,
        "outbox_rows": report.outbox_rows,
        "renumbered": {str(old): new for old, new in sorted(report.renumbered.items())},
        "collisions": report.collisions,
        "orphaned": report.orphaned,
        "detached_outbox": sorted(report.detached_outbox),
    }
    connection.execute(AUDIT.insert().values(
        at=datetime.now(timezone.utc), actor=AUDIT_ACTOR, action="reprocess", entity="tickets", entity_id="*",
        before=None, after=after,
    ))
