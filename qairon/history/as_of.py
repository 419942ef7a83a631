"""Point-in-time reads: the unchanged read code, run against the past.

For a read ``?as_of=<moment>`` the request's connection gets TEMPORARY views
with the names and columns of the resource and link tables, computed from the
change record: each object's version valid at the cut (its latest change up
to the cut), unless that change deleted it, and each link whose latest change
up to the cut linked it. Temporary
objects are searched before the schema's tables on PostgreSQL and SQLite
alike, so every query of the request — get, list with filters, sort and
pagination, fields, walks, effective defaults, capacity, the JSON:API face —
reads the past without knowing it.

A view is created only when a statement first names its table (a
``before_cursor_execute`` listener reads the statement), so a GET by ID
costs one view, not one per table; a table that has not changed since the
moment needs none (:mod:`qairon.history.past` writes the views). The views live in the request's
transaction and vanish with its rollback; the connection is released clean.
"""
import re
from functools import lru_cache

from sqlalchemy import event

from qairon.history import past
from qairon.models import REGISTRY

KEY = "qairon.as_of"


class PointInTime:
    """The cut a connection reads at, and the views created for it so far."""

    def __init__(self, cut):
        self.cut = cut
        self.created = set()


@lru_cache(maxsize=1)
def shadowed():
    """``{table name: ("resource", class) | ("link", LinkTable)}`` of every table a read may use."""
    from qairon.pipeline.deletion import link_tables
    out = {name: ("resource", cls) for name, cls in REGISTRY.items()}
    for link in link_tables():
        out[link.table.name] = ("link", link)
    return out


@lru_cache(maxsize=1)
def _names():
    words = sorted(shadowed(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")


def view_for(raw, dialect, name, cut):
    """The statement that shadows table ``name`` at ``cut``, or None when the table is exact."""
    kind, target = shadowed()[name]
    raw.execute(past.changed_after(kind, target, cut, past.REWIND_LIMIT))
    later = raw.fetchone()[0]
    if not later:
        return None
    return past.view_sql(dialect, name, kind, target, cut, rewind=later <= past.REWIND_LIMIT)


def create_views(conn, cursor, statement, _parameters, _context, _executemany):
    """``before_cursor_execute``: shadow the tables ``statement`` names, once each."""
    state = conn.info.get(KEY)
    if state is None:
        return
    wanted = set(_names().findall(statement)) - state.created
    if not wanted:
        return
    dialect = conn.dialect.name
    raw = cursor.connection.cursor()
    try:
        for name in sorted(wanted):
            statement = view_for(raw, dialect, name, state.cut)
            if statement is not None:
                raw.execute(statement)
            state.created.add(name)
    finally:
        raw.close()


def begin(session, cut):
    """Make the session read at change ``cut`` until its transaction ends (then it reads now)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN")
    connection.info[KEY] = PointInTime(cut)


def _release(dbapi_connection, record):
    """On check-in: no cut any more, and no view left behind (they die with the rollback;
    one that survived, as in autocommit, is dropped here)."""
    state = record.info.pop(KEY, None)
    if state is None or not state.created or dbapi_connection is None:
        return
    schema = "pg_temp" if "psycopg" in type(dbapi_connection).__module__ else "temp"
    try:
        cursor = dbapi_connection.cursor()
        for name in sorted(state.created):
            cursor.execute(f'DROP VIEW IF EXISTS {schema}."{name}"')  # none if not created
        cursor.close()
        dbapi_connection.commit()
    except Exception:  # a connection we cannot clean is not given to anyone else
        record.invalidate()


def install(engine):
    """Listen for statements to shadow on ``engine``; a connection is clean when pooled."""
    if not event.contains(engine, "before_cursor_execute", create_views):
        event.listen(engine, "before_cursor_execute", create_views)
    if not event.contains(engine.pool, "checkin", _release):
        event.listen(engine.pool, "checkin", _release)
