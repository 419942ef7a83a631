"""The ``record`` hook: every change of a write is kept, in the write's own transaction.

The hook stages the rows of each write (one per :class:`~qairon.pipeline.changes.Change`)
on the session, tagged with the transaction or savepoint they were written in;
a savepoint that rolls back takes its staged rows with it (a bulk import's
refused chunk), a transaction that rolls back takes them all. At commit the
staged rows become one changeset (:func:`qairon.history.store.write`), written
just before the database commits, so a refused or failed write leaves no
record and a committed one always has one.
"""
import json
from collections import namedtuple
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import g, has_request_context, request
from sqlalchemy.orm import scoped_session

from qairon.history import store
from qairon.pipeline.actor import actor_of

STAGED = "qairon.history.staged"
LAST = "qairon.history.changeset"
NOTES = "qairon.history.notes"
CHANGESET_NOTE = "qairon.history.changeset_note"
HEADER = "Qairon-Changeset"
Staged = namedtuple("Staged", "resource operation key text")


def _json_value(value):
    """What JSON holds for a column value it has no type for: timestamps as ISO-8601 text."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite keeps no zone; every timestamp is UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not a column value JSON can hold")


def stage_row(row):
    """A change row as it waits for the commit: its resource, operation and JSON text
    (compact text, so that a bulk import's rows cost little memory until then)."""
    return Staged(row["resource"], row["operation"],
                  (row["object_id"], row["link"], row["other_id"]),
                  json.dumps(row, default=_json_value, separators=(",", ":")))


def row_of(change, notes):
    """The ``change`` table row of one pipeline change (without its changeset)."""
    if change.operation in ("link", "unlink"):
        other_resource, other_id = change.other
        return {"resource": change.resource, "object_id": change.id,
                "operation": change.operation, "link": store.link_table_of(
                    change.resource, change.relation, other_resource),
                "other_id": other_id, "before": None, "after": None, "note": None}
    return {"resource": change.resource, "object_id": change.id,
            "operation": change.operation, "link": None, "other_id": None,
            "before": change.before, "after": change.after,
            "note": notes.get((change.resource, change.id, change.operation))}


def record(session, changes):
    """``record`` hook of the write pipeline: stage the rows of ``changes``."""
    if isinstance(session, scoped_session):
        session = session()
    notes = session.info.get(NOTES, {})
    rows = [stage_row(row_of(c, notes)) for c in changes]
    where = session.get_nested_transaction() or session.get_transaction()
    staged = session.info.setdefault(STAGED, [])
    if staged and staged[-1][0] is where:
        staged[-1][1].extend(rows)
    else:
        staged.append((where, rows))


def _boundary(transaction):
    """The savepoint or root transaction that a rollback of ``transaction`` undoes."""
    while transaction.parent is not None and not transaction.nested:
        transaction = transaction.parent
    return transaction


def _within(transaction, boundary):
    while transaction is not None:
        if transaction is boundary:
            return True
        transaction = transaction.parent
    return False


def rolled_back(session, transaction):
    """Forget what was staged inside the savepoint or transaction that rolled back."""
    staged = session.info.get(STAGED)
    if not staged:
        return
    boundary = _boundary(transaction)
    if boundary.parent is None:
        session.info.pop(STAGED, None)
        session.info.pop(NOTES, None)
        session.info.pop(CHANGESET_NOTE, None)
        return
    session.info[STAGED] = [(where, rows) for where, rows in staged
                            if not _within(where, boundary)]


def request_context():
    """The method, path and request ID of the current request, or the CLI's."""
    if has_request_context():
        return {"method": request.method, "path": request.path[:2000],
                "request_id": request.headers.get("X-Request-Id", "")[:200] or None}
    return {"method": None, "path": None, "request_id": None}


def before_commit(session):
    """Write the staged rows as one changeset, just before the transaction commits."""
    if session.in_nested_transaction():
        return
    session.info.pop(LAST, None)
    session.flush()
    staged = session.info.pop(STAGED, None)
    note = session.info.pop(CHANGESET_NOTE, None)
    session.info.pop(NOTES, None)
    rows = [row for _where, part in staged or () for row in part]
    if not rows:
        return
    changeset_id = store.write(session.connection(), rows, actor_of(session).name,
                               request_context(), note=note)
    session.info[LAST] = changeset_id
    if has_request_context():
        g.qairon_changeset = changeset_id


def changeset_of(session):
    """The changeset the session's last commit wrote, or None."""
    return session.info.get(LAST)


def note_changes(session, notes, changeset_note=None):
    """Attach notes to the changes about to be recorded: ``{(resource, id, operation): note}``."""
    session.info.setdefault(NOTES, {}).update(notes)
    if changeset_note is not None:
        session.info[CHANGESET_NOTE] = changeset_note


def header(response):
    """Name the changeset a request committed in the ``Qairon-Changeset`` header."""
    changeset_id = g.get("qairon_changeset")
    if changeset_id is not None:
        response.headers[HEADER] = str(changeset_id)
    return response
