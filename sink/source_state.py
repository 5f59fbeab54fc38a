"""Per-source state: the cursor (moved in the same transaction as the raw items it covers), health, lease.

Storing raw items and the cursor together is what makes a live source lossless: a crash before the
commit loses neither (the source is polled again from the old cursor and storage is idempotent), a
crash after it loses nothing either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, or_, select, update

from collectors.types import RawItem
from sink.models import RawItemRow, SourceStateRow
from sink.raw_store import StoredRaw, store_raw

log = logging.getLogger(__name__)

STATE = SourceStateRow.__table__
RAW = RawItemRow.__table__

# The states a source can be in; "silent" is derived when reading (see dengar.sources), not stored.
SOURCE_STATES = ("ok", "backing_off", "rate_limited", "blocked", "failed", "disabled")


@dataclass(frozen=True, slots=True)
class SourceState:
    name: str
    channel: str
    cursor: dict[str, Any]
    state: str
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    next_attempt_at: datetime | None
    lease_owner: str | None
    lease_expires: datetime | None


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _ensure_row(connection: Connection, name: str, channel: str) -> None:
    exists = connection.execute(select(STATE.c.name).where(STATE.c.name == name)).first()
    if exists is None:
        connection.execute(insert(STATE).values(name=name, channel=channel, cursor={}, state="ok"))


def load_state(connection: Connection, name: str) -> SourceState | None:
    row = connection.execute(select(STATE).where(STATE.c.name == name)).first()
    if row is None:
        return None
    return SourceState(**{column: getattr(row, column) for column in SourceState.__slots__})  # type: ignore[arg-type]


def all_states(engine: Engine) -> dict[str, SourceState]:
    with engine.connect() as connection:
        rows = connection.execute(select(STATE).order_by(STATE.c.name)).all()
    return {row.name: SourceState(**{c: getattr(row, c) for c in SourceState.__slots__}) for row in rows}  # type: ignore[arg-type]


def load_cursor(engine: Engine, name: str) -> dict[str, Any]:
    with engine.connect() as connection:
        state = load_state(connection, name)
    return dict(state.cursor or {}) if state else {}


def store_batch(connection: Connection, name: str, channel: str, items: Sequence[RawItem],
                cursor: dict[str, Any]) -> tuple[list[StoredRaw], int]:
    """Store ``items`` and set the source's cursor, inside the caller's transaction.

    Returns the newly stored items and how many were already known.
    """
    _ensure_row(connection, name, channel)
    stored, known = store_raw(connection, items)
    connection.execute(update(STATE).where(STATE.c.name == name).values(cursor=cursor))
    return stored, known


def record_success(engine: Engine, name: str, channel: str, when: datetime | None = None) -> None:
    """A whole run finished: the source is healthy again."""
    when = when or _utcnow()
    with engine.begin() as connection:
        _ensure_row(connection, name, channel)
        connection.execute(update(STATE).where(STATE.c.name == name)
                           .values(state="ok", last_success=when, next_attempt_at=None))


def record_failure(engine: Engine, name: str, channel: str, state: str, error: str,
                   next_attempt_at: datetime | None, when: datetime | None = None) -> None:
    """The run stopped on ``error``; the source waits in ``state`` until ``next_attempt_at``."""
    if state not in SOURCE_STATES:
        raise ValueError(f"unknown source state {state!r}")
    when = when or _utcnow()
    with engine.begin() as connection:
        _ensure_row(connection, name, channel)
        connection.execute(update(STATE).where(STATE.c.name == name)
                           .values(state=state, last_error=error[:2000], last_error_at=when,
                                   next_attempt_at=next_attempt_at))


def acquire_lease(engine: Engine, name: str, channel: str, owner: str, ttl: timedelta,
                  now: datetime | None = None, holder_is_dead: Callable[[str], bool] | None = None) -> bool:
    """Take (or renew) the right to poll ``name`` until now + ttl; False while another process holds it.

    One conditional UPDATE, so two processes racing on the same row cannot both win. A lease whose
    holder ``holder_is_dead`` proves gone (a killed process on this host) is taken over at once.
    """
    now = now or _utcnow()
    with engine.begin() as connection:
        _ensure_row(connection, name, channel)
        result = connection.execute(
            update(STATE)
            .where(STATE.c.name == name,
                   or_(STATE.c.lease_owner.is_(None), STATE.c.lease_owner == owner, STATE.c.lease_expires < now))
            .values(lease_owner=owner, lease_expires=now + ttl))
        if result.rowcount == 1:
            return True
        if holder_is_dead is None:
            return False
        return _take_from_dead_holder(connection, name, owner, now + ttl, holder_is_dead)


def _take_from_dead_holder(connection: Connection, name: str, owner: str, expires: datetime,
                           holder_is_dead: Callable[[str], bool]) -> bool:
    """Take the lease from its holder if that holder is dead, conditional on exactly that holder.

    Should the holder renew, or another restarted process take it first, the row no longer names
    that holder and the UPDATE matches nothing: a lease is never held twice.
    """
    holder = connection.execute(select(STATE.c.lease_owner).where(STATE.c.name == name)).scalar_one_or_none()
    if holder is None or holder == owner or not holder_is_dead(holder):
        return False
    taken = connection.execute(update(STATE).where(STATE.c.name == name, STATE.c.lease_owner == holder)
                               .values(lease_owner=owner, lease_expires=expires))
    if taken.rowcount == 1:
        log.warning("lease on %s taken over from %s, which is no longer running", name, holder)
        return True
    return False


def release_lease(engine: Engine, name: str, owner: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(STATE).where(STATE.c.name == name, STATE.c.lease_owner == owner)
                           .values(lease_owner=None, lease_expires=None))


def items_stored_since(engine: Engine, since: datetime) -> dict[str, int]:
    """Raw items stored per source since ``since`` (for "items in the last hour/day")."""
    with engine.connect() as connection:
        rows = connection.execute(select(RAW.c.source, func.count()).where(RAW.c.stored_at >= since)
                                  .group_by(RAW.c.source)).all()
    return {source: count for source, count in rows}


def last_stored_at(engine: Engine, names: Sequence[str]) -> dict[str, datetime]:
    """When each source last stored a new item (silence detection reads this)."""
    if not names:
        return {}
    with engine.connect() as connection:
        rows = connection.execute(select(RAW.c.source, func.max(RAW.c.stored_at))
                                  .where(RAW.c.source.in_(names)).group_by(RAW.c.source)).all()
    return {source: when for source, when in rows if when is not None}


__all__ = ["SourceState", "SOURCE_STATES", "acquire_lease", "all_states", "items_stored_since", "last_stored_at",
           "load_cursor", "load_state", "record_failure", "record_success", "release_lease", "store_batch"]
