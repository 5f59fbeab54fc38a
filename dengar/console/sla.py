"""The SLA clock on a ticket: coordination and resolution targets counted from the first report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

DUE_SOON_SHARE = 0.25  # the last quarter of the allowed time is shown as "due soon"

State = Literal["running", "due_soon", "breached", "met", "met_late"]


@dataclass(frozen=True)
class SlaClock:
    kind: Literal["coordination", "resolution"]
    due_at: datetime
    done_at: datetime | None
    state: State
    remaining: timedelta  # negative once breached; the margin (or overrun) when done


def _clock(kind: Literal["coordination", "resolution"], started: datetime, target: timedelta, done_at: datetime | None,
           now: datetime) -> SlaClock:
    due_at = started + target
    if done_at is not None:
        return SlaClock(kind, due_at, done_at, "met" if done_at <= due_at else "met_late", due_at - done_at)
    remaining = due_at - now
    if remaining < timedelta(0):
        state: State = "breached"
    elif remaining <= target * DUE_SOON_SHARE:
        state = "due_soon"
    else:
        state = "running"
    return SlaClock(kind, due_at, None, state, remaining)


def sla_clocks(ticket: Any, coordination: timedelta, resolution: timedelta, now: datetime) -> list[SlaClock]:
    """Both clocks for a ticket row (first_seen, coordinated_at, resolved_at, status)."""
    resolved = ticket.resolved_at if ticket.status in ("selesai", "ditolak") else None
    coordinated = ticket.coordinated_at or (resolved if ticket.status == "ditolak" else None)
    return [
        _clock("coordination", ticket.first_seen, coordination, coordinated, now),
        _clock("resolution", ticket.first_seen, resolution, resolved, now),
    ]


def describe(delta: timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of a duration's size, for display."""
    seconds = int(abs(delta.total_seconds()))
    return seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
