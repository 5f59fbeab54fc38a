"""Every route against every role: who may read, who may change, and that signed-out users see nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sink.accounts import ROLES
from sink.models import TicketRow

READ_PAGES = ["/", "/tickets/{ticket}", "/?status=all&q=banjir"]
TRIAGE_READ_PAGES = ["/audit"]
ACTIONS = {
    "status": {"status": "koordinasi", "note": "diteruskan ke kelurahan"},
    "note": {"note": "warga sudah ditelepon"},
    "category": {"category": "banjir"},
    "place": {"kelurahan_code": "31.74.04.1001", "street": "Jl. Raya Pasar Minggu"},
    "agency": {"agency": "Suku Dinas Lingkungan Hidup Jakarta Selatan"},
    "complaint": {"is_complaint": "0"},
    "forward": {},
    "merge": {"other": "{other}"},
}
TRIAGE_ROLES = {"admin", "operator"}


def _two_tickets(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        ids = connection.execute(select(TicketRow.id).where(TicketRow.merged_into.is_(None), TicketRow.member_count > 1)
                                 .order_by(TicketRow.id).limit(2)).scalars().all()
    return ids[0], ids[1]


@pytest.mark.parametrize("role", ROLES)
async def test_every_role_reads_the_queue_and_tickets(console_client, console_engine, role):
    ticket, _ = _two_tickets(console_engine)
    client = await console_client(role)
    for path in READ_PAGES:
        await client.page(path.format(ticket=ticket))
    for path in TRIAGE_READ_PAGES:
        response = await client.get(path)
        assert response.status == (200 if role in TRIAGE_ROLES else 403), (role, path)


@pytest.mark.parametrize("role", ROLES)
async def test_action_buttons_are_shown_only_to_triage_roles(console_client, console_engine, role):
    ticket, _ = _two_tickets(console_engine)
    client = await console_client(role)
    html = await client.page(f"/tickets/{ticket}")
    assert ('id="status-form"' in html) == (role in TRIAGE_ROLES)
    assert ('class="secondary split"' in html) == (role in TRIAGE_ROLES)


@pytest.mark.parametrize("role", ["social", "viewer"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_roles_without_triage_cannot_change_a_ticket(console_client, console_engine, role, action):
    ticket, other = _two_tickets(console_engine)
    client = await console_client(role)
    with console_engine.connect() as connection:
        before = connection.execute(select(TicketRow.__table__).where(TicketRow.id == ticket)).one()
    data = {k: v.format(other=other) for k, v in ACTIONS[action].items()}
    response = await client.post_form(f"/tickets/{ticket}/{action}", data)
    assert response.status == 403
    with console_engine.connect() as connection:
        after = connection.execute(select(TicketRow.__table__).where(TicketRow.id == ticket)).one()
    assert before == after


@pytest.mark.parametrize("role", sorted(TRIAGE_ROLES))
@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_triage_roles_can_do_every_action(console_client, console_engine, role, action):
    ticket, other = _two_tickets(console_engine)
    client = await console_client(role)
    data = {k: v.format(other=other) for k, v in ACTIONS[action].items()}
    response = await client.post_form(f"/tickets/{ticket}/{action}", data)
    assert response.status == 303, await response.text()
    assert response.headers["Location"].startswith(f"/tickets/{ticket}?done={action}")


@pytest.mark.parametrize("path", ["/", "/tickets/1", "/audit", "/?q=banjir"])
async def test_signed_out_users_see_no_page(console_client, path):
    anonymous = await console_client(None)
    response = await anonymous.get(path)
    assert response.status == 303 and response.headers["Location"].startswith("/login")
    assert "banjir" not in (await response.text()).lower()


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_signed_out_users_cannot_post_actions(console_client, console_engine, action):
    ticket, other = _two_tickets(console_engine)
    anonymous = await console_client(None)
    await anonymous.get("/login")  # has the login form's token, which must not open anything else
    token = anonymous.client.session.cookie_jar.filter_cookies(anonymous.client.make_url("/"))["dengar_login_csrf"].value
    data = {k: v.format(other=other) for k, v in ACTIONS[action].items()}
    response = await anonymous.client.post(f"/tickets/{ticket}/{action}", data={**data, "csrf_token": token}, allow_redirects=False)
    assert response.status == 401
