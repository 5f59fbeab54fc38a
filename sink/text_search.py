"""Finding tickets by a piece of their text without reading every ticket and message.

The console's search is a case-insensitive substring match ("banjir", "jl. kenanga", "50%") on a
ticket's title and its messages' text, so the indexes are trigram indexes, which answer substring
questions exactly: on SQLite FTS5 tables with the ``trigram`` tokenizer over ``tickets.title`` and
``mentions.text``; on PostgreSQL ``pg_trgm`` GIN indexes on ``lower(title)`` and ``lower(text)``. A
trigram index cannot serve a term shorter than three characters: such a term is looked for by
reading, which stays correct and is rare. Without ``pg_trgm`` (extension not installed) PostgreSQL
reads too.

On SQLite a trigram insert costs ~140 µs per row, more than the rest of the import's write, so both
indexes are brought up to date off the import's path (*deferred* indexes): each holds
exactly the rows whose id is at most its mark (``text_search_progress``), :func:`catch_up` indexes
the rows above the mark in short chunks, and a search reads the few rows above the mark directly,
so results are complete at every moment. Triggers keep the indexed part in step: a row deleted or
changed at or below the mark, or a late ticket inserted below it. A late message (a quarantined item
replayed, a source that stored its raw items earlier but processed them later) is indexed by the
messages' one writer, ``sink.outcomes.write_outcomes``, in the transaction that inserts it
(:meth:`SearchIndex.index_late_rows`): an insert trigger would cost every message of the import a
statement journal. A later migration that
rebuilds ``tickets`` or ``mentions`` on SQLite (batch mode copies the table) drops the triggers with
the old table and must create them again (:func:`create_text_search`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, column, func, literal_column, select, table, union

from sink.models import MentionRow, TicketRow

MENTIONS = MentionRow.__table__
TICKETS = TicketRow.__table__
MIN_INDEXED_CHARS = 3
FTS_SHADOW_TABLES = ("data", "idx", "docsize", "config", "content")
PROGRESS_TABLE = "text_search_progress"  # one row per deferred index: name, indexed_through (largest id indexed)
CATCH_UP_ROWS = 2000  # rows per catch-up transaction: ~0.3 s of writing, then writers get their turn
LATE_ROWS_PER_STATEMENT = 500  # far below SQLite's parameter limit
TABLES = {"tickets": TICKETS, "mentions": MENTIONS}


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """One trigram index over one text column; ``deferred`` on SQLite: filled by :func:`catch_up`."""

    name: str  # the FTS5 table on SQLite, the GIN index on PostgreSQL
    table: str
    column: str
    deferred: bool = False
    # No insert trigger: the table's one writer indexes the rows it inserts below the mark itself
    # (:meth:`index_late_rows`). Any trigger on INSERT makes SQLite keep a statement journal for
    # every row of an executemany, which spilled to a temporary file (~10 page writes per message).
    late_rows_by_writer: bool = False

    @property
    def mark(self) -> str:
        """SQL for the largest id the index holds (deferred indexes only)."""
        return f"(SELECT indexed_through FROM {PROGRESS_TABLE} WHERE name = '{self.name}')"

    def sqlite_ddl(self) -> list[str]:
        """The index and its triggers; a deferred one starts empty with its mark at 0 (catch_up fills it)."""
        delete = f"INSERT INTO {self.name}({self.name}, rowid, {self.column}) VALUES ('delete', old.id, old.{self.column});"
        insert = f"INSERT INTO {self.name}(rowid, {self.column}) VALUES (new.id, new.{self.column});"
        create = (f"CREATE VIRTUAL TABLE {self.name} USING fts5({self.column}, content='{self.table}', content_rowid='id', "
                  "tokenize='trigram case_sensitive 0')")
        if not self.deferred:
            return [
                create,
                f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} BEGIN {insert} END",
                f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} BEGIN {delete} END",
                f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {self.column} ON {self.table} BEGIN {delete} {insert} END",
                f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')",
            ]
        return [create, *self._progress_ddl(), f"INSERT INTO {PROGRESS_TABLE}(name, indexed_through) VALUES ('{self.name}', 0)",
                *self._deferred_triggers()]

    def _progress_ddl(self) -> list[str]:
        return [f"CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (name VARCHAR(100) PRIMARY KEY, indexed_through INTEGER NOT NULL)"]

    def _deferred_triggers(self) -> list[str]:
        # The index holds exactly the rows with id <= mark: only those are removed or changed in it,
        # and a row inserted below the mark (late) joins it at once; rows above wait for catch_up.
        delete = f"INSERT INTO {self.name}({self.name}, rowid, {self.column}) VALUES ('delete', old.id, old.{self.column});"
        insert = f"INSERT INTO {self.name}(rowid, {self.column}) VALUES (new.id, new.{self.column});"
        kept = [
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} WHEN old.id <= {self.mark} BEGIN {delete} END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {self.column} ON {self.table} WHEN old.id <= {self.mark} "
            f"BEGIN {delete} {insert} END",
        ]
        return kept if self.late_rows_by_writer else [self.sqlite_late_insert_trigger(), *kept]

    def sqlite_late_insert_trigger(self) -> str:
        """The trigger that indexes a row inserted below the mark (when the writer does not)."""
        insert = f"INSERT INTO {self.name}(rowid, {self.column}) VALUES (new.id, new.{self.column});"
        return f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} WHEN new.id <= {self.mark} BEGIN {insert} END"

    def index_late_rows(self, connection: Connection, ids: Sequence[int]) -> int:
        """Index the rows of ``ids`` (just inserted by the caller) that lie at or below the mark: the
        catch-up has passed them (a quarantined item replayed, a source whose batch was stored before
        another's but processed after). Returns how many. Call it after the insert, in its transaction,
        which then holds SQLite's write lock, so the mark cannot move before the commit."""
        if connection.dialect.name != "sqlite" or not self.deferred or not ids:
            return 0
        mark = connection.exec_driver_sql(f"SELECT {self.mark}").scalar()
        late = [row_id for row_id in ids if mark is not None and row_id <= mark]
        for start in range(0, len(late), LATE_ROWS_PER_STATEMENT):
            chunk = late[start : start + LATE_ROWS_PER_STATEMENT]
            connection.exec_driver_sql(
                f"INSERT INTO {self.name}(rowid, {self.column}) SELECT id, {self.column} FROM {self.table} "
                f"WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
        return len(late)

    def sqlite_defer_complete_index(self) -> list[str]:
        """Turn this index, complete and kept by plain triggers, into a deferred one without reindexing."""
        return [*self._drop_triggers(), *self._progress_ddl(),
                f"INSERT INTO {PROGRESS_TABLE}(name, indexed_through) SELECT '{self.name}', coalesce(max(id), 0) FROM {self.table}",
                *self._deferred_triggers()]

    def _drop_triggers(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.name}_{event}" for event in ("insert", "delete", "update")]

    def sqlite_drop(self) -> list[str]:
        return [*self._drop_triggers(), f"DROP TABLE IF EXISTS {self.name}"]

    def postgres_ddl(self) -> str:
        return f"CREATE INDEX IF NOT EXISTS {self.name} ON {self.table} USING gin (lower({self.column}) gin_trgm_ops)"

    def sqlite_containing(self, term: str) -> Any:
        """Ids of the rows whose column contains ``term``: the index's matches (a quoted FTS5 phrase is a
        substring to the trigram tokenizer), and for a deferred index the rows above its mark, read."""
        return union(*self.sqlite_containing_parts(term))

    def sqlite_containing_parts(self, term: str) -> list[Any]:
        """:meth:`sqlite_containing` as the SELECTs to unite, for a caller adding its own to one flat
        UNION (SQLite does not take a UNION nested in another as a term)."""
        index = table(self.name, column("rowid"), column(self.name))
        matches = select(index.c.rowid).where(index.c[self.name].op("MATCH")('"' + term.replace('"', '""') + '"'))
        if not self.deferred:
            return [matches]
        rows = TABLES[self.table]
        tail = select(rows.c.id).where(and_(
            rows.c.id > literal_column(self.mark),
            func.lower(rows.c[self.column]).like(like_pattern(term), escape="\\"),
        ))
        return [matches, tail]

    def objects(self) -> set[str]:
        return {self.name, *(f"{self.name}_{part}" for part in FTS_SHADOW_TABLES)}


TITLES = SearchIndex("tickets_title_search", "tickets", "title", deferred=True)
MESSAGES = SearchIndex("mentions_text_search", "mentions", "text", deferred=True, late_rows_by_writer=True)
INDEXES = (TITLES, MESSAGES)
DEFERRED = tuple(index for index in INDEXES if index.deferred)
SEARCH_OBJECTS = frozenset({PROGRESS_TABLE, *(name for index in INDEXES for name in index.objects())})


def create_text_search(connection: Connection, indexes: tuple[SearchIndex, ...] = INDEXES) -> None:
    """Build the indexes (a migration step): kept ones over the rows already stored, deferred ones empty."""
    if connection.dialect.name == "sqlite":
        for index in indexes:
            for statement in index.sqlite_ddl():
                connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        try:
            with connection.begin_nested():  # a missing extension must not abort the migration
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no pg_trgm here: searches read the rows instead
            return
        for index in indexes:
            connection.exec_driver_sql(index.postgres_ddl())


def drop_text_search(connection: Connection) -> None:
    for index in INDEXES:
        if connection.dialect.name == "sqlite":
            for statement in index.sqlite_drop():
                connection.exec_driver_sql(statement)
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {PROGRESS_TABLE}")


def catch_up(connection: Connection, limit: int = CATCH_UP_ROWS) -> int:
    """Index up to ``limit`` rows above each deferred index's mark; returns how many. Run it in its own
    short transaction: its first statement takes SQLite's write lock, so the mark cannot move meanwhile."""
    if connection.dialect.name != "sqlite":
        return 0
    indexed = 0
    for index in DEFERRED:
        connection.exec_driver_sql(f"UPDATE {PROGRESS_TABLE} SET indexed_through = indexed_through WHERE name = ?", (index.name,))
        mark = connection.exec_driver_sql(f"SELECT {index.mark}").scalar()
        if mark is None:  # the schema has no such index (not migrated): nothing to keep
            continue
        ids = connection.exec_driver_sql(
            f"SELECT count(*), max(id) FROM (SELECT id FROM {index.table} WHERE id > ? ORDER BY id LIMIT ?)", (mark, limit)
        ).one()
        if not ids[0]:
            continue
        connection.exec_driver_sql(
            f"INSERT INTO {index.name}(rowid, {index.column}) SELECT id, {index.column} FROM {index.table} "
            "WHERE id > ? AND id <= ? ORDER BY id", (mark, ids[1]))
        connection.exec_driver_sql(f"UPDATE {PROGRESS_TABLE} SET indexed_through = ? WHERE name = ?", (ids[1], index.name))
        indexed += ids[0]
    return indexed


def rows_behind(connection: Connection) -> int:
    """How many rows the deferred indexes have still to take in (searches read these directly)."""
    if connection.dialect.name != "sqlite":
        return 0
    total = 0
    for index in DEFERRED:
        mark = connection.exec_driver_sql(f"SELECT {index.mark}").scalar()
        if mark is not None:
            total += connection.exec_driver_sql(f"SELECT count(*) FROM {index.table} WHERE id > ?", (mark,)).scalar_one()
    return total


def forget_deferred_rows(connection: Connection) -> None:
    """Empty the deferred indexes and set their marks to 0, before their tables are emptied and
    rewritten (reprocess): one statement each instead of a trigram delete per row."""
    if connection.dialect.name != "sqlite":
        return
    for index in DEFERRED:
        if connection.exec_driver_sql(f"SELECT {index.mark}").scalar() is None:
            continue
        connection.exec_driver_sql(f"INSERT INTO {index.name}({index.name}) VALUES ('delete-all')")
        connection.exec_driver_sql(f"UPDATE {PROGRESS_TABLE} SET indexed_through = 0 WHERE name = ?", (index.name,))


def is_search_object(name: str | None) -> bool:
    """True for the indexes' own tables, which the declared models do not describe."""
    return name in SEARCH_OBJECTS


def like_pattern(term: str) -> str:
    """``term`` as a LIKE pattern matching it anywhere, its own % _ and \\ taken literally (escape \\)."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def tickets_containing(dialect: str, term: str) -> Any:
    """Ids of the tickets whose title or any message's text contains ``term`` (at least three characters)."""
    if len(term) < MIN_INDEXED_CHARS:
        raise ValueError(f"a trigram index needs at least {MIN_INDEXED_CHARS} characters")
    if dialect == "sqlite":
        return union(*TITLES.sqlite_containing_parts(term),
                     select(MENTIONS.c.ticket_id).where(MENTIONS.c.id.in_(MESSAGES.sqlite_containing(term))))
    # PostgreSQL's planner picks the trigram indexes for these LIKEs by itself.
    pattern = like_pattern(term)
    return union(select(TICKETS.c.id).where(func.lower(TICKETS.c.title).like(pattern, escape="\\")),
                 select(MENTIONS.c.ticket_id).where(func.lower(MENTIONS.c.text).like(pattern, escape="\\")))


__all__ = ["CATCH_UP_ROWS", "DEFERRED", "INDEXES", "MIN_INDEXED_CHARS", "PROGRESS_TABLE", "SearchIndex", "catch_up",
           "create_text_search", "drop_text_search", "forget_deferred_rows", "is_search_object", "like_pattern",
           "rows_behind", "tickets_containing"]
