"""The outbox as the deliverer sees it: due rows, a claim per row, and the outcome of each attempt.

A row is claimed with one conditional UPDATE (like a source's lease), so two daemons on one
database never send the same row at once; a claim expires, so a daemon that dies mid-send frees
the row. The claim counts the attempt before anything is sent: ``attempts > 0`` means the CRM may
already have the row, which is what makes the deliverer look before it sends again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from sink.models import OutboxRow

OUTBOX = OutboxRow.__table__
MAX_ERROR_CHARS = 2000
OUTBOX_STATES = ("queued", "retrying", "sending", "delivered", "failed")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    ticket_id: int | None
    idempotency_key: str
    target: str
    payload: dict[str, Any]
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    last_error: str | None
    last_outcome: str | None
    crm_request_id: str | None
    crm_token: str | None
    claimed_by: str | None
    claimed_until: datetime | None
    created_at: datetime

    @property
    def tried_before(self) -> bool:
        """An earlier attempt may have reached the CRM (claimed entries count the current attempt too)."""
        return self.attempts > 1 or self.last_outcome is not None

    def state(self, now: datetime) -> str:
        """One of OUTBOX_STATES: what an operator needs to know about the row right now."""
        if self.delivered_at is not None:
            return "delivered"
        if self.failed_at is not None:
            return "failed"
        if self.claimed_until is not None and self.claimed_until > now:
            return "sending"
        return "retrying" if self.attempts else "queued"


def entry_from_row(row: Any) -> OutboxEntry:
    """An outbox row read by any query (the console reads it beside its ticket)."""
    return OutboxEntry(**{name: getattr(row, name) for name in OutboxEntry.__slots__})  # type: ignore[attr-defined]


def _due(now: datetime) -> Any:
    return and_(OUTBOX.c.delivered_at.is_(None), OUTBOX.c.failed_at.is_(None),
                or_(OUTBOX.c.next_attempt_at.is_(None), OUTBOX.c.next_attempt_at <= now),
                or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now))


def due_ids(engine: Engine, now: datetime | None = None, limit: int = 50) -> list[int]:
    """Rows to try now, oldest first."""
    now = now or _utcnow()
    with engine.connect() as connection:
        return list(connection.execute(select(OUTBOX.c.id).where(_due(now)).order_by(OUTBOX.c.id).limit(limit)).scalars())


def claim(engine: Engine, outbox_id: int, owner: str, hold: timedelta, now: datetime | None = None) -> OutboxEntry | None:
    """Take the row for one attempt until now + hold (counting the attempt); None when it is not ours to send."""
    now = now or _utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(OUTBOX).where(OUTBOX.c.id == outbox_id, _due(now))
            .values(claimed_by=owner, claimed_until=now + hold, attempts=OUTBOX.c.attempts + 1))
        if result.rowcount != 1:
            return None
        return entry_from_row(connection.execute(select(OUTBOX).where(OUTBOX.c.id == outbox_id)).one())


def mark_delivered(engine: Engine, outbox_id: int, request_id: str | None, token: str | None,
                   outcome: str = "delivered", now: datetime | None = None) -> bool:
    """The CRM has the row; whoever learned it records it (even past an expired claim: it is a fact)."""
    now = now or _utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(OUTBOX).where(OUTBOX.c.id == outbox_id, OUTBOX.c.delivered_at.is_(None))
            .values(delivered_at=now, crm_request_id=_clip(request_id, 200), crm_token=_clip(token, 200),
                    last_outcome=outcome, next_attempt_at=None, failed_at=None, claimed_by=None, claimed_until=None))
        return result.rowcount == 1


def mark_attempt_failed(engine: Engine, outbox_id: int, owner: str, outcome: str, error: str, retry_at: datetime,
                        max_attempts: int, now: datetime | None = None) -> OutboxEntry | None:
    """Record a failed attempt: retry at ``retry_at``, or give up (``failed_at``) once ``max_attempts`` were made.

    Only the claim holder records; None when the claim was lost (another process owns the outcome).
    """
    now = now or _utcnow()
    with engine.begin() as connection:
        row = connection.execute(select(OUTBOX.c.attempts).where(
            OUTBOX.c.id == outbox_id, OUTBOX.c.claimed_by == owner, OUTBOX.c.delivered_at.is_(None))).first()
        if row is None:
            return None
        give_up = row.attempts >= max_attempts
        connection.execute(
            update(OUTBOX).where(OUTBOX.c.id == outbox_id, OUTBOX.c.claimed_by == owner)
            .values(last_error=_clip(error, MAX_ERROR_CHARS), last_outcome=outcome,
                    next_attempt_at=None if give_up else retry_at, failed_at=now if give_up else None,
                    claimed_by=None, claimed_until=None))
        return entry_from_row(connection.execute(select(OUTBOX).where(OUTBOX.c.id == outbox_id)).one())


def release_claim(engine: Engine, outbox_id: int, owner: str) -> None:
    """Give a claimed row back untried (stopping before sending): the attempt is not counted."""
    with engine.begin() as connection:
        connection.execute(update(OUTBOX).where(OUTBOX.c.id == outbox_id, OUTBOX.c.claimed_by == owner,
                                                OUTBOX.c.delivered_at.is_(None))
                           .values(claimed_by=None, claimed_until=None, attempts=OUTBOX.c.attempts - 1))


def retry_failed(engine: Engine, outbox_id: int, now: datetime | None = None) -> bool:
    """An operator fixed the cause: a failed row becomes due again with a fresh count of attempts.

    The earlier attempts' outcome is kept, so a row that may have reached the CRM is still looked up first.
    """
    with engine.begin() as connection:
        return retry_failed_in(connection, outbox_id, now)


def retry_failed_in(connection: Connection, outbox_id: int, now: datetime | None = None) -> bool:
    """``retry_failed`` on the caller's transaction (the console audits the retry in the same one)."""
    result = connection.execute(
        update(OUTBOX).where(OUTBOX.c.id == outbox_id, OUTBOX.c.failed_at.is_not(None), OUTBOX.c.delivered_at.is_(None))
        .values(failed_at=None, next_attempt_at=now or _utcnow(), attempts=0))
    return result.rowcount == 1


def get_entry(engine: Engine, outbox_id: int) -> OutboxEntry | None:
    with engine.connect() as connection:
        row = connection.execute(select(OUTBOX).where(OUTBOX.c.id == outbox_id)).first()
    return entry_from_row(row) if row is not None else None


def list_entries(engine: Engine, limit: int = 100) -> list[OutboxEntry]:
    """Newest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(OUTBOX).order_by(OUTBOX.c.id.desc()).limit(limit)).all()
    return [entry_from_row(row) for row in rows]


def backlog(engine: Engine) -> dict[str, int]:
    """Rows waiting for delivery (``pending``) and rows given up on (``failed``)."""
    with engine.connect() as connection:
        pending = connection.execute(select(func.count()).select_from(OUTBOX).where(
            OUTBOX.c.delivered_at.is_(None), OUTBOX.c.failed_at.is_(None))).scalar_one()
        failed = connection.execute(select(func.count()).select_from(OUTBOX).where(
            OUTBOX.c.delivered_at.is_(None), OUTBOX.c.failed_at.is_not(None))).scalar_one()
    return {"pending": int(pending), "failed": int(failed)}


def _clip(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["OUTBOX_STATES", "OutboxEntry", "backlog", "claim", "due_ids", "entry_from_row", "get_entry", "list_entries",
           "mark_attempt_failed", "mark_delivered", "release_claim", "retry_failed", "retry_failed_in"]
