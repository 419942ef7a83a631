"""dependency_cases: dependency cases, relatables, dependencies and related objects (the start
of the plugin's branch)

Revision ID: c45e0dep0001
Revises: (none: the first revision of the ``dependency_cases`` branch)
Create Date: 2026-11-30 02:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "c45e0dep0001"
down_revision = None
branch_labels = ("dependency_cases",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
OPTIONAL_JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql")

#: table -> (its own text columns, its references, its indexed columns)
TABLES = (
    ("dependency_case", ("relatable_type", "related_type", "allowed_relationship", "name"),
     (), ()),
    ("relatable", ("relatable_type", "object_id"), (), ("object_id",)),
    ("dependency", ("name",), ("dependency_case", "relatable"),
     ("dependency_case_id", "relatable_id")),
    ("related", ("related_type", "object_id"), ("dependency",), ("dependency_id", "object_id")),
)


def common_columns():
    """The columns every resource has."""
    return [sa.Column("id", sa.String(), nullable=False),
            sa.Column("defaults", JSON, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("recon", OPTIONAL_JSON, nullable=True)]


def upgrade():
    for table, columns, references, indexed in TABLES:
        op.create_table(
            table,
            *(sa.Column(c, sa.String(), nullable=False) for c in columns),
            *(sa.Column(f"{r}_id", sa.String(), nullable=False) for r in references),
            *common_columns(),
            *(sa.ForeignKeyConstraint([f"{r}_id"], [f"{r}.id"],
                                      name=op.f(f"fk_{table}_{r}_id_{r}")) for r in references),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexed:
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade():
    for table, _columns, _references, indexed in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexed:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
