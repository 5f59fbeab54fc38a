"""The audit log: every state change, who made it, when, and the state before and after."""

from __future__ import annotations

import json

from aiohttp import web

from dengar.console.auth import TRIAGE, require_role
from dengar.console.db import read
from dengar.console.render import render
from sink.ticket_queue import audit_page

PAGE_SIZE = 100


@require_role(*TRIAGE)
async def audit(request: web.Request) -> web.StreamResponse:
    actor = request.query.get("actor", "").strip()[:100] or None
    action = request.query.get("action", "").strip()[:50] or None
    try:
        before = int(request.query.get("before", "")) or None
    except ValueError:
        before = None
    rows = await read(request, audit_page, actor, action, before, PAGE_SIZE)
    entries = [{"row": row, "before": _show(row.before), "after": _show(row.after)} for row in rows]
    older = rows[-1].id if len(rows) == PAGE_SIZE else None
    return render(request, "audit.html", {"entries": entries, "actor": actor or "", "action": action or "", "older": older})


def _show(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)[:2000]


def add_routes(app: web.Application) -> None:
    app.router.add_get("/audit", audit, name="audit")
