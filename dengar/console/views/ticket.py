"""The ticket page: every message of the incident side by side, and the operator's actions on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy import select

from dengar.console.auth import EVERYONE, TRIAGE, current_session, require_role
from dengar.console.db import read, write
from dengar.console.keys import CATEGORIES, PLACES, ROUTING, SETTINGS
from dengar.console.render import render, text
from dengar.console.sla import sla_clocks
from sink import operator
from sink.operator import OperatorError
from sink.ticket_actions import (
    STATUSES,
    TRANSITIONS,
    Place,
    add_note,
    forward_to_crm,
    mark_triaged,
    retry_delivery,
    set_agency,
    set_category,
    set_complaint,
    set_place,
    set_status,
)
from sink.models import MentionRow
from sink.ticket_queue import ticket_detail

CRM_TARGET = "crm"
MENTIONS = MentionRow.__table__
Form = MultiDictProxy[Any]


def _ticket_id(request: web.Request) -> int:
    try:
        return int(request.match_info["ticket_id"])
    except ValueError:
        raise web.HTTPNotFound() from None


def _message_page(request: web.Request) -> int:
    try:
        return max(1, min(int(request.query.get("page", "1")), 1_000_000))
    except ValueError:
        return 1


async def _page(request: web.Request, ticket_id: int, error: str | None = None, status: int = 200) -> web.Response:
    detail = await read(request, ticket_detail, ticket_id, _message_page(request))
    if detail is None:
        raise web.HTTPNotFound(text=text(request, "ticket.missing", id=ticket_id))
    settings = request.app[SETTINGS].console
    ticket = detail.ticket
    clocks = sla_clocks(ticket, timedelta(hours=settings.sla_coordination_hours), timedelta(days=settings.sla_resolution_days),
                        datetime.now(timezone.utc))
    routing = request.app[ROUTING]
    return render(request, "ticket.html", {
        "detail": detail,
        "ticket": ticket,
        "clocks": clocks,
        "categories": request.app[CATEGORIES],
        "statuses": STATUSES,
        "next_statuses": TRANSITIONS.get(ticket.status, ()),
        "suggested_agency": routing(ticket.category, ticket.kota),
        "agencies": sorted(set(routing.by_category.values()) | set(routing.by_place.values())),
        "places": request.app[PLACES].by_kota(),
        "error": error,
        "done": request.query.get("done"),
        "crm_state": detail.outbox.state(datetime.now(timezone.utc)) if detail.outbox else None,
        "new_ticket": request.query.get("new"),
    }, status=status)


@require_role(*EVERYONE)
async def ticket_page(request: web.Request) -> web.StreamResponse:
    return await _page(request, _ticket_id(request))


def _int(form: Form, name: str) -> int:
    try:
        return int(str(form.get(name, "")).strip().lstrip("#"))
    except ValueError:
        raise OperatorError(f"{name}: a ticket or decision number is needed") from None


def _place(request: web.Request, form: Form) -> Place:
    code = str(form.get("kelurahan_code", "")).strip()
    street = str(form.get("street", ""))
    if not code:
        kota = str(form.get("kota", "")).strip()
        if kota and kota not in request.app[PLACES].kota_names():
            raise OperatorError(f"unknown kota {kota!r}")
        return Place(kota=kota or None, street=street)
    names = request.app[PLACES].lookup(code)
    if names is None:
        raise OperatorError(f"unknown kelurahan code {code!r}")
    kota, kecamatan, kelurahan = names
    return Place(kota=kota, kecamatan=kecamatan, kelurahan=kelurahan, kelurahan_code=code, street=street)


# Each action: (form, ticket id, actor) -> where to go afterwards (ticket id, query string).
Action = Callable[[web.Request, Form, int, str], Awaitable[tuple[int, str]]]


async def _status(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, set_status, ticket_id, str(form.get("status", "")), str(form.get("note", "")), actor)
    return ticket_id, "done=status"


async def _note(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, add_note, ticket_id, str(form.get("note", "")), actor)
    return ticket_id, "done=note"


async def _category(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, set_category, ticket_id, str(form.get("category", "")), frozenset(request.app[CATEGORIES]), actor)
    return ticket_id, "done=category"


async def _place_action(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, set_place, ticket_id, _place(request, form), actor)
    return ticket_id, "done=place"


async def _agency(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, set_agency, ticket_id, str(form.get("agency", "")), actor)
    return ticket_id, "done=agency"


async def _complaint(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, set_complaint, ticket_id, form.get("is_complaint") == "1", actor)
    return ticket_id, "done=complaint"


async def _forward(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, forward_to_crm, ticket_id, CRM_TARGET, actor)
    return ticket_id, "done=forward"


async def _retry_delivery(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, retry_delivery, ticket_id, actor)
    return ticket_id, "done=retry_delivery"


def _merge_into_this(connection, source_id: int, target_id: int, actor: str) -> None:  # type: ignore[no-untyped-def]
    operator.merge_tickets(connection, source_id, target_id, actor)
    mark_triaged(connection, target_id)


async def _merge(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    """The other ticket's messages come into this one; this one stays."""
    other = _int(form, "other")
    await write(request, _merge_into_this, other, ticket_id, actor)
    return ticket_id, f"done=merge&other={other}"


def _split_out(connection, ticket_id: int, message: str, actor: str) -> int:  # type: ignore[no-untyped-def]
    channel, _, external_id = message.partition(":")
    owner = connection.execute(
        select(MENTIONS.c.ticket_id).where(MENTIONS.c.channel == channel, MENTIONS.c.external_id == external_id)
    ).scalar()
    if owner != ticket_id:
        raise OperatorError(f"message {message} is not in ticket {ticket_id}")
    _, new_ticket = operator.split_mention(connection, channel, external_id, actor)
    mark_triaged(connection, ticket_id)
    return new_ticket


async def _split(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    new_ticket = await write(request, _split_out, ticket_id, str(form.get("message", ""))[:300], actor)
    return ticket_id, f"done=split&new={new_ticket}"


async def _undo(request: web.Request, form: Form, ticket_id: int, actor: str) -> tuple[int, str]:
    await write(request, operator.undo, _int(form, "decision"), actor)
    return ticket_id, "done=undo"


ACTIONS: dict[str, Action] = {
    "status": _status, "note": _note, "category": _category, "place": _place_action, "agency": _agency,
    "complaint": _complaint, "forward": _forward, "retry_delivery": _retry_delivery, "merge": _merge, "split": _split, "undo": _undo,
}


@require_role(*TRIAGE)
async def ticket_action(request: web.Request) -> web.StreamResponse:
    ticket_id = _ticket_id(request)
    action = ACTIONS.get(request.match_info["action"])
    if action is None:
        raise web.HTTPNotFound()
    session = current_session(request)
    assert session is not None  # require_role guarantees it
    form = await request.post()
    try:
        target, query = await action(request, form, ticket_id, session.operator.username)
    except OperatorError as exc:
        return await _page(request, ticket_id, error=str(exc), status=409)
    raise web.HTTPSeeOther(f"/tickets/{target}?{query}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/tickets/{ticket_id}", ticket_page, name="ticket")
    app.router.add_post("/tickets/{ticket_id}/{action}", ticket_action, name="ticket_action")
