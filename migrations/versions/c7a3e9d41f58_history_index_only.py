"""History: the indexes of point-in-time reads answer from the index alone (PostgreSQL).

A version's validity (``id``, ``superseded_by``), whether it is a link and its
operation are carried in the indexes, so counting the objects valid at a
moment, and finding the first page of them in ID order, read no table row:
only the page's own rows are fetched. SQLite has no ``INCLUDE``; its indexes
stay as they are.

Revision ID: c7a3e9d41f58
Revises: 9b1e4d2c7a30
"""
from alembic import op

revision = 'c7a3e9d41f58'
down_revision = '9b1e4d2c7a30'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX ix_change_object")
    op.execute("CREATE INDEX ix_change_object ON change (resource, object_id, id) "
               "INCLUDE (superseded_by, operation, link)")
    op.execute("DROP INDEX ix_change_valid")
    op.execute("CREATE INDEX ix_change_valid ON change USING gist "
               "(resource, int8range(id, superseded_by)) INCLUDE (object_id, id, superseded_by) "
               "WHERE link IS NULL AND operation <> 'delete'")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX ix_change_object")
    op.execute("CREATE INDEX ix_change_object ON change (resource, object_id, id)")
    op.execute("DROP INDEX ix_change_valid")
    op.execute("CREATE INDEX ix_change_valid ON change USING gist "
               "(resource, int8range(id, superseded_by)) "
               "WHERE link IS NULL AND operation <> 'delete'")
