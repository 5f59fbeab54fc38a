"""The one writer: every database write of the daemon happens on one worker thread, in arrival order.

Runners hand batches over a bounded queue and wait for the commit before pulling the next batch
from their collector. When the database is unavailable the writer keeps the batch, backs off and
retries; the queue fills, runners wait, collectors stop fetching. Memory stays bounded and nothing
is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from collectors.live.base import Batch
from dengar.daemon.lease_owner import provably_dead
from dengar.daemon.metrics import DaemonMetrics
from dengar.daemon.schedule import full_jitter
from dengar.pipeline import IngestCounts, Pipeline
from sink.source_state import acquire_lease, release_lease, store_batch

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_BASE_SECONDS = 0.5
RETRY_CAP_SECONDS = 30.0
# Normalising and de-duplicating keep memory per process (open tickets, next ticket number), so when
# several daemons share a database only the holder of this lease processes; the others store raw
# items and cursors, which the holder processes from the raw store.
PROCESSING_LEASE = "~processing"


@dataclass(frozen=True)
class ProcessingLease:
    engine: Engine
    owner: str
    ttl: timedelta


def store_only(engine: Engine, source: str, channel: str, batch: Batch) -> IngestCounts:
    """Raw items and cursor in one transaction, without processing (another process holds processing)."""
    counts = IngestCounts()
    counts.read.update(item.channel for item in batch.items)
    with engine.begin() as connection:
        stored, _ = store_batch(connection, source, channel, batch.items, batch.cursor)
    counts.new.update(s.item.channel for s in stored)
    for name, read in counts.read.items():
        counts.known[name] = read - counts.new[name]
    return counts


def database_unavailable(exc: BaseException) -> bool:
    """Errors that mean "the database is not answering now" (retry), not "this statement is wrong"."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def describe_database_error(exc: BaseException) -> str:
    """The driver's own message, first line only (it names host and port, never the password)."""
    origin = getattr(exc, "orig", None) or exc
    text = str(origin).strip().splitlines()
    return f"{type(origin).__name__}: {text[0] if text else ''}"


class WriterStopped(Exception):
    """The daemon is stopping; the batch was not stored (its cursor did not move either)."""


@dataclass
class BatchRequest:
    source: str
    channel: str
    batch: Batch
    done: asyncio.Future[IngestCounts]


