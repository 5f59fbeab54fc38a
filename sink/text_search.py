"""Finding tickets by a piece of their text without reading every ticket and message.

The console's search is a case-insensitive substring match ("banjir", "jl. kenanga", "50%") on a
ticket's title and its messages' text, so the indexes are trigram indexes, which answer substring
questions exactly: on SQLite FTS5 tables with the ``trigram`` tokenizer over ``tickets.title`` and
``mentions.text``, kept in step by triggers whoever writes the rows; on PostgreSQL ``pg_trgm`` GIN
indexes on ``lower(title)`` and ``lower(text)``. A trigram index cannot serve a term shorter than
three characters: such a term is looked for by reading, which stays correct and is rare. Without
``pg_trgm`` (extension not installed) PostgreSQL reads too. A later migration that rebuilds
``tickets`` or ``mentions`` on SQLite (batch mode copies the table) drops the triggers with the old
table and must call ``create_text_search`` again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, column, func, select, table, union

from sink.models import MentionRow, TicketRow

MENTIONS = MentionRow.__table__
TICKETS = TicketRow.__table__
MIN_INDEXED_CHARS = 3
FTS_SHADOW_TABLES = ("data", "idx", "docsize", "config", "content")


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """One trigram index over one text column."""

    name: str  # the FTS5 table on SQLite, the GIN index on PostgreSQL
    table: str
    column: str

    def sqlite_ddl(self) -> list[str]:
        delete = f"INSERT INTO {self.name}({self.name}, rowid, {self.column}) VALUES ('delete', old.id, old.{self.column});"
        insert = f"INSERT INTO {self.name}(rowid, {self.column}) VALUES (new.id, new.{self.column});"
        return [
            f"CREATE VIRTUAL TABLE {self.name} USING fts5({self.column}, content='{self.table}', content_rowid='id', "
            "tokenize='trigram case_sensitive 0')",
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} BEGIN {insert} END",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} BEGIN {delete} END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {self.column} ON {self.table} BEGIN {delete} {insert} END",
            f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')",
        ]

    def sqlite_drop(self) -> list[str]:
        return [*(f"DROP TRIGGER IF EXISTS {self.name}_{event}" for event in ("insert", "delete", "update")),
                f"DROP TABLE IF EXISTS {self.name}"]

    def postgres_ddl(self) -> str:
        return f"CREATE INDEX IF NOT EXISTS {self.name} ON {self.table} USING gin (lower({self.column}) gin_trgm_ops)"

    def sqlite_matches(self, term: str) -> Any:
        """Row ids whose column contains ``term`` (a quoted FTS5 phrase: a substring to the trigram tokenizer)."""
        index = table(self.name, column("rowid"), column(self.name))
        return select(index.c.rowid).where(index.c[self.name].op("MATCH")('"' + term.replace('"', '""') + '"'))

    def objects(self) -> set[str]:
        return {self.name, *(f"{self.name}_{part}" for part in FTS_SHADOW_TABLES)}


TITLES = SearchIndex("tickets_title_search", "tickets", "title")
MESSAGES = SearchIndex("mentions_text_search", "mentions", "text")
INDEXES = (TITLES, MESSAGES)
SEARCH_OBJECTS = frozenset(name for index in INDEXES for name in index.objects())


def create_text_search(connection: Connection) -> None:
    """Build the indexes over the rows already stored (a migration step)."""
    if connection.dialect.name == "sqlite":
        for index in INDEXES:
            for statement in index.sqlite_ddl():
                connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        try:
            with connection.begin_nested():  # a missing extension must not abort the migration
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no pg_trgm here: searches read the rows instead
            return
        for index in INDEXES:
            connection.exec_driver_sql(index.postgres_ddl())


def drop_text_search(connection: Connection) -> None:
    for index in INDEXES:
        if connection.dialect.name == "sqlite":
            for statement in index.sqlite_drop():
                connection.exec_driver_sql(statement)
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")


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
        return union(TITLES.sqlite_matches(term),
                     select(MENTIONS.c.ticket_id).where(MENTIONS.c.id.in_(MESSAGES.sqlite_matches(term))))
    # PostgreSQL's planner picks the trigram indexes for these LIKEs by itself.
    pattern = like_pattern(term)
    return union(select(TICKETS.c.id).where(func.lower(TICKETS.c.title).like(pattern, escape="\\")),
                 select(MENTIONS.c.ticket_id).where(func.lower(MENTIONS.c.text).like(pattern, escape="\\")))


__all__ = ["INDEXES", "MIN_INDEXED_CHARS", "SearchIndex", "create_text_search", "drop_text_search", "is_search_object",
           "like_pattern", "tickets_containing"]
