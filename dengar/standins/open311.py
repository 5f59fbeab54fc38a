"""A local Open311 GeoReport v2 server: ``GET requests.json`` as the specification describes it.

``start_date``/``end_date`` filter on ``requested_datetime`` (at most 90 days apart), ``status``
takes a comma-separated list, ``page``/``page_size`` page through the result, newest request
first as city servers list them. Errors come back as GeoReport's ``[{"code", "description"}]``.
Without dates every request is listed (the specification's "recent 90 days" default would hide
the demo's bundled samples as the calendar moves on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from dengar.standins.faults import Faults

MAX_SPAN = timedelta(days=90)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass
class Open311State:
    requests: list[Any] = field(default_factory=list)  # request objects (anything else: a broken server)
    faults: Faults = field(default_factory=Faults)
    jurisdiction_id: str | None = None  # when set, requests naming another jurisdiction get a 404
    queries: list[dict[str, str]] = field(default_factory=list)  # the parameters of each request served

    def publish(self, request: Any) -> None:
        self.requests.append(request)

    def load_samples(self, path: Path) -> int:
        """Publish the requests of a ``requests.json`` file; returns how many."""
        document = orjson.loads(path.read_bytes())
        requests = document.get("service_requests", []) if isinstance(document, dict) else document
        for request in requests:
            self.publish(request)
        return len(requests)


STATE_KEY = web.AppKey("open311_state", Open311State)


def georeport_error(status: int, description: str) -> web.Response:
    return web.json_response([{"code": status, "description": description}], status=status)


def parse_w3c(value: str) -> datetime:
    when = datetime.fromisoformat(value.strip().replace(" ", "+"))  # an unencoded "+" arrives as a space
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def requested_at(request: Any) -> datetime | None:
    if not isinstance(request, dict):
        return None  # a test may publish a malformed request on purpose
    try:
        return parse_w3c(str(request.get("requested_datetime")))
    except ValueError:
        return None


def positive_int(query: Any, name: str, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    number = int(value)
    if number < 1:
        raise ValueError(f"{name} must be a positive integer")
    return number


async def list_requests(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    state.queries.append(dict(request.query))
    fault = state.faults.strikes()
    if fault is not None:
        return await state.faults.respond(request, fault, orjson.dumps(state.requests))
    query = request.query
    if state.jurisdiction_id and query.get("jurisdiction_id", state.jurisdiction_id) != state.jurisdiction_id:
        return georeport_error(404, f"jurisdiction_id {query.get('jurisdiction_id')!r} not found")
    try:
        start = parse_w3c(query["start_date"]) if "start_date" in query else None
        end = parse_w3c(query["end_date"]) if "end_date" in query else None
        page = positive_int(query, "page", 1)
        page_size = min(positive_int(query, "page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    except ValueError as exc:
        return georeport_error(400, str(exc))
    if start and end and end - start > MAX_SPAN:
        return georeport_error(400, "start_date and end_date may not span more than 90 days")
    statuses = {s.strip() for s in query["status"].split(",")} if "status" in query else None
    chosen = []
    for service_request in state.requests:
        when = requested_at(service_request)
        if (start or end) and when is None:
            continue
        if start and when is not None and when < start:
            continue
        if end and when is not None and when > end:
            continue
        if statuses and (not isinstance(service_request, dict) or service_request.get("status") not in statuses):
            continue
        chosen.append(service_request)
    chosen.sort(key=lambda r: requested_at(r) or datetime.min.replace(tzinfo=UTC), reverse=True)
    page_items = chosen[(page - 1) * page_size: page * page_size]
    return web.Response(body=orjson.dumps(page_items), content_type="application/json", charset="utf-8")


def create_app(state: Open311State) -> web.Application:
    app = web.Application()
    app[STATE_KEY] = state
    app.router.add_get("/requests.json", list_requests)
    app.router.add_get("/{prefix:.*}/requests.json", list_requests)
    return app
