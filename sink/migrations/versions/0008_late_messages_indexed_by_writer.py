"""late messages indexed by their writer: the SQLite messages' search index loses its insert trigger

Any INSERT trigger on mentions, even one whose WHEN clause never holds during an import, makes SQLite
keep a statement journal for every message inserted, which spilled to a temporary file (~10 page
writes per message). sink.outcomes.write_outcomes, the one writer of mentions, indexes the messages it
inserts below the catch-up's mark itself (SearchIndex.index_late_rows).

Revision ID: 0008
Revises: 0007
"""

from dataclasses import replace

from alembic import op

from sink.text_search import MESSAGES


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL keeps its pg_trgm GIN indexes
    bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {MESSAGES.name}_insert")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.exec_driver_sql(replace(MESSAGES, late_rows_by_writer=False).sqlite_late_insert_trigger())
