"""Brings the messages' text-search index up to date while the console runs.

The import does not index message texts (a trigram insert costs more than the rest of its write);
searches stay complete by reading the messages the index has not taken in yet, which gets slow
when they are many. This task indexes them in short chunks, each its own transaction, and pauses
between chunks at least as long as the chunk held SQLite's write lock, so the daemon's writes
keep their turn (sink.text_search.catch_up).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy import Engine

from dengar.console.keys import ENGINE
from sink.text_search import catch_up

IDLE_SECONDS = 5.0  # caught up: look for new messages this often
RETRY_SECONDS = 30.0  # after an error (a locked or unreachable database)
MIN_PAUSE_SECONDS = 0.05
log = logging.getLogger(__name__)


def catch_up_chunk(engine: Engine) -> tuple[int, float]:
    """One chunk in its own transaction: (rows indexed, seconds it took)."""
    started = time.perf_counter()
    with engine.begin() as connection:
        indexed = catch_up(connection)
    return indexed, time.perf_counter() - started


async def keep_search_index(engine: Engine) -> None:
    while True:
        try:
            indexed, seconds = await asyncio.to_thread(catch_up_chunk, engine)
        except Exception as error:  # noqa: BLE001 - searches stay complete without the index: try later
            log.warning("could not bring the text-search index up to date: %s", type(error).__name__)
            await asyncio.sleep(RETRY_SECONDS)
            continue
        await asyncio.sleep(max(MIN_PAUSE_SECONDS, seconds) if indexed else IDLE_SECONDS)


async def search_index_catch_up(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: the catch-up runs from start to stop, on SQLite only (PostgreSQL indexes on write)."""
    engine = app[ENGINE]
    task = asyncio.create_task(keep_search_index(engine)) if engine.dialect.name == "sqlite" else None
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
