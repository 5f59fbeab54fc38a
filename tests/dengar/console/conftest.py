"""Console fixtures: a real SQLite database holding the imported samples and one account per role,
and aiohttp test clients signed in as each role (or signed out).

The samples are imported once per session into a template database; each test gets its own copy.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import Engine

from dengar.cli import main as dengar_main
from dengar.console.app import create_console_app
from dengar.settings import Settings, load_settings
from sink.accounts import ROLES, create_operator
from sink.database import open_engine

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


def password_for(role: str) -> str:
    return f"kata-sandi-{role}-2026"


@pytest.fixture(scope="session")
def console_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples imported and one user per role (username = role), built once."""
    path = tmp_path_factory.mktemp("console-template") / "template.db"
    url = f"sqlite:///{path}"
    assert dengar_main(["import", str(SAMPLES), "--db", url, "-q"]) == 0
    engine = open_engine(url)
    with engine.begin() as connection:
        for role in ROLES:
            create_operator(connection, role, password_for(role), role, actor="test")
    engine.dispose()
    return path


@pytest.fixture
def console_db_url(console_template_db: Path, tmp_path: Path) -> str:
    """A private copy of the sample database for one test (SQLite's backup API copies WAL content too)."""
    copy = tmp_path / "console.db"
    source, target = sqlite3.connect(console_template_db), sqlite3.connect(copy)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{copy}"


@pytest.fixture
def console_settings(console_db_url: str) -> Settings:
    return load_settings(REPO / "config" / "dengar.toml", console_db_url)


@pytest.fixture
def console_engine(console_settings: Settings) -> Engine:
    engine = open_engine(console_settings.database.url)
    yield engine
    engine.dispose()


@dataclass
class ConsoleClient:
    """A test client with the CSRF token of its session, so tests post forms as a browser would."""

    client: TestClient
    role: str | None
    csrf_token: str = ""

    async def get(self, path: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return await self.client.get(path, allow_redirects=False, **kwargs)

    async def page(self, path: str) -> str:
        """The page's HTML, asserting it answered 200."""
        response = await self.get(path)
        body = await response.text()
        assert response.status == 200, f"GET {path} -> {response.status}: {body[:500]}"
        return body

    async def post_form(self, path: str, data: dict[str, Any] | None = None, csrf: bool = True):  # type: ignore[no-untyped-def]
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf_token)
        return await self.client.post(path, data=form, allow_redirects=False)


async def login(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    form_page = await (await client.get("/login")).text()
    token = CSRF_INPUT.search(form_page).group(1)
    return await client.post("/login", data={"csrf_token": token, "username": username, "password": password, "next": "/"},
                             allow_redirects=False)


@pytest.fixture
def console_app(console_engine: Engine, console_settings: Settings):  # type: ignore[no-untyped-def]
    return create_console_app(console_engine, console_settings)


@pytest.fixture
def console_client(aiohttp_client, console_app) -> Callable[[str | None], Awaitable[ConsoleClient]]:  # type: ignore[no-untyped-def]
    """``await console_client("operator")``: a client signed in as that role; ``None``: signed out."""

    async def make(role: str | None) -> ConsoleClient:
        client = await aiohttp_client(console_app)
        if role is None:
            return ConsoleClient(client, None)
        response = await login(client, role, password_for(role))
        assert response.status == 303, f"login as {role} failed: {response.status} {await response.text()}"
        home = await (await client.get("/")).text()
        return ConsoleClient(client, role, CSRF_META.search(home).group(1))

    return make
