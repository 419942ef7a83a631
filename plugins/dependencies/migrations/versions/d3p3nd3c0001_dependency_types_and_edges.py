"""dependencies: dependency types and dependency edges (the start of the plugin's branch)

Revision ID: d3p3nd3c0001
Revises: (none: the first revision of the ``dependencies`` branch)
Create Date: 2026-11-29 22:34:52.480311

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "d3p3nd3c0001"
down_revision = None
branch_labels = ("dependencies",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
OPTIONAL_JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql")


def common_columns():
    """The columns every resource has."""
    return [sa.Column("id", sa.String(), nullable=False),
            sa.Column("defaults", JSON, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("recon", OPTIONAL_JSON, nullable=True)]


def upgrade():
    op.create_table(
        "dependency_type",
        sa.Column("source_resource", sa.String(), nullable=False),
        sa.Column("target_resource", sa.String(), nullable=False),
        sa.Column("cardinality", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        *common_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependency_type")))
    op.create_table(
        "dependency",
        sa.Column("dependency_type_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        *common_columns(),
        sa.ForeignKeyConstraint(["dependency_type_id"], ["dependency_type.id"],
                                name=op.f("fk_dependency_dependency_type_id_dependency_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependency")))
    with op.batch_alter_table("dependency", schema=None) as batch_op:
        for column in ("dependency_type_id", "source", "target"):
            batch_op.create_index(batch_op.f(f"ix_dependency_{column}"), [column], unique=False)


def downgrade():
    with op.batch_alter_table("dependency", schema=None) as batch_op:
        for column in ("target", "source", "dependency_type_id"):
            batch_op.drop_index(batch_op.f(f"ix_dependency_{column}"))
    op.drop_table("dependency")
    op.drop_table("dependency_type")
