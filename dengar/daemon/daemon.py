"""Wiring of `dengar run`: the runners, the writer and the web side under one supervisor, and a clean stop.

On SIGTERM/SIGINT the runners are cancelled (a fetch in flight is abandoned: nothing of it was
stored, its cursor did not move), the writer finishes the transaction it is in, leases are given
back and connections closed. Everything on the way out has a deadline, so the process exits in
seconds even with the database gone.
"""

from __future__ import annotations

import asyncio
import logging
import random
import signal
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import Engine, text

from dengar.daemon.lease_owner import mint_owner
from dengar.daemon.metrics import DaemonMetrics
from dengar.daemon.runner import SourceRunner, SourceStatus
from dengar.daemon.source_check import SourceCheck, build_source_collector, check_sources
from dengar.daemon.web import add_health_routes, create_health_app
from dengar.daemon.writer import ProcessingLease, Writer
from dengar.pipeline import Pipeline
from dengar.settings import ConfigError, Settings
from sink.source_state import record_failure

log = logging.getLogger(__name__)

RUNNER_STOP_SECONDS = 3.0
CLEANUP_STEP_SECONDS = 2.0


def default_owner() -> str:
    """Names this process in leases: readable in `dengar sources`, unique across restarts, and
    enough for a restart on this host to prove it dead after a SIGKILL (see lease_owner)."""
    return mint_owner()


def runnable_sources(settings: Settings, environ: Mapping[str, str],
                     only: set[str] | None = None) -> tuple[list[SourceCheck], dict[str, str]]:
    """The sources to run and the reasons the others are not; a wrong key anywhere is a ConfigError."""
    checks = [c for c in check_sources(settings, environ) if only is None or c.name in only]
    invalid = [c.problem for c in checks if c.verdict == "invalid"]
    if invalid:
        raise ConfigError("invalid source configuration:\n" + "\n".join(f"  {p}" for p in invalid)
                          + "\nfix these keys (see `dengar config check`) and start again")
    runnable = [c for c in checks if c.verdict == "ok"]
    disabled = {c.name: c.problem or c.verdict for c in checks if c.verdict != "ok"}
    return runnable, disabled


