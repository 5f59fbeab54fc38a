"""Delivers due outbox rows: claim, look for an earlier attempt where the CRM allows, send, record.

Each row is claimed before anything is sent, so several daemons share the outbox without sending
a row twice at once; the claim lasts longer than the longest exchange (a search and a POST, each
bounded by the timeout). Every failure is recorded with its kind and a growing, jittered wait.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine

from dengar.daemon.schedule import full_jitter
from dengar.delivery.metrics import DeliveryMetrics
from dengar.delivery.outcomes import DeliveryFailure
from dengar.delivery.setup import CrmClient
from dengar.settings import CrmSettings
from sink.outbox import claim, due_ids, mark_attempt_failed, mark_delivered

log = logging.getLogger(__name__)

DbCall = Callable[..., Awaitable[Any]]
CLAIM_MARGIN = timedelta(seconds=30)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class DeliveryReport:
    """What one pass did, row by row: ``outcomes[outbox_id]`` is delivered, found, a failure kind, failed or busy."""

    outcomes: dict[int, str] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


class Deliverer:
    def __init__(self, engine: Engine, client: CrmClient, crm: CrmSettings, owner: str, *,
                 metrics: DeliveryMetrics | None = None, db: DbCall | None = None,
                 rng: random.Random | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.client = client
        self.crm = crm
        self.owner = owner
        self.metrics = metrics
        self.db: DbCall = db or asyncio.to_thread
        self.rng = rng or random.Random()
        self.clock = clock
        self.hold = timedelta(seconds=2 * crm.timeout) + CLAIM_MARGIN

    async def deliver_due(self, limit: int = 50) -> DeliveryReport:
        report = DeliveryReport()
        for outbox_id in await self.db(due_ids, self.engine, self.clock(), limit):
            report.outcomes[outbox_id] = await self.deliver(outbox_id)
        return report

    async def deliver(self, outbox_id: int) -> str:
        """One attempt at one row; returns its outcome ("busy" when another process holds it or it is not due)."""
        entry = await self.db(claim, self.engine, outbox_id, self.owner, self.hold, self.clock())
        if entry is None:
            return "busy"
        try:
            found = await self.client.find(entry) if self.client.looks_up and entry.tried_before else None
            if found is not None:
                await self.db(mark_delivered, self.engine, entry.id, found.request_id, found.token, "found", self.clock())
                self._delivered("found", entry.id, found.request_id or found.token)
                return "found"
            accepted = await self.client.submit(entry)
        except DeliveryFailure as failure:
            return await self._failed(entry.id, entry.attempts, failure)
        await self.db(mark_delivered, self.engine, entry.id, accepted.request_id, accepted.token, "delivered", self.clock())
        self._delivered("posted", entry.id, accepted.request_id or accepted.token)
        return "delivered"

    def _delivered(self, how: str, outbox_id: int, reference: str | None) -> None:
        if self.metrics is not None:
            self.metrics.delivered.labels(how).inc()
        log.info("outbox %d delivered to the CRM (%s%s)", outbox_id, "request " + reference if reference else "no reference",
                 ", found from an earlier attempt" if how == "found" else "")

    async def _failed(self, outbox_id: int, attempts: int, failure: DeliveryFailure) -> str:
        now = self.clock()
        retry_at = failure.retry_at or now + timedelta(
            seconds=full_jitter(self.crm.retry_base, max(self.crm.retry_cap, self.crm.retry_base), attempts, self.rng))
        entry = await self.db(mark_attempt_failed, self.engine, outbox_id, self.owner, failure.kind, str(failure),
                              retry_at, self.crm.max_attempts, now)
        if self.metrics is not None:
            self.metrics.failed_attempts.labels(failure.kind).inc()
        if entry is not None and entry.failed_at is not None:
            if self.metrics is not None:
                self.metrics.gave_up.inc()
            log.error("outbox %d: gave up after %d attempts: %s — fix the cause, then `dengar outbox --retry %d`",
                      outbox_id, entry.attempts, failure, outbox_id)
            return "failed"
        log.warning("outbox %d: attempt %d failed: %s — next try at %s", outbox_id, attempts, failure,
                    retry_at.isoformat(timespec="seconds"))
        return failure.kind


__all__ = ["DbCall", "Deliverer", "DeliveryReport"]
