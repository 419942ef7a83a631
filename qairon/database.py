"""Per-connection settings of the database, installed by the app factory."""
from sqlalchemy import event

from qairon.extensions import db


def sqlite_settings(dbapi_connection, _record):
    """SQLite enforces foreign keys only when asked, per connection: ask always."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def init_app(app):
    """Install the connection settings on ``app``'s engine."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect",
                                                                  sqlite_settings):
            event.listen(engine, "connect", sqlite_settings)