class Daemon:
    """Holds the runners, the writer and the metrics of one `dengar run` process."""

    def __init__(self, settings: Settings, engine: Engine, pipeline: Pipeline, environ: Mapping[str, str],
                 only: set[str] | None = None, rng: random.Random | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.metrics = DaemonMetrics()
        self.rng = rng or random.Random()
        self.owner = settings.daemon.instance or default_owner()
        self.writer = Writer(pipeline, self.metrics, settings.daemon.queue_size, self.rng,
                             retry_cap=settings.daemon.database_retry_max,
                             processing=ProcessingLease(engine, self.owner, timedelta(seconds=settings.daemon.lease_seconds)))
        checks, self._disabled = runnable_sources(settings, environ, only)
        context: dict[str, Any] = {"config_dir": settings.config_path.parent if settings.config_path else None}
        self.runners: list[SourceRunner] = []
        for check in checks:
            collector = build_source_collector(check.source, environ, context)
            self.runners.append(SourceRunner(check.source, type(collector).channel, collector, self.writer, engine,
                                             self.metrics, self.owner, settings.daemon.lease_seconds, self.rng,
                                             database_retry_max=settings.daemon.database_retry_max))
        for name in self._disabled:
            self.metrics.state.labels(name).state("disabled")
        from dengar.delivery.loop import delivery_loop_for

        self.delivery = delivery_loop_for(settings, engine, environ, self.metrics.registry, self.writer.call,
                                          self.owner, self.rng)  # the outbox task; None when [crm] is disabled

    # ---- what the health endpoints read ------------------------------------------------------

    @property
    def writer_alive(self) -> bool:
        return self.writer.alive

    def source_statuses(self) -> list[SourceStatus]:
        return [runner.status for runner in self.runners]

    def disabled_sources(self) -> dict[str, str]:
        return dict(self._disabled)

    def database_answers(self) -> bool:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def refresh_gauges(self, now: datetime) -> None:
        for runner in self.runners:
            runner.refresh_lag(now)

    def runner(self, name: str) -> SourceRunner:
        return next(r for r in self.runners if r.name == name)

    # ---- life cycle --------------------------------------------------------------------------

    def log_topology(self) -> None:
        if self.runners:
            log.info("enabled sources: %s", ", ".join(
                f"{r.name} ({r.channel}, every {r.source.interval:g} s)" for r in self.runners))
        else:
            log.info("no source is enabled: nothing will be collected")
        for name, reason in self._disabled.items():
            log.info("disabled source %s: %s", name, reason)
        log.info("lease owner %s; queue of %d batches; leases last %g s", self.owner,
                    self.settings.daemon.queue_size, self.settings.daemon.lease_seconds)

    async def record_disabled(self) -> None:
        """Unusable sources (missing secret...) show as disabled, with the reason, in `dengar sources`."""
        types = {s.name: s.type for s in self.settings.sources}
        for name, reason in self._disabled.items():
            if reason.startswith("disabled in the configuration"):
                continue
            try:
                await self.writer.call(record_failure, self.engine, name, types.get(name, "?"), "disabled", reason, None)
            except Exception as exc:  # the database may be away at start; the log says it anyway
                log.debug("could not record %s as disabled: %s", name, exc)

    async def serve(self, stop: asyncio.Event, web_app: web.Application | None = None,
                    host: str = "127.0.0.1", port: int = 0) -> None:
        """Run until ``stop`` is set (or the writer dies), then stop cleanly."""
        self.log_topology()
        self.writer.start()
        await self.record_disabled()
        tasks = [asyncio.create_task(r.run_forever(stop), name=f"source:{r.name}") for r in self.runners]
        if self.delivery is not None:
            tasks.append(asyncio.create_task(self.delivery.run_forever(stop), name="outbox"))
        for task in tasks:
            task.add_done_callback(_report_crash)
        web_runner = await self._start_web(web_app, host, port) if web_app is not None else None
        writer_task = self.writer.task
        try:
            waiters = [asyncio.ensure_future(stop.wait())]
            if writer_task is not None:
                waiters.append(writer_task)  # type: ignore[arg-type]
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            if writer_task is not None and writer_task.done() and not stop.is_set():
                log.error("the writer stopped unexpectedly (%s); shutting down", writer_task.exception())
            stop.set()
        finally:
            await self._shutdown(tasks, web_runner)

    async def _start_web(self, app: web.Application, host: str, port: int) -> web.AppRunner:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        for address in runner.addresses:
            log.info("serving /healthz and /metrics on http://%s:%s", *address[:2])
        return runner

    async def _shutdown(self, tasks: list[asyncio.Task[None]], web_runner: web.AppRunner | None) -> None:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=RUNNER_STOP_SECONDS)
        await self.writer.stop()
        await _bounded(asyncio.gather(*(r.release() for r in self.runners), return_exceptions=True), "releasing leases")
        await _bounded(asyncio.gather(*(r.collector.aclose() for r in self.runners), return_exceptions=True),
                       "closing collectors")
        if web_runner is not None:
            await _bounded(web_runner.cleanup(), "stopping the web server")
        self.engine.dispose()
        log.info("stopped; cursors are where the stored data ends")


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped on a bug; the other sources go on", task.get_name(), exc_info=task.exception())


async def _bounded(awaitable: Any, what: str) -> None:
    try:
        await asyncio.wait_for(awaitable, CLEANUP_STEP_SECONDS)
    except (asyncio.TimeoutError, Exception) as exc:
        log.warning("gave up %s on the way out: %s", what, exc or type(exc).__name__)


def web_app_for(daemon: Daemon) -> web.Application:
    """The console with /healthz and /metrics added when it is enabled and installed; else those two alone."""
    if daemon.settings.console.enabled:
        try:
            from dengar.console.app import create_console_app  # type: ignore[import-not-found]
        except ModuleNotFoundError as exc:
            if exc.name not in ("dengar.console.app", "dengar.console"):
                raise
            log.warning("the console is not part of this installation; serving /healthz and /metrics only")
        else:
            app = create_console_app(daemon.engine, daemon.settings)
            add_health_routes(app, daemon)
            return app
    return create_health_app(daemon)


def install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _stopping, sig, stop)


def _stopping(sig: signal.Signals, stop: asyncio.Event) -> None:
    if not stop.is_set():
        log.info("%s received: finishing the open transaction and stopping", sig.name)
    stop.set()


__all__ = ["Daemon", "default_owner", "install_signal_handlers", "runnable_sources", "web_app_for"]
