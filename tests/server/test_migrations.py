"""The Alembic migrations describe exactly the models, on each database, and
``flask db migrate`` writes migrations that run without a hand edit."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qairon.extensions import db
from tests.conftest import PG_SKIP, PG_URL
from tests.support.live_server import PostgresDatabase


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


# --- `flask db migrate` writes migrations that run unedited -----------------

#: Run in a fresh interpreter: migrate a copy of migrations/ to head, check that
#: autogenerate finds nothing for the models as they are, add a throw-away
#: resource with every kind of column (reference, name, CIDR, JSON), autogenerate
#: its migration, apply it, and check that the database then matches the models.
AUTOGENERATE = """
import json, os, sys
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import migrate, upgrade
from qairon import create_app
from qairon.extensions import db

uri, directory = sys.argv[1], sys.argv[2]
versions = os.path.join(directory, "versions")
app = create_app({"SQLALCHEMY_DATABASE_URI": uri})
with app.app_context():
    upgrade(directory=directory)
    before = set(os.listdir(versions))
    migrate(directory=directory, message="nothing")
    unchanged = set(os.listdir(versions)) == before

    from qairon.models.base import JSONType, Resource, name_column, parent, reference
    from qairon.models.network import CIDRType

    class Throwaway(Resource):
        \"\"\"A resource added after the last migration.\"\"\"
        __tablename__ = "throwaway"
        id_parts = ("stack_id", "name")
        create = ("stack_id", "name", "cidr")
        stack_id = reference("stack")
        name = name_column()
        cidr = db.Column(CIDRType, nullable=False)
        settings = db.Column(JSONType, nullable=True)
        stack = parent("Stack", "throwaways")

    migrate(directory=directory, message="throwaway")
    (written,) = set(os.listdir(versions)) - before - {"__pycache__"}
    upgrade(directory=directory)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        left = [str(d) for d in compare_metadata(context, db.metadata)]
    print(json.dumps({"unchanged": unchanged, "written": written, "left": left}))
"""


def autogenerate(uri, tmp_path):
    """Run :data:`AUTOGENERATE` against ``uri``; its report and the migration it wrote."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    directory = tmp_path / "migrations"
    shutil.copytree(os.path.join(root, "migrations"), directory,
                    ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-c", AUTOGENERATE, uri, str(directory)],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report, (directory / "versions" / report["written"]).read_text()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The URL of a database with nothing in it, on each database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    database = PostgresDatabase(PG_URL)
    yield database.create()
    database.drop()


def test_flask_db_migrate_writes_a_migration_that_runs_unedited(empty_database, tmp_path):
    report, script = autogenerate(empty_database, tmp_path)
    assert report["unchanged"], "the migrations do not match the models"
    assert "op.create_table('throwaway'" in script
    assert "postgresql.JSONB(astext_type=sa.Text())" in script
    assert "from sqlalchemy.dialects import postgresql" in script
    assert report["left"] == []
