"""SQLite enforces foreign keys only when asked, per connection: ask always."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def enable_foreign_keys(dbapi_connection, _record):
    """``PRAGMA foreign_keys=ON`` on every new SQLite connection."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
