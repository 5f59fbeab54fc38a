"""mentions remember whether their kelurahan was read from a name the kecamatan around it shares

"Banjir di Pasar Minggu" names kelurahan Pasar Minggu or anywhere in kecamatan Pasar Minggu; dedup
compares such a place with the tickets of that kecamatan as far as the kecamatan, and must do so
again after a restart, when it reads the open tickets' members back from this table. Rows stored
before read as named outright, as they were treated when stored.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


# A plain ALTER TABLE on both backends: a batch copy of the table would drop the search triggers
# that migration 0006 put on it (SQLite).


def upgrade() -> None:
    op.add_column('mentions', sa.Column('place_may_mean_kecamatan', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('mentions', 'place_may_mean_kecamatan')
