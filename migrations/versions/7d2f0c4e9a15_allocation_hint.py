"""allocation hint: how far each network is known to be full

The subnet allocator reads only the part of a network above this mark, so
allocating after 50,000 packed subnets does not read them all again.

Revision ID: 7d2f0c4e9a15
Revises: 3c5e7a91b2d4
Create Date: 2026-11-23 17:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d2f0c4e9a15'
down_revision = '3c5e7a91b2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'allocation_hint',
        sa.Column('network_id', sa.String(), nullable=False),
        sa.Column('full_until', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['network_id'], ['network.id'],
                                name=op.f('fk_allocation_hint_network_id_network'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('network_id', name=op.f('pk_allocation_hint')),
    )


def downgrade():
    op.drop_table('allocation_hint')
