"""Per-connection settings of the database, installed by the app factory, and
the statement time limit of the current request."""
from flask import current_app, g
from sqlalchemy import event, text

from qairon.extensions import db

LIMIT = "qairon_statement_limit_ms"


def sqlite_settings(dbapi_connection, _record):
    """SQLite enforces foreign keys only when asked, per connection: ask always."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def statement_limit_ms():
    """The statement time limit in force for the current request, in milliseconds.

    Every PostgreSQL connection starts with ``STATEMENT_TIMEOUT_MS`` (a
    connection option, :func:`qairon.config.engine_options`); a request may
    raise it for its own transaction with :func:`allow_statement_time`.
    """
    return g.get(LIMIT) or int(current_app.config.get("STATEMENT_TIMEOUT_MS") or 0)


def allow_statement_time(session, milliseconds):
    """Let the statements of the current transaction run up to ``milliseconds`` (PostgreSQL)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text(f"SET LOCAL statement_timeout = {int(milliseconds)}"))
    setattr(g, LIMIT, int(milliseconds))


def init_app(app):
    """Install the connection settings on ``app``'s engine."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect",
                                                                  sqlite_settings):
            event.listen(engine, "connect", sqlite_settings)
