"""operator state survives reprocess: fields an operator set, detachable outbox and status history

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# Audit actions of sink.ticket_actions and the ticket fields each one sets.
EDITS = {
    'set_category': 'category',
    'set_place': 'place',
    'set_agency': 'agency',
    'set_complaint': 'is_complaint',
}


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operator_fields', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('ticket_id', existing_type=ID, nullable=True)
        batch_op.add_column(sa.Column('message_keys', sa.JSON(), nullable=True))
    with op.batch_alter_table('ticket_status_history', schema=None) as batch_op:
        batch_op.alter_column('ticket_id', existing_type=ID, nullable=True)
        batch_op.add_column(sa.Column('message_keys', sa.JSON(), nullable=True))
    _backfill_operator_fields()


def _backfill_operator_fields() -> None:
    """Tickets edited before this revision: an edit counts when the ticket still shows what it set."""
    connection = op.get_bind()
    audit = sa.table('audit_log', sa.column('action'), sa.column('entity'), sa.column('entity_id'), sa.column('after', sa.JSON()))
    tickets = sa.table('tickets', sa.column('id', ID), sa.column('category'), sa.column('kota'), sa.column('kecamatan'),
                       sa.column('kelurahan'), sa.column('kelurahan_code'), sa.column('street'), sa.column('agency'),
                       sa.column('is_complaint'), sa.column('operator_fields', sa.JSON()))
    edits = connection.execute(
        sa.select(audit.c.action, audit.c.entity_id, audit.c.after)
        .where(audit.c.entity == 'ticket', audit.c.action.in_(list(EDITS)))
    ).all()
    fields: dict[int, set[str]] = {}
    for action, entity_id, after in edits:
        if not str(entity_id).isdigit() or not isinstance(after, dict):
            continue
        ticket = connection.execute(sa.select(tickets).where(tickets.c.id == int(entity_id))).first()
        if ticket is not None and all(getattr(ticket, name, None) == value for name, value in after.items()):
            fields.setdefault(ticket.id, set()).add(EDITS[action])
    for ticket_id, names in fields.items():
        connection.execute(sa.update(tickets).where(tickets.c.id == ticket_id).values(operator_fields=sorted(names)))


def downgrade() -> None:
    with op.batch_alter_table('ticket_status_history', schema=None) as batch_op:
        batch_op.drop_column('message_keys')
        batch_op.alter_column('ticket_id', existing_type=ID, nullable=False)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('message_keys')
        batch_op.alter_column('ticket_id', existing_type=ID, nullable=False)
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('operator_fields')
