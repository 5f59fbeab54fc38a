"""Keeps the database's planner statistics fresh while the console runs.

SQLite plans queries from statistics that only ANALYZE writes; a store that grew from empty to
100k tickets would otherwise be planned as if it were empty (sink.database.refresh_planner_statistics).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from dengar.console.keys import ENGINE
from sink.database import refresh_planner_statistics

REFRESH_SECONDS = 3600.0
log = logging.getLogger(__name__)


async def planner_statistics(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: refresh at start, then every hour, until the console stops."""

    async def refresh_forever() -> None:
        while True:
            try:
                await asyncio.to_thread(refresh_planner_statistics, app[ENGINE])
            except Exception as error:  # noqa: BLE001 - a busy or unreachable database: try again later
                log.warning("could not refresh the database's planner statistics: %s", type(error).__name__)
            await asyncio.sleep(REFRESH_SECONDS)

    task = asyncio.create_task(refresh_forever())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
