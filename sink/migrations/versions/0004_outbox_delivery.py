"""outbox delivery: the CRM's reference, a claim (lease) per row, the last outcome, and giving up

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crm_request_id', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('crm_token', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('last_outcome', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('failed_at', WHEN, nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', WHEN, nullable=True))
        batch_op.create_index('ix_outbox_due', ['delivered_at', 'failed_at', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('last_outcome')
        batch_op.drop_column('crm_token')
        batch_op.drop_column('crm_request_id')
