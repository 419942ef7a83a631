"""subnets of one network never overlap (PostgreSQL exclusion constraint)

On PostgreSQL the database itself refuses two subnets of one network whose
CIDRs overlap, whoever writes them. SQLite has no exclusion constraints: this
revision does nothing there (the model rule and the allocator's write lock
keep subnets apart).

Revision ID: 3c5e7a91b2d4
Revises: 0001
Create Date: 2026-11-23 17:30:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3c5e7a91b2d4'
down_revision = '0001'
branch_labels = None
depends_on = None

CONSTRAINT = "ex_subnet_network_cidr_overlap"


def _postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _postgresql():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(f"ALTER TABLE subnet ADD CONSTRAINT {CONSTRAINT} "
               "EXCLUDE USING gist (network_id WITH =, cidr inet_ops WITH &&)")


def downgrade():
    if not _postgresql():
        return
    op.execute(f"ALTER TABLE subnet DROP CONSTRAINT IF EXISTS {CONSTRAINT}")
