"""console: triage times on tickets, status history, sessions, login attempts

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_triaged_at', WHEN, nullable=True))
        batch_op.add_column(sa.Column('status_changed_at', WHEN, nullable=True))
        batch_op.add_column(sa.Column('coordinated_at', WHEN, nullable=True))
        batch_op.add_column(sa.Column('resolved_at', WHEN, nullable=True))
        batch_op.create_index('ix_tickets_queue', ['member_count', 'last_seen', 'id'], unique=False)

    op.create_table('ticket_status_history',
    sa.Column('id', ID, nullable=False),
    sa.Column('ticket_id', ID, nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', WHEN, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_status_history'))
    )
    with op.batch_alter_table('ticket_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_status_history_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('console_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('operator_id', ID, nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', WHEN, nullable=False),
    sa.Column('expires_at', WHEN, nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_console_sessions_operator_id_operators')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_console_sessions'))
    )
    with op.batch_alter_table('console_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_console_sessions_operator_id'), ['operator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_console_sessions_expires_at'), ['expires_at'], unique=False)

    op.create_table('login_attempts',
    sa.Column('id', ID, nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', WHEN, nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_username_at', ['username', 'at'], unique=False)
        batch_op.create_index('ix_login_attempts_address_at', ['address', 'at'], unique=False)


def downgrade() -> None:
    op.drop_table('login_attempts')
    op.drop_table('console_sessions')
    op.drop_table('ticket_status_history')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_queue')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('coordinated_at')
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('first_triaged_at')
