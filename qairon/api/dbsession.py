"""How requests use the database: reads without a transaction, and (for the
benchmark) the number of SQL statements each request issued.

A ``GET`` under ``/api`` runs its statements on an autocommit connection: no
``BEGIN`` is sent and no ``ROLLBACK`` round trip is paid when the session
closes. Reads never write, and every write request (POST, PATCH, PUT, DELETE)
keeps its single transaction, so the rules in :mod:`qairon.pipeline.rules` see and
commit one consistent state.

With ``QAIRON_COUNT_SQL=1`` (config ``COUNT_SQL``) a ``before_cursor_execute``
listener counts the statements each request issues and the count is sent back
as a ``Qairon-SQL-Count`` header. Off by default: then nothing is installed.
"""
from flask import g, has_request_context, request
from sqlalchemy import event

from qairon.extensions import db

HEADER = "Qairon-SQL-Count"
READS = ("GET", "HEAD")
IDLE = 0  # psycopg2.extensions.TRANSACTION_STATUS_IDLE


def enabled(config):
    """True when the config asks for the count (``1``, ``true``, ``yes``)."""
    return str(config.get("COUNT_SQL", "")).lower() in ("1", "true", "yes")


def reads_autocommit():
    """Put a read request's connection in autocommit (PostgreSQL): no BEGIN, no ROLLBACK.

    The psycopg2 flag is client-side, so switching it costs no round trip; it is
    switched back when the connection returns to the pool (:func:`_transactional`).
    A point-in-time read (``?as_of=``) keeps its transaction: its temporary views
    must vanish with the rollback (:mod:`qairon.history.as_of`).
    """
    if request.method in READS and request.path.startswith("/api/") \
            and "as_of" not in request.args and db.engine.dialect.name == "postgresql":
        dbapi = db.session.connection().connection.dbapi_connection
        if dbapi.info.transaction_status == IDLE:  # not inside a caller's transaction
            dbapi.autocommit = True


def _transactional(dbapi_connection, _record):
    """Every connection goes back to the pool transactional again."""
    if dbapi_connection is not None and getattr(dbapi_connection, "autocommit", None) is True:
        dbapi_connection.autocommit = False


def _count(*_args):
    if has_request_context():
        g.sql_count = g.get("sql_count", 0) + 1


def _header(response):
    response.headers[HEADER] = str(g.get("sql_count", 0))
    return response


def init_app(app):
    """Install the read-without-transaction hook and, when asked, the statement counter."""
    app.before_request(reads_autocommit)
    with app.app_context():
        engine = db.engine
    if not event.contains(engine.pool, "checkin", _transactional):
        event.listen(engine.pool, "checkin", _transactional)
    if enabled(app.config):
        if not event.contains(engine, "before_cursor_execute", _count):
            event.listen(engine, "before_cursor_execute", _count)
        app.after_request(_header)
