"""Signing in and out, sessions, CSRF, throttling and roles, through the real app and database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sink.models import AuditRow, ConsoleSessionRow, OperatorRow

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


async def _login_form(client):
    response = await client.get("/login")
    return CSRF_INPUT.search(await response.text()).group(1)


async def test_signed_out_user_is_sent_to_the_login_page(console_client):
    anonymous = await console_client(None)
    response = await anonymous.get("/")
    assert response.status == 303
    assert response.headers["Location"].startswith("/login?next=/")


async def test_login_sets_an_httponly_samesite_session_cookie_and_stores_only_its_hash(console_client, console_engine):
    anonymous = await console_client(None)
    token = await _login_form(anonymous.client)
    response = await anonymous.client.post("/login", data={"csrf_token": token, "username": "Operator",
                                                         "password": "kata-sandi-operator-2026", "next": "/"},
                                           allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = [h for h in response.headers.getall("Set-Cookie") if h.startswith("dengar_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    with console_engine.connect() as connection:
        stored = connection.execute(select(ConsoleSessionRow.token_hash)).scalars().all()
        assert stored and value not in stored
        assert connection.execute(select(AuditRow).where(AuditRow.action == "login", AuditRow.actor == "operator")).first()
    assert (await anonymous.get("/")).status == 200


async def test_secure_cookies_when_served_over_https(aiohttp_client, console_engine, console_settings):
    from dengar.console.app import create_console_app

    client = await aiohttp_client(create_console_app(console_engine, console_settings, secure_cookies=True))
    response = await client.get("/login")
    assert "Secure" in response.headers["Set-Cookie"]


async def test_wrong_password_is_refused_and_recorded(console_client):
    anonymous = await console_client(None)
    token = await _login_form(anonymous.client)
    response = await anonymous.client.post("/login", data={"csrf_token": token, "username": "operator", "password": "salah"},
                                           allow_redirects=False)
    assert response.status == 401
    assert "salah" in (await response.text()).lower()  # "Nama pengguna atau kata sandi salah."
    assert "dengar_session" not in response.cookies


async def test_login_without_the_form_token_is_refused(console_client):
    anonymous = await console_client(None)
    await anonymous.client.get("/login")
    response = await anonymous.client.post("/login", data={"username": "operator", "password": "kata-sandi-operator-2026"},
                                           allow_redirects=False)
    assert response.status == 403


async def test_repeated_failures_throttle_even_the_right_password(console_client, console_settings):
    anonymous = await console_client(None)
    token = await _login_form(anonymous.client)
    for _ in range(console_settings.console.login_max_failures):
        response = await anonymous.client.post("/login", data={"csrf_token": token, "username": "viewer", "password": "x" * 12})
        assert response.status == 401
    response = await anonymous.client.post("/login", data={"csrf_token": token, "username": "viewer",
                                                         "password": "kata-sandi-viewer-2026"}, allow_redirects=False)
    assert response.status == 429
    # another account is not locked by someone guessing this one
    response = await anonymous.client.post("/login", data={"csrf_token": token, "username": "social",
                                                         "password": "kata-sandi-social-2026"}, allow_redirects=False)
    assert response.status == 303


async def test_post_without_csrf_token_is_refused_for_a_signed_in_user(console_client):
    operator = await console_client("operator")
    response = await operator.post_form("/logout", csrf=False)
    assert response.status == 403
    response = await operator.post_form("/logout", {"csrf_token": "forged"})
    assert response.status == 403
    assert (await operator.get("/")).status == 200  # still signed in


async def test_cross_site_origin_is_refused_even_with_the_token(console_client):
    operator = await console_client("operator")
    response = await operator.client.post("/logout", data={"csrf_token": operator.csrf_token},
                                          headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert response.status == 403


async def test_logout_ends_the_session_on_the_server(console_client):
    operator = await console_client("operator")
    cookie = operator.client.session.cookie_jar.filter_cookies(operator.client.make_url("/"))["dengar_session"].value
    response = await operator.post_form("/logout")
    assert response.status == 303
    # replaying the old cookie does not bring the session back
    replay = await operator.client.get("/", cookies={"dengar_session": cookie}, allow_redirects=False)
    assert replay.status == 303


async def test_disabled_account_loses_its_session(console_client, console_engine):
    viewer = await console_client("viewer")
    with console_engine.begin() as connection:
        connection.execute(OperatorRow.__table__.update().where(OperatorRow.username == "viewer").values(disabled=True))
    assert (await viewer.get("/")).status == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
async def test_login_never_redirects_off_site(console_client, target):
    anonymous = await console_client(None)
    token = await _login_form(anonymous.client)
    response = await anonymous.client.post("/login", data={"csrf_token": token, "username": "admin",
                                                         "password": "kata-sandi-admin-2026", "next": target},
                                           allow_redirects=False)
    assert response.headers["Location"] == "/"


async def test_language_switch_to_english_and_back(console_client):
    viewer = await console_client("viewer")
    assert "Antrean tiket" in await viewer.page("/")
    response = await viewer.get("/lang/en?next=/")
    assert response.status == 303
    assert "Ticket queue" in await viewer.page("/")
    await viewer.get("/lang/id?next=/")
    assert "Antrean tiket" in await viewer.page("/")


async def test_pages_carry_security_headers(console_client):
    viewer = await console_client("viewer")
    response = await viewer.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
