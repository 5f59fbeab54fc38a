"""A local Open311 GeoReport v2 server: ``GET requests.json`` and ``POST requests.json`` as the specification describes them.

``start_date``/``end_date`` filter on ``requested_datetime`` (at most 90 days apart), ``status``
takes a comma-separated list, ``page``/``page_size`` page through the result, newest request
first as city servers list them. Errors come back as GeoReport's ``[{"code", "description"}]``.
Without dates every request is listed (the specification's "recent 90 days" default would hide
the demo's bundled samples as the calendar moves on). ``service_code`` filters as the specification says.

``POST requests.json`` takes the form-encoded fields (``attribute[code]`` and ``attribute[code][]``),
checks the api_key when one is set (403), validates as GeoReport servers do (400 with a list of
errors: unknown service_code, no location, description too long) and answers
``[{"service_request_id", "service_notice", "account_id"}]``; the new request is listed by GET.
Fault switches for POST: ``post_faults`` (a 500 and the others of :mod:`dengar.standins.faults`),
``post_delay`` (the request is stored, then the answer comes late: a client timing out has
delivered anyway) and ``reject_with`` (a 400 with these errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncio
import itertools

import orjson
from aiohttp import web
from multidict import MultiDict

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
    api_key: str | None = None  # when set, a POST must carry it
    service_codes: set[str] | None = None  # when set, a POST naming another service_code gets a 400
    post_faults: Faults = field(default_factory=Faults)
    post_delay: float = 0.0  # seconds between storing a POSTed request and answering
    reject_with: list[dict[str, Any]] | None = None  # answer every POST with a 400 and these errors
    posts: list[list[tuple[str, str]]] = field(default_factory=list)  # every POST form as it arrived
    created: list[dict[str, Any]] = field(default_factory=list)  # the requests POSTs created
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]

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
        if "service_code" in query and (not isinstance(service_request, dict)
                                        or service_request.get("service_code") != query["service_code"]):
            continue
        chosen.append(service_request)
    chosen.sort(key=lambda r: requested_at(r) or datetime.min.replace(tzinfo=UTC), reverse=True)
    page_items = chosen[(page - 1) * page_size: page * page_size]
    return web.Response(body=orjson.dumps(page_items), content_type="application/json", charset="utf-8")


MAX_DESCRIPTION = 4000


def _georeport_errors(errors: list[dict[str, Any]], status: int = 400) -> web.Response:
    return web.json_response(errors, status=status)


def _validation_errors(state: Open311State, form: MultiDict[str]) -> list[dict[str, Any]]:
    errors = []
    code = form.get("service_code", "").strip()
    if not code:
        errors.append({"code": 400, "description": "service_code is required"})
    elif state.service_codes is not None and code not in state.service_codes:
        errors.append({"code": 400, "description": f"service_code {code!r} not found"})
    has_point = form.get("lat", "").strip() and form.get("long", "").strip()
    if not has_point and not form.get("address_string", "").strip() and not form.get("address_id", "").strip():
        errors.append({"code": 400, "description": "a location is required: lat and long, address_string or address_id"})
    if has_point:
        try:
            lat, lon = float(form["lat"]), float(form["long"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except ValueError:
            errors.append({"code": 400, "description": "lat and long must be decimal degrees"})
    if len(form.get("description", "")) > MAX_DESCRIPTION:
        errors.append({"code": 400, "description": f"description may not exceed {MAX_DESCRIPTION} characters"})
    return errors


def _attributes(form: MultiDict[str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for name, value in form.items():
        if not (name.startswith("attribute[") and name.endswith("]")):
            continue
        if name.endswith("][]"):
            attributes.setdefault(name[len("attribute["):-3], []).append(value)
        else:
            attributes[name[len("attribute["):-1]] = value
    return attributes


async def create_request(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    form = await request.post()
    fields = [(name, value) for name, value in form.items() if isinstance(value, str)]
    state.posts.append(fields)
    fault = state.post_faults.strikes()
    if fault is not None:
        return await state.post_faults.respond(request, fault)
    text_form: MultiDict[str] = MultiDict(fields)
    if state.api_key is not None and text_form.get("api_key") != state.api_key:
        return _georeport_errors([{"code": 403, "description": "Invalid api_key"}], status=403)
    if state.jurisdiction_id and text_form.get("jurisdiction_id", state.jurisdiction_id) != state.jurisdiction_id:
        return georeport_error(404, f"jurisdiction_id {text_form.get('jurisdiction_id')!r} not found")
    if state.reject_with is not None:
        return _georeport_errors(state.reject_with)
    errors = _validation_errors(state, text_form)
    if errors:
        return _georeport_errors(errors)
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    service_request: dict[str, Any] = {
        "service_request_id": f"crm-{next(state._ids)}",
        "status": "open",
        "service_code": text_form["service_code"],
        "description": text_form.get("description"),
        "address": text_form.get("address_string"),
        "lat": float(text_form["lat"]) if text_form.get("lat") else None,
        "long": float(text_form["long"]) if text_form.get("long") else None,
        "requested_datetime": now,
        "updated_datetime": now,
    }
    state.created.append({**service_request, "attributes": _attributes(text_form)})
    state.publish(service_request)  # GET lists it (without attributes, as GeoReport does)
    if state.post_delay:
        await asyncio.sleep(state.post_delay)
    return web.json_response([{"service_request_id": service_request["service_request_id"],
                               "service_notice": "", "account_id": None}], status=201)


def create_app(state: Open311State) -> web.Application:
    app = web.Application()
    app[STATE_KEY] = state
    app.router.add_get("/requests.json", list_requests)
    app.router.add_get("/{prefix:.*}/requests.json", list_requests)
    app.router.add_post("/requests.json", create_request)
    app.router.add_post("/{prefix:.*}/requests.json", create_request)
    return app
