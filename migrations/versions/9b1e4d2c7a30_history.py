"""history: the change record (changesets and changes) and its baseline

Every committed write records a changeset and one change per row it wrote
(qairon/history). The rows that exist when this migration runs predate the
history: they are recorded as one baseline changeset (a create of each row, a
link of each link), so that point-in-time reads are complete from now on.

Revision ID: 9b1e4d2c7a30
Revises: b41d7e2a9c63
Create Date: 2026-11-24 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '9b1e4d2c7a30'
down_revision = 'b41d7e2a9c63'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'changeset',
        sa.Column('id', sa.Integer(), sa.Identity(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('method', sa.String(), nullable=True),
        sa.Column('path', sa.String(), nullable=True),
        sa.Column('request_id', sa.String(), nullable=True),
        sa.Column('summary', JSON, nullable=True),
        sa.Column('note', JSON, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_changeset')),
    )
    op.create_index(op.f('ix_changeset_at'), 'changeset', ['at'])
    op.create_index('ix_changeset_actor_id', 'changeset', ['actor', 'id'])
    op.create_table(
        'change',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(),
                  nullable=False),
        sa.Column('changeset_id', sa.Integer(), nullable=False),
        sa.Column('resource', sa.String(), nullable=False),
        sa.Column('object_id', sa.String(), nullable=False),
        sa.Column('operation', sa.String(), nullable=False),
        sa.Column('link', sa.String(), nullable=True),
        sa.Column('other_id', sa.String(), nullable=True),
        sa.Column('before', JSON, nullable=True),
        sa.Column('after', JSON, nullable=True),
        sa.Column('note', JSON, nullable=True),
        sa.Column('superseded_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=True),
        sa.ForeignKeyConstraint(['changeset_id'], ['changeset.id'],
                                name=op.f('fk_change_changeset_id_changeset'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    )
    op.create_index('ix_change_object', 'change', ['resource', 'object_id', 'id'])
    op.create_index('ix_change_changeset', 'change', ['changeset_id', 'id'])
    op.create_index('ix_change_recent', 'change', ['resource', 'link', 'id'])
    op.create_index('ix_change_other', 'change', ['other_id', 'id'],
                    postgresql_where=sa.text('other_id IS NOT NULL'),
                    sqlite_where=sa.text('other_id IS NOT NULL'))
    if op.get_bind().dialect.name == 'postgresql':  # the versions valid at a moment
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute("CREATE INDEX ix_change_valid ON change USING gist "
                   "(resource, int8range(id, superseded_by)) "
                   "WHERE link IS NULL AND operation <> 'delete'")
    from qairon.history.baseline import record_baseline
    record_baseline(op.get_bind(), actor='migration', keep_empty=True)


def downgrade():
    op.drop_table('change')
    op.drop_table('changeset')
