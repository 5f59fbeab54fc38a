"""When a source runs next: after a success, after each kind of failure. Pure functions of time and chance.

Jitter keeps many sources (and several daemons) from polling in lock-step; full-jitter backoff
(a uniform draw up to an exponentially growing cap) spreads retries after a shared outage instead
of bunching them. The random generator is passed in so tests can seed it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from collectors.live.base import Blocked, PermanentFailure, RateLimited, SourceError, TemporaryFailure


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """How long to wait after failures; seconds. One policy for every source unless configured."""

    temporary_base: float = 5.0        # first retry of a 5xx / network error waits up to this
    temporary_cap: float = 900.0       # ... doubling per failure, never more than 15 minutes
    rate_limit_default: float = 900.0  # a 429 that did not say when: X's window is 15 minutes
    blocked_default: float = 1800.0    # "please wait a few minutes" without a time
    blocked_cap: float = 6 * 3600.0
    failed_delay: float = 3600.0       # bad credentials, 404: retried hourly (or on restart)
    retry_at_slack: float = 5.0        # added after a server-given time, so we do not arrive early


@dataclass(frozen=True, slots=True)
class NextRun:
    """The source's state until ``at`` and why."""

    state: str  # one of sink.source_state.SOURCE_STATES
    at: datetime
    reason: str = ""

    def wait_seconds(self, now: datetime) -> float:
        return max(0.0, (self.at - now).total_seconds())


def after_success(now: datetime, interval: float, jitter: float, rng: random.Random) -> NextRun:
    """The next poll: ``interval`` seconds ± ``jitter`` (a fraction of it)."""
    spread = interval * jitter
    return NextRun("ok", now + timedelta(seconds=max(0.0, interval + rng.uniform(-spread, spread))))


def full_jitter(base: float, cap: float, failures: int, rng: random.Random) -> float:
    """A uniform draw in [base/2, min(cap, base * 2**(failures-1))]: never zero, never beyond the cap."""
    ceiling = min(cap, base * 2 ** max(0, failures - 1))
    return rng.uniform(min(base / 2, ceiling), ceiling)


def after_failure(error: SourceError, failures: int, now: datetime, interval: float,
                  rng: random.Random, policy: BackoffPolicy = BackoffPolicy()) -> NextRun:
    """The wait after the ``failures``-th failure in a row, by kind of failure.

    A server-given ``retry_at`` is honoured (plus a little slack); otherwise the wait grows with
    ``failures``. A permanent failure waits about an hour: an operator must act, a restart retries.
    """
    reason = f"{error.kind}: {error.reason}"
    if isinstance(error, RateLimited):
        if error.retry_at is not None:
            return NextRun("rate_limited", max(now, error.retry_at) + timedelta(seconds=rng.uniform(0, policy.retry_at_slack)), reason)
        return NextRun("rate_limited", now + timedelta(seconds=full_jitter(policy.rate_limit_default, policy.rate_limit_default * 4, failures, rng)), reason)
    if isinstance(error, Blocked):
        if error.retry_at is not None:
            return NextRun("blocked", max(now, error.retry_at) + timedelta(seconds=rng.uniform(0, policy.retry_at_slack)), reason)
        return NextRun("blocked", now + timedelta(seconds=full_jitter(policy.blocked_default, policy.blocked_cap, failures, rng)), reason)
    if isinstance(error, PermanentFailure):
        return NextRun("failed", now + timedelta(seconds=policy.failed_delay * rng.uniform(1.0, 1.1)), reason)
    if not isinstance(error, TemporaryFailure):  # an unexpected error is treated as temporary
        reason = f"temporary: {error.reason}"
    return NextRun("backing_off", now + timedelta(seconds=full_jitter(policy.temporary_base, max(policy.temporary_cap, interval), failures, rng)), reason)


__all__ = ["BackoffPolicy", "NextRun", "after_failure", "after_success", "full_jitter"]
