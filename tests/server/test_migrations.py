"""The Alembic migrations describe exactly the models, on each database."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qairon.extensions import db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], diff


def test_schema_command_writes_the_committed_qcli_schema(runner):
    import json
    import os

    from qairon.api.schema import schema_document
    path = os.path.join(os.path.dirname(__file__), "..", "..", "qairon_qcli", "schema.json")
    with open(path, encoding="utf-8") as handle:
        committed = json.load(handle)
    assert committed == json.loads(json.dumps(schema_document())), \
        "qairon_qcli/schema.json is stale: run `make schema`"
    result = runner.invoke(args=["schema"])
    assert result.exit_code == 0 and json.loads(result.output) == committed
