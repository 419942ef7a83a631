"""Fixtures shared by the server suites: ``app``, ``client``, ``db_session``.

Every test that uses ``app`` runs twice: on SQLite (always) and on PostgreSQL
when ``QAIRON_TEST_DATABASE_URL`` names a server (a fresh database is created
for the run, migrated with Alembic, and dropped at the end). Without it the
PostgreSQL runs are skipped and say why.
"""
import os
import sys
import tempfile

import pytest
from sqlalchemy import text

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from qairon import create_app  # noqa: E402
from qairon.extensions import db  # noqa: E402
from tests.support.live_server import PostgresDatabase  # noqa: E402

PG_URL = os.environ.get("QAIRON_TEST_DATABASE_URL")
PG_SKIP = ("PostgreSQL skipped: set QAIRON_TEST_DATABASE_URL "
           "(e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run it")


def migrated_app(uri):
    """An app on ``uri`` with the Alembic migrations applied, authentication off
    (the identity tests turn it on with the ``secured`` fixture of tests/identity)."""
    from flask_migrate import upgrade
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "TESTING": True, "AUTH": "off",
                      "SECRET_KEY": "test-only-secret-key"})
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def sqlite_app():
    handle, path = tempfile.mkstemp(suffix=".db", prefix="qairon-test-")
    os.close(handle)
    yield migrated_app("sqlite:///" + path)
    os.unlink(path)


@pytest.fixture(scope="session")
def postgresql_app():
    if not PG_URL:
        pytest.skip(PG_SKIP)
    database = PostgresDatabase(PG_URL)
    app = migrated_app(database.create())
    yield app
    with app.app_context():
        db.engine.dispose()
    database.drop()


def wipe(app):
    """Delete every row, children first, so each test starts empty."""
    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
        else:
            db.session.execute(text("UPDATE deployment SET current_release_id = NULL"))
            for table in tables:
                db.session.execute(text(f'DELETE FROM "{table}"'))
        db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request):
    """The application on each database, emptied before the test."""
    the_app = request.getfixturevalue(f"{request.param}_app")
    wipe(the_app)
    with the_app.app_context():
        yield the_app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
