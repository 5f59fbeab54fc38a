"""The outbox task of `dengar run`: a pass over due rows every poll_interval, beside the source runners.

It never lets trouble out (a database away, a bug): it logs, waits and tries again, so delivery
can never stop collection. Its database calls go through the daemon's writer thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Mapping

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from dengar.delivery.deliverer import DbCall, Deliverer
from dengar.delivery.metrics import DeliveryMetrics
from dengar.settings import Settings
from sink.outbox import backlog

log = logging.getLogger(__name__)


class DeliveryLoop:
    def __init__(self, deliverer: Deliverer, metrics: DeliveryMetrics, poll_interval: float) -> None:
        self.deliverer = deliverer
        self.metrics = metrics
        self.poll_interval = poll_interval

    async def run_forever(self, stop: asyncio.Event) -> None:
        log.info("delivering forwarded tickets to the %s every %g s", self.deliverer.client.describe(), self.poll_interval)
        try:
            while not stop.is_set():
                await self.run_once()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.poll_interval)
        finally:
            await self.deliverer.client.aclose()

    async def run_once(self) -> None:
        try:
            await self.deliverer.deliver_due()
            counts = await self.deliverer.db(backlog, self.deliverer.engine)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database away, or a bug: the next pass tries again
            log.warning("outbox delivery pass stopped: %s: %s", type(exc).__name__, exc)
            return
        for state, count in counts.items():
            self.metrics.backlog.labels(state).set(count)




def delivery_loop_for(settings: Settings, engine: Engine, environ: Mapping[str, str], registry: CollectorRegistry,
                      db: DbCall, owner: str, rng: random.Random) -> DeliveryLoop | None:
    """The daemon's outbox task, or None when [crm] is disabled; ConfigError when it cannot run."""
    from dengar.delivery.setup import build_client

    crm = settings.crm
    if not crm.enabled:
        log.info("CRM delivery is disabled: forwarded tickets wait in the outbox")
        return None
    metrics = DeliveryMetrics(registry)
    deliverer = Deliverer(engine, build_client(crm, environ), crm, owner, metrics=metrics, db=db, rng=rng)
    return DeliveryLoop(deliverer, metrics, crm.poll_interval)


__all__ = ["DeliveryLoop", "delivery_loop_for"]
