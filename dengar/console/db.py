"""Database calls from handlers, run in a worker thread so a slow query never stalls the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import Connection

from dengar.console.keys import ENGINE

T = TypeVar("T")


async def read(request: web.Request, query: Callable[..., T], *args: Any) -> T:
    """``query(connection, *args)`` on a read-only connection."""
    engine = request.app[ENGINE]

    def run() -> T:
        with engine.connect() as connection:
            return query(connection, *args)

    return await asyncio.to_thread(run)


async def write(request: web.Request, change: Callable[..., T], *args: Any) -> T:
    """``change(connection, *args)`` in one transaction: all of it is committed, or none."""
    engine = request.app[ENGINE]

    def run() -> T:
        with engine.begin() as connection:
            return change(connection, *args)

    return await asyncio.to_thread(run)


Query = Callable[[Connection], Any]
