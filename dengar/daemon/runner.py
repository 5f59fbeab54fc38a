"""One source's life in the daemon: wait for its turn, take the lease, collect, hand each batch to the writer.

A runner never lets its collector's trouble out: every failure becomes a state and a time for the
next attempt, so one broken source cannot stop the others. It pulls the next batch only after the
previous one committed, which is what lets a slow database slow the collector down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine

from collectors.live.base import Collector, RateLimited, SourceError, TemporaryFailure
from dengar.daemon import schedule, silence
from dengar.daemon.lease_owner import provably_dead
from dengar.daemon.metrics import DaemonMetrics
from dengar.daemon.writer import Writer, WriterStopped, database_unavailable, describe_database_error
from dengar.pipeline import IngestCounts
from dengar.settings import SourceSettings
from sink.source_state import (
    SourceState, acquire_lease, load_cursor, load_state, record_failure, record_success, release_lease,
)

log = logging.getLogger(__name__)

LEASE_RETRY_SECONDS = 5.0  # how soon a standby process looks at a lease held elsewhere, at most
STATES_HONOURED_ON_RESTART = ("rate_limited", "blocked")  # the server asked for the wait; a restart keeps it


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def stored_state(engine: Engine, name: str) -> SourceState | None:
    with engine.connect() as connection:
        return load_state(connection, name)


@dataclass
class SourceStatus:
    """What /healthz and the logs say about a source right now."""

    name: str
    channel: str
    state: str = "ok"
    last_success: datetime | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    failures: int = 0
    leased: bool = False
    silent: bool = False
    silence: str | None = None
    runs: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "channel": self.channel,
            "state": "silent" if self.silent and self.state == "ok" else self.state,
            "leased_here": self.leased,
            "last_success": self.last_success.isoformat() if self.last_success else None,
            "last_error": self.last_error,
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "consecutive_failures": self.failures,
        }


@dataclass
class RunReport:
    """One run of one source."""

    batches: int = 0
    counts: IngestCounts = field(default_factory=IngestCounts)
    dropped: int = 0
    error: SourceError | None = None
    leased_elsewhere: bool = False

    @property
    def collected(self) -> int:
        return sum(self.counts.read.values())


class SourceRunner:
    def __init__(self, source: SourceSettings, channel: str, collector: Collector, writer: Writer, engine: Engine,
                 metrics: DaemonMetrics, owner: str, lease_seconds: float, rng: random.Random,
                 policy: schedule.BackoffPolicy = schedule.BackoffPolicy(),
                 clock: Callable[[], datetime] = utcnow, database_retry_max: float = 60.0) -> None:
        self.source = source
        self.database_retry_max = database_retry_max
        self.collector = collector
        self.writer = writer
        self.engine = engine
        self.metrics = metrics
        self.owner = owner
        self.lease_ttl = timedelta(seconds=lease_seconds)
        self.rng = rng
        self.policy = policy
        self.clock = clock
        self.status = SourceStatus(source.name, channel)
        self.raise_database_errors = False  # a one-off run (`dengar collect --once`) reports instead of waiting
        self._arrivals: deque[datetime] = deque(maxlen=silence.HISTORY)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def channel(self) -> str:
        return self.status.channel

    # ---- the loop --------------------------------------------------------------------------------

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll on schedule until ``stop``; never raises except on cancellation."""
        await self._restore(stop)
        while not stop.is_set():
            await self._wait_for_turn(stop)
            if stop.is_set():
                return
            try:
                report = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug of ours: say so, keep the source on a slow schedule
                log.exception("source %s: run failed on an internal error", self.name)
                self.status.failures += 1
                self.status.last_error = f"internal error: {type(exc).__name__}: {exc}"
                self._set_next(schedule.NextRun("backing_off", self.clock() + timedelta(
                    seconds=schedule.full_jitter(5.0, 900.0, self.status.failures, self.rng)), self.status.last_error))
                continue
            if report.leased_elsewhere:
                self._set_next(schedule.NextRun("ok", self.clock() + timedelta(
                    seconds=min(self.source.interval, LEASE_RETRY_SECONDS, self.lease_ttl.total_seconds() / 2))))

    async def _restore(self, stop: asyncio.Event) -> None:
        """Pick up the stored state (last success, a server-given wait) and the rhythm of arrivals."""
        while not stop.is_set():
            try:
                state = await self.writer.call(stored_state, self.engine, self.name)
                stored = await self.writer.call(silence.recent_stored_at, self.engine, self.name)
            except WriterStopped:
                return
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                await self._sleep(stop, schedule.full_jitter(1.0, self.database_retry_max, self.status.failures + 1, self.rng))
                continue
            self._arrivals.extend(stored)
            if state is not None:
                self.status.last_success = state.last_success
                if state.state in STATES_HONOURED_ON_RESTART and state.next_attempt_at and state.next_attempt_at > self.clock():
                    self.status.state, self.status.last_error = state.state, state.last_error
                    self.status.next_attempt_at = state.next_attempt_at
                    log.info("source %s: still %s until %s (%s)", self.name, state.state,
                             state.next_attempt_at.isoformat(timespec="seconds"), state.last_error)
            self._refresh_metrics()
            return

    async def _wait_for_turn(self, stop: asyncio.Event) -> None:
        due = self.status.next_attempt_at
        if due is None:
            return
        timeout = (due - self.clock()).total_seconds()
        if timeout <= 0:
            return
        wait_for_news = getattr(self.collector, "wait_for_news", None)
        if wait_for_news is not None and self.status.state == "ok":
            news = asyncio.ensure_future(self._news(wait_for_news, timeout))
            stopped = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({news, stopped}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (news, stopped):
                    task.cancel()
                await asyncio.gather(news, stopped, return_exceptions=True)
            return
        await self._sleep(stop, timeout)

    async def _news(self, wait_for_news: Callable[[float], object], timeout: float) -> None:
        try:
            if await wait_for_news(timeout):  # type: ignore[misc]
                log.debug("source %s: the server signalled news", self.name)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the next poll will meet the same trouble and report it properly
            log.debug("source %s: waiting for news failed (%s); polling now", self.name, exc)

    @staticmethod
    async def _sleep(stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))

    # ---- one run ---------------------------------------------------------------------------------

    async def run_once(self, since: datetime | None = None) -> RunReport:
        """Lease, collect from the stored cursor, store batch by batch; the outcome is in the report and state."""
        report = RunReport()
        try:
            if not await self._lease():
                self.status.leased = False
                report.leased_elsewhere = True
                return report
            self.status.leased = True
            cursor = await self.writer.call(load_cursor, self.engine, self.name)
        except WriterStopped:
            raise asyncio.CancelledError from None
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            await self._database_trouble(exc)
            return report
        self.status.runs += 1
        try:
            await self._collect(cursor, since, report)
        except SourceError as exc:
            report.error = exc
        except WriterStopped:
            raise asyncio.CancelledError from None
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if database_unavailable(exc):
                await self._database_trouble(exc)
                return report
            # A library exception the collector should have mapped, or a bug: back off like a 5xx.
            log.exception("source %s: unexpected error", self.name)
            report.error = TemporaryFailure(f"unexpected {type(exc).__name__}: {exc}")
        await self._finish(report)
        return report

    async def _collect(self, cursor: dict[str, object], since: datetime | None, report: RunReport) -> None:
        stream = self.collector.collect(cursor, since)
        async with contextlib.aclosing(stream):  # type: ignore[type-var]
            async for batch in stream:
                self.metrics.collected.labels(self.name).inc(len(batch.items))
                if batch.dropped:
                    self.metrics.dropped.labels(self.name, "true").inc(batch.dropped)
                    report.dropped += batch.dropped
                counts = await self.writer.write(self.name, self.channel, batch)
                report.batches += 1
                report.counts.add(counts)
                self._count_batch(counts)
                if not await self._lease():
                    log.warning("source %s: lease lost to another process; stopping this run", self.name)
                    self.status.leased = False
                    return

    async def _lease(self) -> bool:
        """Take or renew this source's lease; a holder proven dead (killed on this host) does not make us wait."""
        return await self.writer.call(acquire_lease, self.engine, self.name, self.channel, self.owner, self.lease_ttl,
                                      holder_is_dead=provably_dead)

    def _count_batch(self, counts: IngestCounts) -> None:
        new = sum(counts.new.values())
        self.metrics.batches.labels(self.name).inc()
        self.metrics.ingested.labels(self.name).inc(new)
        self.metrics.known.labels(self.name).inc(sum(counts.known.values()))
        self.metrics.quarantined.labels(self.name).inc(sum(counts.quarantined.values()))
        if new:
            self._arrivals.append(self.clock())

    async def _finish(self, report: RunReport) -> None:
        now = self.clock()
        try:
            if report.error is None:
                next_run = schedule.after_success(now, self.source.interval, self.source.jitter, self.rng)
                await self.writer.call(record_success, self.engine, self.name, self.channel, now)
                self.status.failures, self.status.last_success = 0, now
                if self.status.state != "ok":
                    log.info("source %s: healthy again", self.name)
            else:
                self.status.failures += 1
                next_run = schedule.after_failure(report.error, self.status.failures, now, self.source.interval,
                                                  self.rng, self.policy)
                self._count_failure(report.error, next_run, now)
                await self.writer.call(record_failure, self.engine, self.name, self.channel, next_run.state,
                                       next_run.reason, next_run.at, now)
        except WriterStopped:
            raise asyncio.CancelledError from None
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            await self._database_trouble(exc)
            return
        self._set_next(next_run)
        if report.error is None:
            self._judge_silence(now)
        self._refresh_metrics()

    def _count_failure(self, error: SourceError, next_run: schedule.NextRun, now: datetime) -> None:
        self.metrics.errors.labels(self.name, error.kind).inc()
        self.status.last_error = next_run.reason
        wait = next_run.wait_seconds(now)
        if isinstance(error, RateLimited):
            self.metrics.rate_limit_waits.labels(self.name).inc()
            self.metrics.rate_limit_wait_seconds.labels(self.name).inc(wait)
        log.warning("source %s: %s — next try in %.0f s (%s)", self.name, next_run.reason, wait,
                    next_run.at.isoformat(timespec="seconds"))

    async def _database_trouble(self, exc: BaseException) -> None:
        """The database did not answer a lease or state call: wait and try the whole run again."""
        if self.raise_database_errors:
            raise exc
        self.status.failures += 1
        delay = schedule.full_jitter(1.0, self.database_retry_max, self.status.failures, self.rng)
        self.metrics.errors.labels(self.name, "database").inc()
        self.status.last_error = f"database: {describe_database_error(exc)}"
        log.warning("source %s: the database is unavailable (%s); trying again in %.1f s",
                    self.name, describe_database_error(exc), delay)
        self._set_next(schedule.NextRun("backing_off", self.clock() + timedelta(seconds=delay), self.status.last_error))

    def _set_next(self, next_run: schedule.NextRun) -> None:
        self.status.state = next_run.state
        self.status.next_attempt_at = next_run.at

    def _judge_silence(self, now: datetime) -> None:
        verdict = silence.judge(list(self._arrivals), now, self.source.silence_factor, self.source.silence_min,
                                self.source.interval)
        if verdict.silent and not self.status.silent:
            log.warning("source %s is silent: %s", self.name, verdict.describe())
        elif self.status.silent and not verdict.silent:
            log.info("source %s yields items again", self.name)
        self.status.silent = verdict.silent
        self.status.silence = verdict.describe() if verdict.silent else None

    def _refresh_metrics(self) -> None:
        state = "silent" if self.status.silent and self.status.state == "ok" else self.status.state
        self.metrics.state.labels(self.name).state(state)
        self.metrics.silent.labels(self.name).set(1 if self.status.silent else 0)
        if self.status.last_success is not None:
            self.metrics.last_success.labels(self.name).set(self.status.last_success.timestamp())

    def refresh_lag(self, now: datetime) -> None:
        if self.status.last_success is not None:
            self.metrics.lag.labels(self.name).set(max(0.0, (now - self.status.last_success).total_seconds()))

    async def release(self) -> None:
        """Give the lease back so another process (or our restart) can take the source at once."""
        if self.status.leased:
            await asyncio.to_thread(release_lease, self.engine, self.name, self.owner)
            self.status.leased = False


__all__ = ["RunReport", "SourceRunner", "SourceStatus"]
