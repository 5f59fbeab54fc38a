"""The accounts page: only admins see or change accounts, every change is audited, the last active admin stays."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sink.accounts import ROLES, create_operator
from sink.models import AuditRow, ConsoleSessionRow, OperatorRow

OPERATORS = OperatorRow.__table__
NEW_PASSWORD = "sandi-baru-yang-panjang"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


def password_for(role: str) -> str:
    return f"kata-sandi-{role}-2026"  # as the console fixtures made them


async def login(client, username: str, password: str):
    token = CSRF_INPUT.search(await (await client.get("/login")).text()).group(1)
    return await client.post("/login", data={"csrf_token": token, "username": username, "password": password, "next": "/"},
                             allow_redirects=False)


def _account(engine, username: str):
    with engine.connect() as connection:
        return connection.execute(select(OPERATORS).where(OPERATORS.c.username == username)).one()


def _audit(engine, action: str) -> list:
    with engine.connect() as connection:
        return connection.execute(select(AuditRow.__table__).where(AuditRow.action == action).order_by(AuditRow.id)).all()


@pytest.mark.parametrize("role", ROLES)
async def test_only_admins_see_accounts_and_others_get_403_on_every_change(console_client, console_engine, role):
    client = await console_client(role)
    viewer_id = _account(console_engine, "viewer").id
    page = await client.get("/accounts")
    if role == "admin":
        html = await page.text()
        assert page.status == 200
        for username in ROLES:
            assert f'data-account="{username}" data-role="{username}" data-disabled="no"' in html
        assert 'href="/accounts"' in html and "password_hash" not in html and "$argon2" not in html
        return
    assert page.status == 403
    assert 'href="/accounts"' not in await client.page("/")
    posts = [("/accounts", {"username": "baru", "password": NEW_PASSWORD, "role": "admin"}),
             (f"/accounts/{viewer_id}/role", {"role": "admin"}), (f"/accounts/{viewer_id}/disable", {}),
             (f"/accounts/{viewer_id}/password", {"password": NEW_PASSWORD})]
    for path, data in posts:
        assert (await client.post_form(path, data)).status == 403, path
    after = _account(console_engine, "viewer")
    assert after.role == "viewer" and not after.disabled
    with console_engine.connect() as connection:
        assert connection.execute(select(OPERATORS.c.id).where(OPERATORS.c.username == "baru")).first() is None


async def test_signed_out_sees_no_accounts_and_changes_nothing(console_client, console_engine):
    anonymous = await console_client(None)
    response = await anonymous.get("/accounts")
    assert response.status == 303 and response.headers["Location"].startswith("/login")
    viewer_id = _account(console_engine, "viewer").id
    assert (await anonymous.client.post(f"/accounts/{viewer_id}/role", data={"role": "admin"}, allow_redirects=False)).status == 403
    assert _account(console_engine, "viewer").role == "viewer"


async def test_admin_creates_an_account_that_can_sign_in(console_client, console_engine, aiohttp_client, console_app):
    admin = await console_client("admin")
    response = await admin.post_form("/accounts", {"username": "Siti.Rahma", "password": NEW_PASSWORD, "role": "social"})
    assert response.status == 303 and response.headers["Location"] == "/accounts?done=created&who=siti.rahma"
    assert _account(console_engine, "siti.rahma").role == "social"
    (entry,) = _audit(console_engine, "user_add")[-1:]
    assert entry.actor == "admin" and entry.before is None and entry.after == {"username": "siti.rahma", "role": "social"}
    fresh = await aiohttp_client(console_app)
    assert (await login(fresh, "siti.rahma", NEW_PASSWORD)).status == 303
    html = await admin.page("/accounts")
    last_login = re.search(r'data-account="siti.rahma".*?</tr>', html, re.S).group(0)
    assert "WIB" in last_login  # the login just made


@pytest.mark.parametrize("data, message", [
    ({"username": "admin", "password": NEW_PASSWORD, "role": "viewer"}, "already exists"),
    ({"username": "pendek", "password": "123", "role": "viewer"}, "too short"),
    ({"username": "x y<script>", "password": NEW_PASSWORD, "role": "viewer"}, "a username is"),
    ({"username": "peran", "password": NEW_PASSWORD, "role": "root"}, "unknown role"),
])
async def test_a_bad_new_account_is_refused_with_the_reason(console_client, console_engine, data, message):
    admin = await console_client("admin")
    before = len(_audit(console_engine, "user_add"))
    response = await admin.post_form("/accounts", data)
    body = await response.text()
    assert response.status == 409 and message in body and "<script>" not in body
    assert len(_audit(console_engine, "user_add")) == before


async def test_role_change_is_audited_and_applies_to_the_open_session(console_client, console_engine):
    admin = await console_client("admin")
    viewer = await console_client("viewer")
    assert (await viewer.get("/audit")).status == 403
    response = await admin.post_form(f"/accounts/{_account(console_engine, 'viewer').id}/role", {"role": "operator"})
    assert response.status == 303 and response.headers["Location"] == "/accounts?done=role"
    (entry,) = _audit(console_engine, "user_role")
    assert (entry.actor, entry.entity_id, entry.before, entry.after) == ("admin", "viewer", {"role": "viewer"}, {"role": "operator"})
    assert (await viewer.get("/audit")).status == 200
    again = await admin.post_form(f"/accounts/{_account(console_engine, 'viewer').id}/role", {"role": "operator"})
    assert again.status == 409 and len(_audit(console_engine, "user_role")) == 1


async def test_disable_signs_out_and_refuses_login_enable_lets_back_in(console_client, console_engine, aiohttp_client, console_app):
    admin = await console_client("admin")
    operator = await console_client("operator")
    operator_id = _account(console_engine, "operator").id
    assert (await admin.post_form(f"/accounts/{operator_id}/disable")).status == 303
    assert _account(console_engine, "operator").disabled
    assert (await operator.get("/")).status == 303  # the open session ended
    assert (await login(await aiohttp_client(console_app), "operator", password_for("operator"))).status != 303
    assert (await admin.post_form(f"/accounts/{operator_id}/enable")).status == 303
    assert (await login(await aiohttp_client(console_app), "operator", password_for("operator"))).status == 303
    disable, enable = _audit(console_engine, "user_disable"), _audit(console_engine, "user_enable")
    assert disable[0].before == {"disabled": False} and disable[0].after == {"disabled": True}
    assert enable[0].before == {"disabled": True} and enable[0].after == {"disabled": False}


async def test_new_password_replaces_the_old_one_and_ends_sessions(console_client, console_engine, aiohttp_client, console_app):
    admin = await console_client("admin")
    social = await console_client("social")
    social_id = _account(console_engine, "social").id
    short = await admin.post_form(f"/accounts/{social_id}/password", {"password": "pendek"})
    assert short.status == 409 and "too short" in await short.text()
    assert (await admin.post_form(f"/accounts/{social_id}/password", {"password": NEW_PASSWORD})).status == 303
    assert (await social.get("/mentions")).status == 303
    with console_engine.connect() as connection:
        assert connection.execute(select(ConsoleSessionRow.token_hash).where(ConsoleSessionRow.operator_id == social_id)).first() is None
    assert (await login(await aiohttp_client(console_app), "social", password_for("social"))).status != 303
    assert (await login(await aiohttp_client(console_app), "social", NEW_PASSWORD)).status == 303
    (entry,) = _audit(console_engine, "user_password")
    assert entry.actor == "admin" and entry.entity_id == "social" and NEW_PASSWORD not in str(entry.after) + str(entry.before)


async def test_the_last_active_admin_cannot_be_disabled_or_demoted(console_client, console_engine):
    admin = await console_client("admin")
    admin_id = _account(console_engine, "admin").id
    for path, data in ((f"/accounts/{admin_id}/disable", {}), (f"/accounts/{admin_id}/role", {"role": "operator"})):
        response = await admin.post_form(path, data)
        assert response.status == 409 and "last active admin" in await response.text()
    row = _account(console_engine, "admin")
    assert row.role == "admin" and not row.disabled
    # With a second admin that is disabled, the first is still the last active one.
    with console_engine.begin() as connection:
        second = create_operator(connection, "kepala", NEW_PASSWORD, "admin", actor="test")
    assert (await admin.post_form(f"/accounts/{second}/disable")).status == 303
    assert (await admin.post_form(f"/accounts/{admin_id}/role", {"role": "viewer"})).status == 409
    assert (await admin.post_form(f"/accounts/{second}/enable")).status == 303
    assert (await admin.post_form(f"/accounts/{admin_id}/role", {"role": "viewer"})).status == 303
    assert _account(console_engine, "admin").role == "viewer"
    assert (await admin.get("/accounts")).status == 403  # the demotion applies at once


async def test_changes_without_the_csrf_token_are_refused(console_client, console_engine):
    admin = await console_client("admin")
    viewer_id = _account(console_engine, "viewer").id
    assert (await admin.post_form(f"/accounts/{viewer_id}/role", {"role": "admin"}, csrf=False)).status == 403
    assert (await admin.post_form("/accounts/abc/role", {"role": "admin"})).status == 404
    assert (await admin.post_form(f"/accounts/{viewer_id}/delete")).status == 404
    assert (await admin.post_form("/accounts/999999/disable")).status == 409
    assert _account(console_engine, "viewer").role == "viewer"