class Writer:
    """Owns the worker thread and the queue; :meth:`write` returns once the batch is committed."""

    def __init__(self, pipeline: Pipeline, metrics: DaemonMetrics, queue_size: int = 8,
                 rng: random.Random | None = None, give_up_after: int | None = None,
                 retry_cap: float = RETRY_CAP_SECONDS, processing: ProcessingLease | None = None) -> None:
        self.pipeline = pipeline
        self.processing = processing  # None: this process is alone with the database
        self.processor = processing is None
        self.retry_cap = retry_cap
        self.give_up_after = give_up_after  # database failures in a row; None: wait for it forever (daemon)
        self.metrics = metrics
        self.queue: asyncio.Queue[BatchRequest] = asyncio.Queue(maxsize=queue_size)
        self.rng = rng or random.Random()
        self.database_ok = True
        self.last_database_error: str | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dengar-writer")
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def task(self) -> asyncio.Task[None] | None:
        return self._task

    @property
    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._task = asyncio.create_task(self._serve(), name="dengar-writer")

    async def write(self, source: str, channel: str, batch: Batch) -> IngestCounts:
        """Store ``batch`` with its cursor and process it; waits (bounded queue) while the writer is behind."""
        if self._stopping.is_set():
            raise WriterStopped("the daemon is stopping")
        done: asyncio.Future[IngestCounts] = asyncio.get_running_loop().create_future()
        await self.queue.put(BatchRequest(source, channel, batch, done))
        self.metrics.queue_depth.set(self.queue.qsize())
        return await done

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a small database operation (lease, state) on the writer's thread; errors are the caller's."""
        if self._stopping.is_set():
            raise WriterStopped("the daemon is stopping")
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._executor, partial(function, *args, **kwargs))
        except Exception as exc:
            if database_unavailable(exc):
                self._database_failed(exc)
            raise
        self._database_answered()
        return result

    async def stop(self) -> None:
        """Finish the transaction in progress, drop what is still queued (not committed, cursors unmoved)."""
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        while not self.queue.empty():
            request = self.queue.get_nowait()
            if not request.done.done():
                request.done.set_exception(WriterStopped("the daemon stopped before this batch was stored"))
        if self.processing is not None and self.processor:
            try:
                await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(
                    self._executor, release_lease, self.processing.engine, PROCESSING_LEASE, self.processing.owner), 2.0)
            except Exception as exc:  # the lease expires by itself
                log.debug("could not give back the processing lease: %s", exc)
        await asyncio.to_thread(self._executor.shutdown, True)

    async def _serve(self) -> None:
        await self._process_pending_if_holder()
        idle = self.processing.ttl.total_seconds() / 3 if self.processing else None
        while True:
            try:
                request = await asyncio.wait_for(self.queue.get(), timeout=idle)
            except asyncio.TimeoutError:
                await self._process_pending_if_holder()  # renews the lease, processes what others stored
                continue
            self.metrics.queue_depth.set(self.queue.qsize())
            if request.done.done():  # its runner gave up (stopping)
                continue
            try:
                counts = await self._with_retries(partial(self._store, request), what=f"a batch of {request.source}")
            except Exception as exc:  # not the database being away: a bug or a bad row; the runner reports it
                log.exception("storing a batch of %s failed", request.source)
                if not request.done.done():
                    request.done.set_exception(exc)
                continue
            if not request.done.done():
                request.done.set_result(counts)

    def _store(self, request: BatchRequest) -> IngestCounts:
        """On the writer thread: store and process as the processing holder, else store only."""
        if self._hold_processing():
            return self.pipeline.ingest_source_batch(request.source, request.channel, request.batch.items,
                                                     request.batch.cursor)
        return store_only(self.pipeline.engine, request.source, request.channel, request.batch)

    def _hold_processing(self) -> bool:
        """Take or renew the processing lease; on taking it, catch up with what others stored meanwhile."""
        if self.processing is None:
            return True
        held = acquire_lease(self.processing.engine, PROCESSING_LEASE, "pipeline", self.processing.owner,
                             self.processing.ttl, holder_is_dead=provably_dead)
        if held and not self.processor:
            log.info("this process now normalises and de-duplicates for every daemon on the database")
            self.pipeline.reload_dedup_memory()
        self.processor = held
        return held

    def _pending_if_holder(self) -> IngestCounts:
        return self.pipeline.process_pending() if self._hold_processing() else IngestCounts()

    async def _process_pending_if_holder(self) -> None:
        """Items stored but not processed: by a crashed run, or by a process without the processing lease."""
        try:
            counts = await self._with_retries(self._pending_if_holder, what="unprocessed items")
        except Exception:  # a bug in processing must not stop storing; the items stay "new" for the next try
            log.exception("processing stored items failed; they stay unprocessed for the next try")
            return
        done = sum(counts.ticketed.values()) + sum(counts.quarantined.values())
        if done:
            log.info("processed %d items stored earlier or by another process", done)

    async def _with_retries(self, work: Callable[[], IngestCounts], what: str) -> IngestCounts:
        """Run ``work`` on the writer thread until the database takes it; other errors are raised."""
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            try:
                if failures:
                    await loop.run_in_executor(self._executor, self.pipeline.reload_dedup_memory)
                counts = await loop.run_in_executor(self._executor, work)
                if failures and self.processor:
                    # A failure after the raw items committed leaves them "new": process them now.
                    counts.add(await loop.run_in_executor(self._executor, self.pipeline.process_pending))
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                failures += 1
                self._database_failed(exc)
                if self.give_up_after is not None and failures >= self.give_up_after:
                    raise
                delay = full_jitter(RETRY_BASE_SECONDS, self.retry_cap, failures, self.rng)
                log.warning("database unavailable while storing %s (%s); try %d again in %.1f s",
                            what, self.last_database_error, failures + 1, delay)
                await asyncio.sleep(delay)
                continue
            self._database_answered()
            return counts

    def _database_failed(self, exc: BaseException) -> None:
        self.metrics.database_errors.inc()
        self.metrics.database_up.set(0)
        self.database_ok = False
        self.last_database_error = describe_database_error(exc)

    def _database_answered(self) -> None:
        if not self.database_ok:
            log.warning("the database answers again")
        self.database_ok = True
        self.metrics.database_up.set(1)


__all__ = ["BatchRequest", "Writer", "WriterStopped", "database_unavailable", "describe_database_error"]
