"""Prometheus metrics of one daemon, in its own registry (two daemons in one process never share counters)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

SOURCE_STATE_NAMES = ["ok", "backing_off", "rate_limited", "blocked", "failed", "silent", "disabled"]


class DaemonMetrics:
    """Counters per source, split the way an operator asks: what came in, what was kept, what went wrong."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.collected = Counter("dengar_items_collected", "Items the collector yielded", ["source"], registry=r)
        self.ingested = Counter("dengar_items_ingested", "Items stored for the first time", ["source"], registry=r)
        self.known = Counter("dengar_items_known", "Items yielded again (look-back overlap), stored before", ["source"], registry=r)
        self.quarantined = Counter("dengar_items_quarantined", "Stored items that could not be parsed or analysed", ["source"], registry=r)
        self.dropped = Counter("dengar_items_dropped", "Items seen and not stored", ["source", "intentional"], registry=r)
        self.batches = Counter("dengar_batches_committed", "Batches stored together with their cursor", ["source"], registry=r)
        self.errors = Counter("dengar_source_errors", "Runs that stopped on an error, by kind", ["source", "kind"], registry=r)
        self.rate_limit_waits = Counter("dengar_rate_limit_waits", "Times a source was told to wait", ["source"], registry=r)
        self.rate_limit_wait_seconds = Counter("dengar_rate_limit_wait_seconds", "Seconds a source was told to wait", ["source"], registry=r)
        self.lag = Gauge("dengar_source_lag_seconds", "Seconds since the source last finished a run successfully", ["source"], registry=r)
        self.last_success = Gauge("dengar_source_last_success_timestamp_seconds", "Unix time of the last successful run", ["source"], registry=r)
        self.silent = Gauge("dengar_source_silent", "1 when a source that usually yields items has gone quiet", ["source"], registry=r)
        self.state = Enum("dengar_source_state", "The source's state", ["source"], states=SOURCE_STATE_NAMES, registry=r)
        self.queue_depth = Gauge("dengar_writer_queue_depth", "Batches waiting for the writer", registry=r)
        self.database_errors = Counter("dengar_writer_database_errors", "Database errors the writer backed off from", registry=r)
        self.database_up = Gauge("dengar_database_up", "1 when the last database operation succeeded", registry=r)
        self.database_up.set(1)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


__all__ = ["DaemonMetrics", "SOURCE_STATE_NAMES"]
