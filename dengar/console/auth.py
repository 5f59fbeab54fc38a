"""Who is asking: the session cookie, roles, and the CSRF check every state-changing request passes.

Roles: admin (everything), operator (triage tickets), social (mentions monitor), viewer (read only).
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from dengar.console.db import read
from dengar.console.keys import SECURE_COOKIES, SESSION
from sink.accounts import ROLES, Session, find_session

SESSION_COOKIE = "dengar_session"
LOGIN_CSRF_COOKIE = "dengar_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

EVERYONE = ROLES
TRIAGE = ("admin", "operator")
SOCIAL = ("admin", "operator", "social")
ADMIN = ("admin",)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def current_session(request: web.Request) -> Session | None:
    return request.get(SESSION)


def may(request: web.Request, *roles: str) -> bool:
    """True when the signed-in user has one of ``roles`` (templates use it to hide buttons)."""
    session = current_session(request)
    return session is not None and session.operator.role in roles


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to somewhere else."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def require_role(*roles: str) -> Callable[[Handler], Handler]:
    """Guard a handler: signed-out users go to the login page, others without the role get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            session = current_session(request)
            if session is None:
                if request.method == "GET" and "text/event-stream" not in request.headers.get("Accept", ""):
                    raise web.HTTPSeeOther(f"/login?next={request.rel_url}")
                raise web.HTTPUnauthorized(text="sign in first")
            if session.operator.role not in roles:
                raise web.HTTPForbidden(text="your role may not do this")
            return await handler(request)

        guarded.allowed_roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="Lax",
                        secure=request.app[SECURE_COOKIES])


def login_csrf_token(request: web.Request) -> str:
    """The signed-out CSRF token (double-submit cookie) for the login form; see ``remember_login_csrf``."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    return token if token and len(token) <= 100 else secrets.token_urlsafe(32)


def remember_login_csrf(request: web.Request, response: web.StreamResponse, token: str) -> None:
    if request.cookies.get(LOGIN_CSRF_COOKIE) != token:
        set_cookie(request, response, LOGIN_CSRF_COOKIE, token)


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


async def _submitted_token(request: web.Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Load the session, then refuse any state change without the right CSRF token."""
    token = request.cookies.get(SESSION_COOKIE, "")
    request[SESSION] = await read(request, find_session, token) if token else None
    if request.method in UNSAFE_METHODS:
        if not _same_origin(request):
            raise web.HTTPForbidden(text="cross-site request refused")
        session = request[SESSION]
        expected = session.csrf_token if session is not None else request.cookies.get(LOGIN_CSRF_COOKIE, "")
        submitted = await _submitted_token(request)
        if not expected or not submitted or not hmac.compare_digest(expected.encode(), submitted.encode()):
            raise web.HTTPForbidden(text="the form has expired or did not come from this console: reload the page and try again")
    return await handler(request)
