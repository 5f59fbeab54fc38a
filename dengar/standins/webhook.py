"""A local webhook receiver that honours ``Idempotency-Key`` as payment APIs do.

The first POST with a key is stored and answered ``201 {"id"}``; a repeat of the key gets the same
answer and stores nothing; a POST without the key is refused (400), as is a wrong bearer token
(401). ``faults`` and ``delay`` (store, then answer late) are the same switches as the other stand-ins.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from dengar.standins.faults import Faults


@dataclass
class WebhookState:
    token: str | None = None  # when set, "Authorization: Bearer <token>" is required
    faults: Faults = field(default_factory=Faults)
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)  # every POST: headers and body
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> the first body with that key


STATE_KEY = web.AppKey("webhook_state", WebhookState)


async def receive(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    body = await request.read()
    key = request.headers.get("Idempotency-Key")
    state.received.append({"headers": dict(request.headers), "body": body})
    fault = state.faults.strikes()
    if fault is not None:
        return await state.faults.respond(request, fault)
    if state.token is not None and request.headers.get("Authorization") != f"Bearer {state.token}":
        return web.json_response({"error": "invalid token"}, status=401)
    if not key:
        return web.json_response({"error": "Idempotency-Key header is required"}, status=400)
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return web.json_response({"error": "body is not JSON"}, status=400)
    if key not in state.stored:
        state.stored[key] = document
    if state.delay:
        await asyncio.sleep(state.delay)
    return web.json_response({"id": f"hook-{list(state.stored).index(key) + 1}"}, status=201)


def create_app(state: WebhookState) -> web.Application:
    app = web.Application()
    app[STATE_KEY] = state
    app.router.add_post("/{tail:.*}", receive)
    return app


__all__ = ["STATE_KEY", "WebhookState", "create_app"]
