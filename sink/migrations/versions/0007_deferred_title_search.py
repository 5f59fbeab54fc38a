"""ticket search indexed off the import's path too: the SQLite trigram index of tickets.title is filled by the catch-up instead of an insert trigger

Its insert trigger wrote FTS5 pages inside every batch's transaction (~150 µs per new ticket) and made
SQLite spill the statement journal of the batch's later inserts to a temporary file.

Revision ID: 0007
Revises: 0006
"""

from dataclasses import replace

from alembic import op

from sink.text_search import PROGRESS_TABLE, TITLES


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL keeps its pg_trgm GIN indexes
    for statement in TITLES.sqlite_defer_complete_index():  # complete under 0005's triggers: no reindexing
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    kept = replace(TITLES, deferred=False)
    for statement in [*kept.sqlite_drop(), *kept.sqlite_ddl()]:  # rebuilt over every row, kept by triggers again
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(f"DELETE FROM {PROGRESS_TABLE} WHERE name = ?", (TITLES.name,))
