"""Mentions monitor for the social-media team: the live stream, volume per hour per channel, today's top topics.

The stream is Server-Sent Events fed by polling the database, so it shows what a collector in
another process (or on another machine) stored, without the two sharing anything but the store.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from collectors.types import CHANNELS
from dengar.console.auth import EVERYONE, require_role
from dengar.console.charts import channel_colour, hourly_stacked_bars, horizontal_bars
from dengar.console.db import read
from dengar.console.keys import CATEGORIES
from dengar.console.render import WIB, render
from sink.monitor import (
    MAX_KEYWORD,
    MentionFilter,
    hourly_volume,
    latest_day_with_mentions,
    latest_mentions,
    mentions_after,
    newest_mention_id,
    top_values,
)

PAGE_SIZE = 50
POLL_SECONDS = 1.5
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # then the browser reconnects by itself, resuming from the last event id
LATE_COMMIT_IDS = 200  # a message stored by a slower concurrent writer may commit below ids already sent
STREAM_STOP = web.AppKey("mention_stream_stop", asyncio.Event)


def mention_filter(request: web.Request) -> MentionFilter:
    """The filters from the query string; anything unknown is ignored rather than an error."""
    query = request.query
    channel = query.get("channel") if query.get("channel") in CHANNELS else None
    complaint = {"yes": True, "no": False}.get(query.get("complaint", ""))
    keyword = (query.get("q") or "").strip()[:MAX_KEYWORD] or None
    return MentionFilter(channel=channel, keyword=keyword, complaint=complaint)


def _day(request: web.Request) -> date:
    try:
        return date.fromisoformat(request.query.get("day", ""))
    except ValueError:
        return datetime.now(WIB).date()


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 <= number < 2**63 else None


def day_start(day: date) -> datetime:
    """Midnight in Jakarta, the day an operator means by "today"."""
    return datetime.combine(day, time(0), tzinfo=WIB)


def _day_summary(connection: Any, day: date) -> dict[str, Any]:
    start = day_start(day)
    end = start + timedelta(days=1)
    volume = hourly_volume(connection, start)
    latest = latest_day_with_mentions(connection)
    return {
        "volume": volume,
        "chart": hourly_stacked_bars(volume),
        "top_categories": top_values(connection, "category", start, end, limit=8),
        "top_kelurahan": top_values(connection, "kelurahan", start, end, limit=8),
        "latest_day": latest.astimezone(WIB).date() if latest else None,
    }


def _page_data(connection: Any, where: MentionFilter, day: date, before_id: int | None) -> dict[str, Any]:
    mentions = latest_mentions(connection, where, PAGE_SIZE, before_id)
    return {"mentions": mentions, "newest_id": newest_mention_id(connection), **_day_summary(connection, day)}


def _context(request: web.Request) -> dict[str, Any]:
    return {"categories": request.app[CATEGORIES], "channel_colour": channel_colour}


@require_role(*EVERYONE)
async def monitor(request: web.Request) -> web.StreamResponse:
    where = mention_filter(request)
    day = _day(request)
    before_id = _int(request.query.get("before"))
    data = await read(request, _page_data, where, day, before_id)
    stream_query = {key: value for key, value in (("channel", where.channel), ("q", where.keyword),
                                                   ("complaint", request.query.get("complaint"))) if value}
    return render(request, "mentions.html", {
        **data, **_context(request), "where": where, "day": day, "today": datetime.now(WIB).date(),
        "channels": CHANNELS, "before_id": before_id, "complaint_choice": request.query.get("complaint", ""),
        "stream_query": {**stream_query, "after": data["newest_id"]},
        "filter_query": {**stream_query, "day": day.isoformat()}, "paged_back": before_id is not None,
        "older_than": data["mentions"][-1].id if len(data["mentions"]) == PAGE_SIZE else None,
        "top_category_bars": horizontal_bars(data["top_categories"], width=160),
        "top_kelurahan_bars": horizontal_bars(data["top_kelurahan"], colour="#2ca02c", width=160),
    })


@require_role(*EVERYONE)
async def volume_fragment(request: web.Request) -> web.StreamResponse:
    """The day's chart and top lists alone, for the page to refresh them while it stays open."""
    data = await read(request, _day_summary, _day(request))
    return render(request, "_mentions_day.html", {
        **data, **_context(request), "day": _day(request),
        "top_category_bars": horizontal_bars(data["top_categories"], width=160),
        "top_kelurahan_bars": horizontal_bars(data["top_kelurahan"], colour="#2ca02c", width=160),
    })


def _event(mention_id: int, html: str) -> bytes:
    payload = json.dumps({"id": mention_id, "html": html}, ensure_ascii=True)
    return f"id: {mention_id}\nevent: mention\ndata: {payload}\n\n".encode()


@require_role(*EVERYONE)
async def stream(request: web.Request) -> web.StreamResponse:
    """New messages as they are stored, rendered like the page's own rows; resumable by Last-Event-ID."""
    where = mention_filter(request)
    start = _int(request.headers.get("Last-Event-ID")) or _int(request.query.get("after"))
    if start is None:
        start = await read(request, newest_mention_id)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                           "X-Accel-Buffering": "no", "X-Content-Type-Options": "nosniff"})
    await response.prepare(request)
    await response.write(b"retry: 2000\n\n")
    stop = request.app[STREAM_STOP]
    loop = asyncio.get_running_loop()
    finish = loop.time() + STREAM_SECONDS
    last_write = loop.time()
    high, sent = start, set[int]()
    context = _context(request)
    try:
        while loop.time() < finish and not stop.is_set():
            floor = max(start, high - LATE_COMMIT_IDS)
            rows = await read(request, mentions_after, where, floor, 200, sorted(i for i in sent if i > floor))
            for row in rows:
                html = aiohttp_jinja2.render_string("_mention.html", request, {"m": row, **context})
                await response.write(_event(row.id, html))
                sent.add(row.id)
                high = max(high, row.id)
                last_write = loop.time()
            sent = {i for i in sent if i > high - LATE_COMMIT_IDS}
            if loop.time() - last_write > HEARTBEAT_SECONDS:
                await response.write(b": keep-alive\n\n")  # finds a closed connection, keeps proxies open
                last_write = loop.time()
            try:
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
            except asyncio.TimeoutError:
                pass
    except ConnectionResetError:
        pass  # the operator closed the page
    return response


async def _stop_streams(app: web.Application) -> None:
    app[STREAM_STOP].set()


def add_routes(app: web.Application) -> None:
    app[STREAM_STOP] = asyncio.Event()
    app.on_shutdown.append(_stop_streams)
    app.router.add_get("/mentions", monitor, name="mentions")
    app.router.add_get("/mentions/stream", stream, name="mentions_stream")
    app.router.add_get("/mentions/day", volume_fragment, name="mentions_day")
