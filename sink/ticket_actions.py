"""An operator's triage of one ticket: status workflow, category, place, agency, not-a-complaint, forward.

Each action is one function on the caller's connection (one transaction), writes the audit log
with the state before and after, and stamps the ticket's first triage time. Merges and splits are
in sink.operator, because they must be replayed after a reprocess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, select, update

from sink.models import AuditRow, OutboxRow, TicketRow, TicketStatusRow
from sink.operator import OperatorError
from sink.outbox import retry_failed_in

TICKETS = TicketRow.__table__
HISTORY = TicketStatusRow.__table__
OUTBOX = OutboxRow.__table__
AUDIT = AuditRow.__table__

# Jakarta's CRM workflow: Menunggu -> Koordinasi -> Disposisi -> Proses -> Selesai, or Ditolak.
STATUSES = ("menunggu", "koordinasi", "disposisi", "proses", "selesai", "ditolak")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "menunggu": ("koordinasi", "ditolak"),
    "koordinasi": ("disposisi", "ditolak"),
    "disposisi": ("proses", "ditolak"),
    "proses": ("selesai", "ditolak"),
    "selesai": ("proses",),  # reopened: the problem came back
    "ditolak": ("menunggu",),  # reopened: the rejection was a mistake
}
NOTE_REQUIRED = {"ditolak"}  # a rejection, and any reopening, must say why
COORDINATED = {"koordinasi", "disposisi", "proses", "selesai"}
CLOSED = {"selesai", "ditolak"}
MAX_NOTE = 4000
MAX_FIELD = 255


@dataclass(frozen=True)
class Place:
    kota: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    kelurahan_code: str | None = None
    street: str | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _open_ticket(connection: Connection, ticket_id: int):  # type: ignore[no-untyped-def]
    row = connection.execute(select(TICKETS).where(TICKETS.c.id == ticket_id)).first()
    if row is None:
        raise OperatorError(f"ticket {ticket_id} does not exist")
    if row.merged_into is not None:
        raise OperatorError(f"ticket {ticket_id} was merged into ticket {row.merged_into}; act on that one")
    return row


def _audit(connection: Connection, actor: str, action: str, ticket_id: int, before: Any, after: Any, now: datetime) -> None:
    connection.execute(AUDIT.insert().values(at=now, actor=actor, action=action, entity="ticket", entity_id=str(ticket_id),
                                             before=before, after=after))


def mark_triaged(connection: Connection, ticket_id: int, now: datetime | None = None) -> None:
    """The first time a person acts on a ticket (the report's "time to first triage")."""
    connection.execute(update(TICKETS).where(TICKETS.c.id == ticket_id, TICKETS.c.first_triaged_at.is_(None))
                       .values(first_triaged_at=now or _now()))


def _change(connection: Connection, ticket_id: int, actor: str, action: str, field: str, values: dict[str, Any]) -> dict[str, Any]:
    """Set ``values`` and remember that an operator set ``field``, so a reprocess keeps it."""
    row = _open_ticket(connection, ticket_id)
    before = {name: getattr(row, name) for name in values}
    if before == values:
        raise OperatorError(f"ticket {ticket_id} already has that {action.removeprefix('set_')}")
    now = _now()
    operator_fields = sorted(set(row.operator_fields or ()) | {field})
    connection.execute(update(TICKETS).where(TICKETS.c.id == ticket_id).values(**values, operator_fields=operator_fields,
                                                                                 updated_at=now))
    mark_triaged(connection, ticket_id, now)
    _audit(connection, actor, action, ticket_id, before, values, now)
    return before


def _text(value: str | None, limit: int = MAX_FIELD) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise OperatorError(f"too long: at most {limit} characters")
    return value or None


def set_status(connection: Connection, ticket_id: int, status: str, note: str, actor: str) -> None:
    """Move a ticket along the workflow; the step and its note go into the status history."""
    row = _open_ticket(connection, ticket_id)
    note = (note or "").strip()
    if status not in STATUSES:
        raise OperatorError(f"unknown status {status!r}")
    if status not in TRANSITIONS.get(row.status, ()):
        allowed = ", ".join(TRANSITIONS.get(row.status, ())) or "none"
        raise OperatorError(f"a ticket in {row.status} cannot go to {status} (allowed: {allowed})")
    if len(note) > MAX_NOTE:
        raise OperatorError(f"the note is too long: at most {MAX_NOTE} characters")
    reopening = row.status in CLOSED
    if (status in NOTE_REQUIRED or reopening) and not note:
        raise OperatorError(f"going to {status} needs a note saying why")
    now = _now()
    values: dict[str, Any] = {"status": status, "status_changed_at": now, "updated_at": now}
    if status in COORDINATED and row.coordinated_at is None:
        values["coordinated_at"] = now
    values["resolved_at"] = now if status in CLOSED else None
    connection.execute(update(TICKETS).where(TICKETS.c.id == ticket_id).values(values))
    connection.execute(HISTORY.insert().values(ticket_id=ticket_id, from_status=row.status, to_status=status, note=note,
                                               actor=actor, at=now))
    mark_triaged(connection, ticket_id, now)
    _audit(connection, actor, "set_status", ticket_id, {"status": row.status}, {"status": status, "note": note}, now)


def add_note(connection: Connection, ticket_id: int, note: str, actor: str) -> None:
    """A note without a change of status (kept in the same history, so the story reads in one place)."""
    row = _open_ticket(connection, ticket_id)
    note = (note or "").strip()
    if not note:
        raise OperatorError("the note is empty")
    if len(note) > MAX_NOTE:
        raise OperatorError(f"the note is too long: at most {MAX_NOTE} characters")
    now = _now()
    connection.execute(HISTORY.insert().values(ticket_id=ticket_id, from_status=row.status, to_status=row.status, note=note,
                                               actor=actor, at=now))
    _audit(connection, actor, "add_note", ticket_id, None, {"note": note}, now)


def set_category(connection: Connection, ticket_id: int, category: str, known: set[str] | frozenset[str], actor: str) -> None:
    if category not in known:
        raise OperatorError(f"unknown category {category!r}")
    _change(connection, ticket_id, actor, "set_category", "category", {"category": category})


def set_place(connection: Connection, ticket_id: int, place: Place, actor: str) -> None:
    values = {name: _text(value) for name, value in asdict(place).items()}
    _change(connection, ticket_id, actor, "set_place", "place", values)


def set_agency(connection: Connection, ticket_id: int, agency: str | None, actor: str) -> None:
    _change(connection, ticket_id, actor, "set_agency", "agency", {"agency": _text(agency, 120)})


def set_complaint(connection: Connection, ticket_id: int, is_complaint: bool, actor: str) -> None:
    """Mark a ticket not-a-complaint (it leaves the queue), or take that back."""
    _change(connection, ticket_id, actor, "set_complaint", "is_complaint", {"is_complaint": is_complaint})


def forward_key(ticket_id: int) -> str:
    return f"dengar-ticket-{ticket_id}"


def _free_forward_key(connection: Connection, ticket_id: int) -> str:
    """The ticket's key, or a suffixed one when a reprocess renumbered tickets and another row already holds it."""
    key, attempt = forward_key(ticket_id), 1
    while connection.execute(select(OUTBOX.c.id).where(OUTBOX.c.idempotency_key == key)).scalar() is not None:
        attempt += 1
        key = f"{forward_key(ticket_id)}-{attempt}"
    return key


def forward_to_crm(connection: Connection, ticket_id: int, target: str, actor: str) -> int:
    """Queue the ticket for delivery to the CRM (the outbox delivers and retries); returns the outbox id.

    One delivery per ticket (a reprocess keeps the row with the ticket's messages), and the idempotency
    key stays with the row, so the CRM never gets it twice.
    """
    row = _open_ticket(connection, ticket_id)
    if not row.is_complaint:
        raise OperatorError(f"ticket {ticket_id} is marked not a complaint")
    existing = connection.execute(select(OUTBOX.c.id).where(OUTBOX.c.ticket_id == ticket_id)).scalar()
    if existing is not None:
        raise OperatorError(f"ticket {ticket_id} is already queued for the CRM (outbox {existing})")
    key = _free_forward_key(connection, ticket_id)
    now = _now()
    address = ", ".join(part for part in (row.street, row.kelurahan, row.kecamatan, row.kota) if part)
    payload = {
        "service_code": row.category,
        "description": row.title,
        "address_string": address or None,
        "lat": row.lat,
        "long": row.lon,
        "agency_responsible": row.agency,
        "requested_datetime": row.first_seen.isoformat(),
        "attributes": {"dengar_ticket": ticket_id, "reports": row.member_count, "channels": list(row.channels or []),
                       "kelurahan_code": row.kelurahan_code},
    }
    outbox_id = connection.execute(
        OUTBOX.insert().values(ticket_id=ticket_id, idempotency_key=key, target=target, payload=payload, attempts=0,
                               next_attempt_at=now, created_at=now).returning(OUTBOX.c.id)
    ).scalar_one()
    mark_triaged(connection, ticket_id, now)
    _audit(connection, actor, "forward", ticket_id, None, {"outbox": outbox_id, "target": target}, now)
    return outbox_id


def retry_delivery(connection: Connection, ticket_id: int, actor: str) -> int:
    """The CRM refused the ticket until someone fixed the cause: deliver it again (sink.outbox.retry_failed_in).

    Only a row the deliverer gave up on can be retried; a queued or delivered row is left alone.
    """
    row = connection.execute(select(OUTBOX).where(OUTBOX.c.ticket_id == ticket_id).order_by(OUTBOX.c.id.desc())).first()
    if row is None:
        raise OperatorError(f"ticket {ticket_id} was not forwarded to the CRM")
    now = _now()
    before = {"outbox": row.id, "attempts": row.attempts, "failed_at": _iso(row.failed_at), "last_error": row.last_error}
    if not retry_failed_in(connection, row.id, now):
        raise OperatorError(f"the CRM delivery of ticket {ticket_id} has not failed: nothing to retry")
    after = {"outbox": row.id, "attempts": 0, "failed_at": None, "next_attempt_at": now.isoformat()}
    _audit(connection, actor, "retry_delivery", ticket_id, before, after, now)
    return row.id


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
