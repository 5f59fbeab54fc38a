"""The ticket queue: open tickets, most reported first, with filters and keyset paging."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from aiohttp import web

from collectors.types import CHANNELS
from dengar.console.auth import EVERYONE, require_role
from dengar.console.db import read
from dengar.console.keys import CATEGORIES, PLACES, ROUTING, SETTINGS
from dengar.console.render import WIB, render
from dengar.console.sla import sla_clocks
from sink.ticket_actions import STATUSES
from sink.ticket_queue import QueueCursor, QueueFilter, queue_count, queue_page

PAGE_SIZE = 50
FILTER_FIELDS = ("status", "category", "kota", "kecamatan", "kelurahan", "channel", "agency", "since", "until", "q", "complaints")


def _day(value: str, end: bool = False) -> datetime | None:
    """A date typed in the filter, read as a Jakarta day; ``end``: the start of the next day."""
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").replace(tzinfo=WIB)
    except ValueError:
        return None
    return (day + timedelta(days=1) if end else day).astimezone(timezone.utc)


def parse_filter(query) -> tuple[QueueFilter, dict[str, str]]:  # type: ignore[no-untyped-def]
    """The filter from the query string; unknown values are ignored rather than refused."""
    given = {name: query.get(name, "").strip()[:120] for name in FILTER_FIELDS}
    status = given["status"] if given["status"] in (*STATUSES, "open", "all") else "open"
    given["status"] = status
    channel = given["channel"] if given["channel"] in CHANNELS else None
    filters = QueueFilter(
        status=None if status == "all" else status,
        category=given["category"] or None, kota=given["kota"] or None, kecamatan=given["kecamatan"] or None,
        kelurahan=given["kelurahan"] or None, channel=channel, agency=given["agency"] or None,
        since=_day(given["since"]), until=_day(given["until"], end=True), text=given["q"] or None,
        complaints=given["complaints"] != "0",
    )
    return filters, given


def _page_size(value: str | None) -> int:
    try:
        return max(5, min(int(value or PAGE_SIZE), 200))
    except ValueError:
        return PAGE_SIZE


@require_role(*EVERYONE)
async def queue(request: web.Request) -> web.StreamResponse:
    filters, given = parse_filter(request.query)
    after = QueueCursor.decode(request.query.get("after"))
    page_size = _page_size(request.query.get("per_page"))
    page = await read(request, queue_page, filters, after, page_size)
    count, more = await read(request, queue_count, filters)
    settings = request.app[SETTINGS].console
    now = datetime.now(timezone.utc)
    clocks = {t.id: sla_clocks(t, timedelta(hours=settings.sla_coordination_hours), timedelta(days=settings.sla_resolution_days), now)
              for t in page.tickets}
    kept = {name: value for name, value in given.items() if value and not (name == "status" and value == "open")}
    if page_size != PAGE_SIZE:
        kept["per_page"] = str(page_size)
    routing = request.app[ROUTING]
    return render(request, "queue.html", {
        "tickets": page.tickets,
        "clocks": clocks,
        "now": now,
        "filters": given,
        "count": count,
        "count_more": more,
        "next_url": f"/?{urlencode({**kept, 'after': page.next.encode()})}" if page.next else None,
        "first_url": f"/?{urlencode(kept)}" if after else None,
        "categories": request.app[CATEGORIES],
        "statuses": STATUSES,
        "channels": CHANNELS,
        "kota_names": request.app[PLACES].kota_names(),
        "agencies": sorted(set(routing.by_category.values()) | set(routing.by_place.values())),
    })


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", queue, name="queue")
