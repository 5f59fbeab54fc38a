"""/healthz and /metrics: what a load balancer and Prometheus ask of a running daemon."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Protocol

from aiohttp import web

from dengar.daemon.metrics import DaemonMetrics
from dengar.daemon.runner import SourceStatus

DATABASE_CHECK_SECONDS = 3.0


class DaemonView(Protocol):
    """The daemon as the health endpoints see it."""

    metrics: DaemonMetrics

    @property
    def writer_alive(self) -> bool: ...

    def source_statuses(self) -> list[SourceStatus]: ...

    def disabled_sources(self) -> dict[str, str]: ...

    def database_answers(self) -> bool:
        """A trivial query; blocking, run in a thread."""
        ...

    def refresh_gauges(self, now: datetime) -> None: ...


DAEMON_KEY = web.AppKey("dengar_daemon", DaemonView)


async def healthz(request: web.Request) -> web.Response:
    """200 when the writer runs and the database answers; 503 otherwise. Sources' own trouble is reported, not fatal."""
    daemon = request.app[DAEMON_KEY]
    try:
        database = await asyncio.wait_for(asyncio.to_thread(daemon.database_answers), DATABASE_CHECK_SECONDS)
    except (asyncio.TimeoutError, Exception):
        database = False
    daemon.metrics.database_up.set(1 if database else 0)
    healthy = daemon.writer_alive and database
    body = {
        "status": "ok" if healthy else "unavailable",
        "writer": "running" if daemon.writer_alive else "stopped",
        "database": "ok" if database else "unavailable",
        "sources": {s.name: s.as_json() for s in daemon.source_statuses()},
        "disabled": daemon.disabled_sources(),
    }
    return web.json_response(body, status=200 if healthy else 503)


async def metrics(request: web.Request) -> web.Response:
    daemon = request.app[DAEMON_KEY]
    daemon.refresh_gauges(datetime.now(timezone.utc))
    response = web.Response(body=daemon.metrics.exposition())
    response.headers["Content-Type"] = daemon.metrics.content_type
    return response


def add_health_routes(app: web.Application, daemon: DaemonView) -> None:
    """Mount /healthz and /metrics on ``app`` (the console's, or a bare one)."""
    app[DAEMON_KEY] = daemon
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


def create_health_app(daemon: DaemonView) -> web.Application:
    app = web.Application(client_max_size=1024)
    add_health_routes(app, daemon)
    return app


__all__ = ["DAEMON_KEY", "add_health_routes", "create_health_app"]
