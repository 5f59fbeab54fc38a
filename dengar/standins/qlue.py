"""A local Qlue-style report feed: the reports as one JSON array, with validators and 304s.

The document is rendered on each request from the published reports, so a report published
while the server runs changes its ETag and Last-Modified. When ``since_param`` is set, the server
lists only reports dated at or after the value (same local-time format as ``post_date``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from dengar.standins.faults import Faults
from dengar.standins.feeds import not_modified


@dataclass
class QlueState:
    reports: list[Any] = field(default_factory=list)
    faults: Faults = field(default_factory=Faults)
    date_field: str = "post_date"
    since_param: str | None = None  # e.g. "since"; None: the server cannot filter
    wrap_key: str | None = None  # serve {"data": [...]} instead of a bare array
    modified: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    queries: list[dict[str, str]] = field(default_factory=list)
    not_modified: int = 0

    def publish(self, report: Any) -> None:
        self.reports.append(report)
        now = datetime.now(UTC).replace(microsecond=0)
        self.modified = now if now > self.modified else self.modified + timedelta(seconds=1)

    def load_samples(self, folder: Path) -> int:
        """Publish the reports of every ``*.json`` file in ``folder``; returns how many."""
        count = 0
        for file in sorted(folder.glob("*.json")):
            document = orjson.loads(file.read_bytes())
            reports = document if isinstance(document, list) else document.get("data", [])
            for report in reports:
                self.publish(report)
                count += 1
        return count

    def listed(self, since: str | None) -> list[Any]:
        if since is None:
            return list(self.reports)
        return [r for r in self.reports
                if isinstance(r, dict) and str(r.get(self.date_field, "")) >= since]


STATE_KEY = web.AppKey("qlue_state", QlueState)


async def serve_reports(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    state.queries.append(dict(request.query))
    since = request.query.get(state.since_param) if state.since_param else None
    reports = state.listed(since)
    body = orjson.dumps({state.wrap_key: reports} if state.wrap_key else reports)
    fault = state.faults.strikes()
    if fault is not None:
        return await state.faults.respond(request, fault, body)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    validators = {"ETag": etag, "Last-Modified": format_datetime(state.modified, usegmt=True)}
    if not_modified(request, etag, state.modified):
        state.not_modified += 1
        return web.Response(status=304, headers=validators)
    return web.Response(body=body, headers={**validators, "Content-Type": "application/json; charset=utf-8"})


def create_app(state: QlueState) -> web.Application:
    app = web.Application()
    app[STATE_KEY] = state
    app.router.add_get("/{path:.*}", serve_reports)
    return app
