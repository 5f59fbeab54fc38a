"""Raw items still to process are found through a partial index that processed rows leave (migration 0009)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import event, inspect

from collectors.types import RawItem
from sink.database import _alembic_config, ensure_schema, open_engine, upgrade
from sink.raw_store import mark_raw, pending_batches, store_raw

T0 = datetime(2026, 10, 3, 1, 0, tzinfo=timezone.utc)


def raw(external_id: str) -> RawItem:
    return RawItem("twitter", "test", external_id, b"{}", "application/json", T0, "test-file")


def _store_with_states(engine) -> dict[str, int]:
    with engine.begin() as connection:
        stored, _ = store_raw(connection, [raw(key) for key in ("a", "b", "c", "d")])
        ids = {s.item.external_id: s.id for s in stored}
        mark_raw(connection, [ids["a"], ids["b"]], "processed")
        mark_raw(connection, [ids["c"]], "quarantined")
    return ids


def _pending(engine, states: tuple[str, ...]) -> list[str]:
    return [s.item.external_id for batch in pending_batches(engine, 10, states) for s in batch]


def _index_names(engine) -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes("raw_items")}


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def test_pending_batches_find_new_and_quarantined_items_but_not_processed_ones(engine):
    ensure_schema(engine)
    _store_with_states(engine)
    assert _pending(engine, ("new",)) == ["d"]
    assert _pending(engine, ("quarantined",)) == ["c"]
    assert _pending(engine, ("new", "quarantined")) == ["c", "d"]
    assert _pending(engine, ("processed",)) == ["a", "b"]
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            indexed = connection.exec_driver_sql(
                "SELECT count(*) FROM raw_items INDEXED BY ix_raw_items_unprocessed WHERE state <> 'processed'").scalar()
        assert indexed == 2  # the processed rows left the index


def test_sqlite_reads_pending_items_through_the_partial_index(sqlite_url):
    engine = open_engine(sqlite_url)
    ensure_schema(engine)
    _store_with_states(engine)
    sent: list[tuple[str, tuple]] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, parameters, *_: sent.append((sql, parameters)))
    assert _pending(engine, ("new",)) == ["d"]
    sql, parameters = next((sql, parameters) for sql, parameters in sent if sql.startswith("SELECT"))
    with engine.connect() as connection:
        plan = " ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters))
    assert "ix_raw_items_unprocessed" in plan
    engine.dispose()


def test_migration_0009_indexes_the_unprocessed_rows_already_stored_and_downgrades(engine):
    upgrade(engine, "0008")
    _store_with_states(engine)
    assert "ix_raw_items_state" in _index_names(engine)
    upgrade(engine)
    assert {"ix_raw_items_unprocessed"} <= _index_names(engine) and "ix_raw_items_state" not in _index_names(engine)
    assert _pending(engine, ("new", "quarantined")) == ["c", "d"]
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    assert "ix_raw_items_state" in _index_names(engine) and "ix_raw_items_unprocessed" not in _index_names(engine)
    assert _pending(engine, ("new",)) == ["d"]  # still found, by reading
