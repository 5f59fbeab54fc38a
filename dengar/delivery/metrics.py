"""Delivery metrics, registered in the daemon's own registry beside the collectors' metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class DeliveryMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        r = registry
        self.delivered = Counter("dengar_outbox_delivered", "Outbox rows the CRM accepted, by how we learned it "
                                 "(posted; found: an earlier attempt had arrived)", ["how"], registry=r)
        self.failed_attempts = Counter("dengar_outbox_failed_attempts", "Delivery attempts that failed, by kind",
                                       ["kind"], registry=r)
        self.gave_up = Counter("dengar_outbox_gave_up", "Outbox rows marked failed after max_attempts", registry=r)
        self.backlog = Gauge("dengar_outbox_backlog", "Outbox rows by state: pending (not yet delivered) or failed",
                             ["state"], registry=r)


__all__ = ["DeliveryMetrics"]
