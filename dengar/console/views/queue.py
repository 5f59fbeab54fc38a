"""The ticket queue: open tickets, most reported first."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select

from dengar.console.auth import EVERYONE, require_role
from dengar.console.db import read
from dengar.console.render import render
from sink.models import TicketRow

TICKETS = TicketRow.__table__


def _tickets(connection):  # type: ignore[no-untyped-def]
    return connection.execute(
        select(TICKETS).where(TICKETS.c.merged_into.is_(None))
        .order_by(TICKETS.c.member_count.desc(), TICKETS.c.last_seen.desc(), TICKETS.c.id.desc()).limit(50)
    ).all()


@require_role(*EVERYONE)
async def queue(request: web.Request) -> web.StreamResponse:
    return render(request, "queue.html", {"tickets": await read(request, _tickets)})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", queue, name="queue")
