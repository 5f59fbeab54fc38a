"""Silence: a source that usually brings news every so often and has brought none for much longer.

A feed whose publisher changed the URL, an account whose token lost a scope, a search that a
platform quietly stopped answering: they all fail *successfully* (200, empty). The only symptom is
that nothing arrives, so we compare how long the source has been quiet with its own usual gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import Engine, select

from sink.models import RawItemRow

RAW = RawItemRow.__table__
MIN_GAPS = 3                 # fewer arrivals than this say nothing about a usual rhythm
HISTORY = 50                 # arrivals looked at
SAME_ARRIVAL_SECONDS = 1.0   # stores closer than this are one arrival (one batch, a few commits)
DEFAULT_FACTOR = 5.0
DEFAULT_MIN_SILENCE = 3600.0


@dataclass(frozen=True, slots=True)
class SilenceVerdict:
    silent: bool
    usual_gap: float | None = None    # seconds, None while the source has too little history
    quiet_for: float | None = None    # seconds since the last arrival
    threshold: float | None = None    # quiet longer than this is silence

    def describe(self) -> str:
        if self.usual_gap is None or self.quiet_for is None:
            return "not enough history to know its rhythm"
        return (f"nothing new for {_human(self.quiet_for)}; usually every {_human(self.usual_gap)} "
                f"(silent after {_human(self.threshold or 0)})")


def _human(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def arrivals(stored_at: Sequence[datetime]) -> list[datetime]:
    """Distinct arrival times, oldest first, with near-simultaneous stores folded into one."""
    folded: list[datetime] = []
    for when in sorted(stored_at):
        if folded and (when - folded[-1]).total_seconds() < SAME_ARRIVAL_SECONDS:
            continue
        folded.append(when)
    return folded


def usual_gap(stored_at: Sequence[datetime]) -> float | None:
    """The median time between arrivals; None with fewer than MIN_GAPS gaps."""
    times = arrivals(stored_at)
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:])]
    return median(gaps) if len(gaps) >= MIN_GAPS else None


def judge(stored_at: Sequence[datetime], now: datetime, factor: float = DEFAULT_FACTOR,
          minimum: float = DEFAULT_MIN_SILENCE, interval: float = 0.0) -> SilenceVerdict:
    """Silent when quiet for more than ``factor`` × the usual gap (never less than ``minimum`` s or two polls)."""
    gap = usual_gap(stored_at)
    if gap is None:
        return SilenceVerdict(False)
    quiet_for = (now - max(stored_at)).total_seconds()
    threshold = max(factor * gap, minimum, 2 * interval)
    return SilenceVerdict(quiet_for > threshold, gap, quiet_for, threshold)


def recent_stored_at(engine: Engine, source: str, limit: int = HISTORY * 20) -> list[datetime]:
    """When the source's latest raw items were stored (a batch shares one time, hence the margin).

    Walks the primary key backwards (ids grow with storage time), so it stays cheap on a large store.
    """
    with engine.connect() as connection:
        rows = connection.execute(select(RAW.c.stored_at).where(RAW.c.source == source)
                                  .order_by(RAW.c.id.desc()).limit(limit)).scalars().all()
    return arrivals(rows)[-HISTORY:]


__all__ = ["SilenceVerdict", "arrivals", "judge", "recent_stored_at", "usual_gap"]
