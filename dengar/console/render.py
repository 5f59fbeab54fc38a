"""Rendering pages: every template gets the user, the CSRF token, the language and ``t`` for strings."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from dengar.console.auth import CSRF_FIELD, Handler, current_session, may
from dengar.console.i18n import LANGUAGES
from dengar.console.inert import inert, inert_link
from dengar.console.keys import LANG, TRANSLATIONS

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
WIB = timezone(timedelta(hours=7), "WIB")
log = logging.getLogger(__name__)


def wib(value: datetime | None, with_date: bool = True) -> str:
    """A time as Jakarta reads it (WIB, UTC+7)."""
    if value is None:
        return "—"
    local = value.astimezone(WIB)
    return local.strftime("%d-%m-%Y %H:%M WIB" if with_date else "%H:%M")


def setup_templates(app: web.Application) -> None:
    environment = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        context_processors=[page_context],
        undefined=jinja2.ChainableUndefined,
    )
    environment.filters["inert"] = inert
    environment.filters["wib"] = wib
    environment.globals["inert_link"] = inert_link
    environment.globals["static"] = static_url


def static_url(name: str) -> str:
    """A static file's address, versioned by its modification time so browsers never keep a stale copy."""
    path = STATIC_DIR / name
    version = int(path.stat().st_mtime) if path.is_file() else 0
    return f"/static/{name}?v={version}"


async def page_context(request: web.Request) -> dict[str, Any]:
    lang = request.get(LANG, "id")
    translations = request.app[TRANSLATIONS]
    session = current_session(request)

    def t(key: str, **values: Any) -> str:
        return translations.text(lang, key, **values)

    return {
        "request": request,
        "t": t,
        "lang": lang,
        "languages": LANGUAGES,
        "user": session.operator if session else None,
        "csrf_token": session.csrf_token if session else "",
        "csrf_field": CSRF_FIELD,
        "may": lambda *roles: may(request, *roles),
        "path": str(request.rel_url),
    }


def render(request: web.Request, template: str, context: dict[str, Any] | None = None, status: int = 200) -> web.Response:
    """The page ``template`` with ``context``; use it from every handler."""
    return aiohttp_jinja2.render_template(template, request, context or {}, status=status)


def text(request: web.Request, key: str, **values: Any) -> str:
    """An interface string in the request's language (for messages built in handlers)."""
    return request.app[TRANSLATIONS].text(request.get(LANG, "id"), key, **values)


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """HTTP errors as pages in the layout; an unexpected error is logged, never shown with its trace."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or request.path.startswith("/static/") or "html" not in request.headers.get("Accept", "text/html"):
            raise
        return render(request, "error.html", {"status": exc.status, "reason": exc.reason, "detail": exc.text or ""}, status=exc.status)
    except Exception:
        log.exception("console: %s %s failed", request.method, request.path)
        return render(request, "error.html", {"status": 500, "reason": "Internal Server Error", "detail": ""}, status=500)
