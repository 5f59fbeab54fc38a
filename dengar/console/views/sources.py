"""Sources page: each source's state, last success, last error, cursor and a warning when it fell silent.

The daemon (possibly another process) writes source_state; this page only reads it, together with
when each source last stored something, which is how a source that fails "successfully" shows.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from aiohttp import web

from dengar.console.auth import EVERYONE, require_role
from dengar.console.keys import ENGINE, SETTINGS
from dengar.console.render import render
from dengar.daemon.silence import SilenceVerdict, judge, recent_stored_at
from dengar.settings import SourceSettings
from sink.source_state import SourceState, all_states, items_stored_since, last_stored_at

CURSOR_CHARS = 300


@dataclass(frozen=True, slots=True)
class SourceLine:
    name: str
    channel: str
    configured: SourceSettings | None
    state: SourceState | None
    stored_last_day: int
    last_stored: datetime | None
    silence: SilenceVerdict

    @property
    def shown_state(self) -> str:
        if self.configured is not None and not self.configured.enabled:
            return "disabled"
        if self.state is None:
            return "never"
        if self.state.state == "ok" and self.silence.silent:
            return "silent"
        return self.state.state

    @property
    def cursor_text(self) -> str:
        if self.state is None or not self.state.cursor:
            return ""
        text = json.dumps(self.state.cursor, ensure_ascii=False, sort_keys=True, default=str)
        return text if len(text) <= CURSOR_CHARS else text[:CURSOR_CHARS] + "…"


def source_lines(engine: Any, configured: list[SourceSettings], now: datetime) -> list[SourceLine]:
    states = all_states(engine)
    by_name = {source.name: source for source in configured}
    names = [source.name for source in configured] + sorted(set(states) - set(by_name))
    stored = items_stored_since(engine, now - timedelta(days=1))
    last = last_stored_at(engine, names)
    lines = []
    for name in names:
        source, state = by_name.get(name), states.get(name)
        if source is not None:
            verdict = judge(recent_stored_at(engine, name), now, source.silence_factor, source.silence_min, source.interval) \
                if name in last else SilenceVerdict(False)
        else:
            verdict = SilenceVerdict(False)
        lines.append(SourceLine(name, source.type if source else (state.channel if state else "?"), source, state,
                                stored.get(name, 0), last.get(name), verdict))
    return lines


@require_role(*EVERYONE)
async def sources(request: web.Request) -> web.StreamResponse:
    now = datetime.now(timezone.utc)
    lines = await asyncio.to_thread(source_lines, request.app[ENGINE], request.app[SETTINGS].sources, now)
    return render(request, "sources.html", {"lines": lines, "now": now})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/sources", sources, name="sources")
