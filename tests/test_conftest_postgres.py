"""The database fixtures give each test a working, empty, isolated database on both engines."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url


@pytest.fixture(scope="module")
def urls_seen() -> set[str]:
    """Database URLs handed out so far in this module, to prove none is handed out twice."""
    return set()


@pytest.fixture(scope="module")
def harness(request: pytest.FixtureRequest) -> ModuleType:
    """The conftest module pytest actually loaded (importlib mode gives it no importable name)."""
    conftest_path = Path(__file__).resolve().with_name("conftest.py")
    for plugin in request.config.pluginmanager.get_plugins():
        if Path(getattr(plugin, "__file__", "") or "/").resolve() == conftest_path:
            return plugin
    raise AssertionError(f"{conftest_path} was not loaded as a conftest")


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def test_db_url_runs_a_real_query(db_url: str, request: pytest.FixtureRequest) -> None:
    engine_name = request.node.callspec.params["db_url"]
    engine = _engine(db_url)
    complaints = sa.Table(
        "complaints",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    with engine.begin() as conn:
        complaints.create(conn)
        conn.execute(
            complaints.insert(),
            [{"text": "banjir di Kel. Kampung Melayu"}, {"text": "sampah menumpuk di Jl. Casablanca"}],
        )
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(complaints.c.text).where(complaints.c.text.like("%banjir%"))
        ).scalars().all()
    engine.dispose()
    assert rows == ["banjir di Kel. Kampung Melayu"]
    assert engine.dialect.name == {"sqlite": "sqlite", "postgres": "postgresql"}[engine_name]


@pytest.mark.postgres
def test_postgres_is_a_real_server(postgres_url: str) -> None:
    assert make_url(postgres_url).drivername == "postgresql+psycopg"
    engine = _engine(postgres_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("select version()")).scalar_one()
        fsync = conn.execute(sa.text("show fsync")).scalar_one()
    engine.dispose()
    assert version.startswith("PostgreSQL ")
    if not _is_external_server():
        assert fsync == "off"


def _is_external_server() -> bool:
    return bool(os.environ.get("DENGAR_TEST_POSTGRES_URL", "").strip())


def _claim_empty_database(db_url: str, urls_seen: set[str]) -> None:
    """Fails if this URL was handed out before or if the database already holds our table."""
    assert db_url not in urls_seen
    urls_seen.add(db_url)
    engine = _engine(db_url)
    with engine.begin() as conn:
        assert "isolation_probe" not in sa.inspect(conn).get_table_names()
        conn.execute(sa.text("CREATE TABLE isolation_probe (id INTEGER PRIMARY KEY)"))
    engine.dispose()


def test_first_test_gets_its_own_database(db_url: str, urls_seen: set[str]) -> None:
    _claim_empty_database(db_url, urls_seen)


def test_second_test_gets_its_own_database(db_url: str, urls_seen: set[str]) -> None:
    _claim_empty_database(db_url, urls_seen)


@pytest.mark.postgres
def test_fresh_database_is_dropped_even_while_connected(postgres_server) -> None:
    with postgres_server.fresh_database() as url:
        name = make_url(url).database
        lingering = _engine(url).connect()  # a test that forgot to close its connection
        assert lingering.execute(sa.text("select current_database()")).scalar_one() == name
    with psycopg.connect(postgres_server.admin_conninfo(), connect_timeout=10) as admin:
        still_there = admin.execute(
            "select count(*) from pg_database where datname = %s", (name,)
        ).fetchone()[0]
    assert still_there == 0
    with pytest.raises(sa.exc.OperationalError):
        lingering.execute(sa.text("select 1"))
    lingering.close()


def test_missing_postgres_fails_in_ci_and_skips_elsewhere(
    harness: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        harness._unavailable("initdb not found")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="initdb not found"):
        harness._unavailable("initdb not found")


def test_postgres_binaries_are_found_by_version_not_by_name(harness: ModuleType) -> None:
    paths = [
        "/usr/lib/postgresql/9.6/bin/initdb",
        "/usr/lib/postgresql/16/bin/initdb",
        "/usr/lib/postgresql/15/bin/initdb",
    ]
    assert sorted(paths, key=harness._version_key)[-1] == "/usr/lib/postgresql/16/bin/initdb"


def test_sqlite_url_is_a_fresh_file_in_tmp_path(sqlite_url: str, tmp_path: Path) -> None:
    database = Path(make_url(sqlite_url).database)
    assert database.parent == tmp_path
    assert not database.exists()


def test_repo_root_holds_the_project(repo_root: Path) -> None:
    assert (repo_root / "pyproject.toml").is_file()
    assert (repo_root / "tests" / "conftest.py").is_file()


def test_shared_dir_is_beside_the_repository(shared_dir: Path, repo_root: Path) -> None:
    assert shared_dir == (repo_root.parent / "shared").resolve()
    assert shared_dir.is_dir()
