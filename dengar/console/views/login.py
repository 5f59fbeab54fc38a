"""Signing in and out, with throttling; and the language switch."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from aiohttp import web

from dengar.console.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    current_session,
    login_csrf_token,
    remember_login_csrf,
    safe_next,
    set_cookie,
)
from dengar.console.db import write
from dengar.console.i18n import LANGUAGES
from dengar.console.keys import SETTINGS
from dengar.console.render import render, text
from sink.accounts import end_session, recent_failures, record_login_attempt, start_session, verify_password
from sink.models import AuditRow

LANG_COOKIE = "dengar_lang"
ADDRESS_FACTOR = 4  # one address may fail this many times more than one username (an office behind NAT)


def _client_address(request: web.Request) -> str:
    return request.remote or "unknown"


async def login_form(request: web.Request) -> web.StreamResponse:
    if current_session(request) is not None:
        raise web.HTTPSeeOther(safe_next(request.query.get("next")))
    return _login_page(request, safe_next(request.query.get("next")), None, 200)


def _login_page(request: web.Request, target: str, error: str | None, status: int) -> web.Response:
    token = login_csrf_token(request)
    response = render(request, "login.html", {"next": target, "error": error, "login_csrf": token}, status=status)
    remember_login_csrf(request, response, token)
    return response


def _attempt_login(connection, username: str, password: str, address: str, settings):  # type: ignore[no-untyped-def]
    """(operator, throttled): checks the throttle before the password, records the attempt."""
    window = timedelta(minutes=settings.console.login_window_minutes)
    by_user, by_address = recent_failures(connection, username, address, window)
    limit = settings.console.login_max_failures
    if by_user >= limit or by_address >= limit * ADDRESS_FACTOR:
        return None, True
    operator = verify_password(connection, username, password)
    record_login_attempt(connection, username, address, operator is not None)
    if operator is None:
        return None, False
    token, session = start_session(connection, operator, timedelta(hours=settings.console.session_hours))
    connection.execute(AuditRow.__table__.insert().values(at=datetime.now(timezone.utc),
                                                          actor=operator.username, action="login", entity="operator",
                                                          entity_id=operator.username, before=None, after={"address": address}))
    return token, False


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username = str(form.get("username", ""))[:100]
    password = str(form.get("password", ""))[:1024]
    target = safe_next(str(form.get("next", "/")))
    settings = request.app[SETTINGS]
    token, throttled = await write(request, _attempt_login, username, password, _client_address(request), settings)
    if token is None:
        key = "login.throttled" if throttled else "login.failed"
        error = text(request, key, minutes=int(settings.console.login_window_minutes))
        return _login_page(request, target, error, 429 if throttled else 401)
    response = web.HTTPSeeOther(target)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=int(settings.console.session_hours * 3600))
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await write(request, end_session, token)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def switch_language(request: web.Request) -> web.StreamResponse:
    """A display preference only, so a plain link (GET) may change it."""
    lang = request.match_info["lang"]
    if lang not in LANGUAGES:
        raise web.HTTPNotFound()
    response = web.HTTPSeeOther(safe_next(request.query.get("next")))
    set_cookie(request, response, LANG_COOKIE, lang, max_age=365 * 24 * 3600)
    raise response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/login", login_form, name="login")
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout, name="logout")
    app.router.add_get("/lang/{lang}", switch_language, name="lang")
