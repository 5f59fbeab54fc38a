"""message search indexed off the import's path: the SQLite trigram index of mentions.text is filled by a catch-up instead of an insert trigger

Revision ID: 0006
Revises: 0005
"""

from dataclasses import replace

from alembic import op

from sink.text_search import MESSAGES, PROGRESS_TABLE


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL keeps its pg_trgm GIN indexes (GIN gathers new entries in a pending list)
    # built by 0005 and kept complete by its triggers: no reindexing (0007 defers the titles' index;
    # 0008 hands the messages' late rows to their writer)
    for statement in replace(MESSAGES, late_rows_by_writer=False).sqlite_defer_complete_index():
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    kept = replace(MESSAGES, deferred=False)
    for statement in [*kept.sqlite_drop(), *kept.sqlite_ddl()]:  # rebuilt over every row, kept by triggers again
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(f"DROP TABLE IF EXISTS {PROGRESS_TABLE}")
