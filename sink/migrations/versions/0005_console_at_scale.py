"""console at scale: indexes for the status queue, dates, reports and the sources page; trigram indexes for text search

Revision ID: 0005
Revises: 0004
"""

from dataclasses import replace

from alembic import op

from sink.database import refresh_planner_statistics
from sink.text_search import INDEXES, create_text_search, drop_text_search


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# As this revision built them: every index kept by triggers (0006 defers the messages' one on SQLite).
INDEXES_KEPT_BY_TRIGGERS = tuple(replace(index, deferred=False) for index in INDEXES)


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_status_queue', ['status', 'is_complaint', 'member_count', 'last_seen', 'id'], unique=False)
        batch_op.create_index('ix_tickets_first_seen', ['first_seen'], unique=False)
        batch_op.create_index('ix_tickets_last_seen', ['last_seen'], unique=False)
    with op.batch_alter_table('raw_items', schema=None) as batch_op:
        batch_op.create_index('ix_raw_items_source_stored_at', ['source', 'stored_at'], unique=False)
        batch_op.create_index('ix_raw_items_stored_at', ['stored_at'], unique=False)
    create_text_search(op.get_bind(), INDEXES_KEPT_BY_TRIGGERS)
    refresh_planner_statistics(op.get_bind())


def downgrade() -> None:
    drop_text_search(op.get_bind())
    with op.batch_alter_table('raw_items', schema=None) as batch_op:
        batch_op.drop_index('ix_raw_items_stored_at')
        batch_op.drop_index('ix_raw_items_source_stored_at')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_last_seen')
        batch_op.drop_index('ix_tickets_first_seen')
        batch_op.drop_index('ix_tickets_status_queue')
