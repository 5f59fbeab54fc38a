"""Opening the database and keeping its schema current."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
WAL_CHECKPOINT_PAGES = 10_000  # SQLite's default is 1,000 pages
ANALYSIS_ROWS = 1000  # rows sampled per index by ANALYZE: enough for the planner, cheap on any size


def open_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file (and its folder) is created on first use."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        _bind_plain_values_directly()
        engine = create_engine(url, json_serializer=_json_dumps, json_deserializer=orjson.loads)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_dumps, json_deserializer=orjson.loads)


def _json_dumps(value: object) -> str:
    # JSON columns are written for every message; orjson is ~10x faster than the stdlib here.
    return orjson.dumps(value).decode()


def _unchanged(value: object) -> object:
    return value


def _bind_plain_values_directly() -> None:
    """Identity adapters for the values Python's sqlite3 driver (3.11) looks up an adapter for.

    It binds only exact int, float and str without a look-up; for None, bytes and bool it searches
    its adapter registry, and the miss raises and formats an AttributeError inside the driver
    (~1,600 instructions per value: a message row binds a dozen NULLs). A registered adapter is a
    dict hit. Each returns what the driver binds anyway (bool as 0/1), so no stored value changes;
    registering is idempotent and the registry is the driver's own, process-wide.
    """
    sqlite3.register_adapter(type(None), _unchanged)
    sqlite3.register_adapter(bytes, _unchanged)
    sqlite3.register_adapter(bool, int)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the console read while the daemon writes; NORMAL is durable across process crashes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 64 MB of page cache: index pages of a million-message store stay in memory while importing.
    cursor.execute("PRAGMA cache_size=-65536")
    # A statement that changes many rows (a batch's raw items marked processed) keeps the pages it
    # changes in a statement journal; past 64 KB SQLite spills it to a temporary file, ~0.6 page
    # writes per imported message. In memory it is a batch's rows, about a megabyte.
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Checkpoint every ~40 MB of WAL instead of every 4 MB: the tickets' and indexes' hot pages, rewritten
    # by every batch, are copied into the database once per checkpoint, and each checkpoint syncs twice.
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    cursor.close()


def refresh_planner_statistics(bind: Engine | Connection) -> None:
    """Let SQLite's planner know the tables' sizes (sampled ANALYZE, ~0.1 s at 250k messages).

    Without statistics SQLite guesses, and at 100k tickets a wrong guess (an index that matches every
    row) turns a 10 ms console page into a 500 ms one. PostgreSQL's autovacuum analyzes by itself.
    """
    if bind.dialect.name != "sqlite":
        return
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            refresh_planner_statistics(connection)
        return
    bind.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_ROWS}")
    bind.exec_driver_sql("ANALYZE")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a no-op when it is already there."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def ensure_schema(engine: Engine) -> None:
    if current_revision(engine) != head_revision():
        upgrade(engine)
