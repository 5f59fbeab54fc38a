"""Accounts for admins: who may use the console, in which role; create, change role, disable, new password.

Every change goes through sink.accounts, which audits it and refuses to leave the console without an active admin.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from dengar.console.auth import ADMIN, current_session, require_role
from dengar.console.db import read, write
from dengar.console.render import render
from sink.accounts import ROLES, AccountError, create_operator, list_accounts, set_disabled, set_password, set_role

DONE = ("created", "role", "disable", "enable", "password")


async def _page(request: web.Request, error: str | None = None, status: int = 200, form: dict[str, Any] | None = None) -> web.Response:
    accounts = await read(request, list_accounts)
    done = request.query.get("done")
    return render(request, "accounts.html", {
        "accounts": accounts, "roles": ROLES, "error": error, "form": form or {},
        "done": done if done in DONE else None, "who": request.query.get("who", "")[:100],
    }, status=status)


@require_role(*ADMIN)
async def accounts_page(request: web.Request) -> web.StreamResponse:
    return await _page(request)


def _actor(request: web.Request) -> str:
    session = current_session(request)
    assert session is not None  # require_role guarantees it
    return session.operator.username


@require_role(*ADMIN)
async def create_account(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username = str(form.get("username", ""))[:200]
    role = str(form.get("role", ""))
    try:
        await write(request, create_operator, username, str(form.get("password", "")), role, _actor(request))
    except AccountError as exc:
        return await _page(request, error=str(exc), status=409, form={"username": username, "role": role})
    raise web.HTTPSeeOther(f"/accounts?done=created&who={username.strip().lower()}")


@require_role(*ADMIN)
async def change_account(request: web.Request) -> web.StreamResponse:
    try:
        operator_id = int(request.match_info["operator_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    action = request.match_info["action"]
    form = await request.post()
    actor = _actor(request)
    try:
        if action == "role":
            await write(request, set_role, operator_id, str(form.get("role", "")), actor)
        elif action in ("disable", "enable"):
            await write(request, set_disabled, operator_id, action == "disable", actor)
        elif action == "password":
            await write(request, set_password, operator_id, str(form.get("password", "")), actor)
        else:
            raise web.HTTPNotFound()
    except AccountError as exc:
        return await _page(request, error=str(exc), status=409)
    raise web.HTTPSeeOther(f"/accounts?done={action}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/accounts", accounts_page, name="accounts")
    app.router.add_post("/accounts", create_account, name="account_create")
    app.router.add_post("/accounts/{operator_id}/{action}", change_account, name="account_change")
