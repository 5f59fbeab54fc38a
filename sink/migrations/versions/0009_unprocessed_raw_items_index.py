"""unprocessed raw items indexed alone: a partial index over the rows not yet processed replaces the index of every row's state

Every imported message was inserted into the state index as "new" and moved within it to "processed"
a moment later, one more B-tree insert per message into an index that grew with history, though the
only reader (sink.raw_store.pending_batches) looks for the few rows still "new" or "quarantined".

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Written out, not imported: a migration must keep doing what it did whatever the models say later.
UNPROCESSED_RAW = "state <> 'processed'"


def upgrade() -> None:
    op.drop_index('ix_raw_items_state', table_name='raw_items')
    op.create_index('ix_raw_items_unprocessed', 'raw_items', ['id'], unique=False,
                    sqlite_where=sa.text(UNPROCESSED_RAW), postgresql_where=sa.text(UNPROCESSED_RAW))


def downgrade() -> None:
    op.drop_index('ix_raw_items_unprocessed', table_name='raw_items')
    op.create_index('ix_raw_items_state', 'raw_items', ['state'], unique=False)
