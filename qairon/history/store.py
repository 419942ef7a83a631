"""Writing a changeset: one statement for the changeset, one multi-row ``INSERT`` per 1,000 changes.

Change and changeset IDs must grow in commit order, so that "every change up
to ID N" is a state the database really had. On PostgreSQL the changeset is
inserted under a transaction-scoped advisory lock, taken just before the
commit and released by it: writers serialise only for that last moment, and
a writer that waited for another's rows already sees them committed. SQLite
allows one writer at a time anyway.
"""
import json
from functools import lru_cache

from sqlalchemy import insert, text

from qairon.history.models import change, changeset
from qairon.models.base import utcnow

#: The advisory lock that orders changesets (an arbitrary constant of Qairon's).
LOCK_KEY = 0x5152_4E48
CHUNK = 1000

_PG_ORDERED = (
    "WITH ordered AS (SELECT pg_advisory_xact_lock(:key)), "
    "changeset_row AS (INSERT INTO changeset (at, actor, kind, method, path, request_id, "
    "summary, note) SELECT clock_timestamp(), :actor, :kind, :method, :path, :request_id, "
    "CAST(:summary AS jsonb), CAST(:note AS jsonb) FROM ordered RETURNING id) ")
_PG_CHANGESET = text(_PG_ORDERED + "SELECT id FROM changeset_row")
#: The columns of a change row, in the order the JSON rows give them.
COLUMNS = ("resource", "object_id", "operation", "link", "other_id", "before", "after", "note")
_PG_RECORDSET = (
    "jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(resource text, object_id text, "
    "operation text, link text, other_id text, before jsonb, after jsonb, note jsonb)")
#: The versions the inserted changes replaced end where the first replacing change is.
_PG_SUPERSEDED = (
    ", superseded AS (UPDATE change c SET superseded_by = x.first FROM (SELECT resource, "
    "object_id, link, other_id, min(id) AS first FROM inserted WHERE operation IN ('update', "
    "'delete', 'unlink') GROUP BY resource, object_id, link, other_id) x WHERE c.resource = "
    "x.resource AND c.object_id = x.object_id AND c.link IS NOT DISTINCT FROM x.link AND "
    "c.other_id IS NOT DISTINCT FROM x.other_id AND c.superseded_by IS NULL AND c.id < x.first) ")


def _inserting(changeset, source):
    """The CTE inserting a JSON array of rows into ``change`` (and returning their keys)."""
    return (f"inserted AS (INSERT INTO change (changeset_id, {', '.join(COLUMNS)}) "
            f"SELECT {changeset}, r.* FROM {source}{_PG_RECORDSET} "
            "RETURNING id, resource, object_id, link, other_id, operation)")


_PG_FIRST = _PG_ORDERED + ", " + _inserting("changeset_row.id", "changeset_row, ")
#: The first statement of a changeset: with the end of replaced versions, and for a
#: changeset that only creates rows (nothing to end) without it.
_PG_FIRST_ENDING = _PG_FIRST + _PG_SUPERSEDED + "SELECT id FROM changeset_row"
_PG_FIRST_CREATING = _PG_FIRST + "SELECT id FROM changeset_row"
_PG_MORE = text("WITH " + _inserting(":changeset", "") + _PG_SUPERSEDED
                + "SELECT count(*) FROM inserted")
#: The parameters of the first statement, in order, with their types.
_PG_FIRST_PARAMETERS = (("key", "bigint"), ("actor", "text"), ("kind", "text"),
                        ("method", "text"), ("path", "text"), ("request_id", "text"),
                        ("summary", "text"), ("note", "text"), ("rows", "text"))
PREPARED = "qairon.history.prepared"


def _prepared(connection, name, sql):
    """``EXECUTE`` of ``sql`` prepared once per database connection as ``name``.

    The record is written by every write: preparing its statement spares the
    server parsing and planning it each time. A prepared statement belongs to
    the database session and survives rollbacks; a new connection prepares again.
    """
    info = connection.connection.info
    done = info.setdefault(PREPARED, set())
    if name not in done:
        positional = sql
        for number, (param, _type) in enumerate(_PG_FIRST_PARAMETERS, 1):
            positional = positional.replace(f":{param}", f"${number}")
        types = ", ".join(kind for _param, kind in _PG_FIRST_PARAMETERS)
        connection.exec_driver_sql(f"PREPARE {name} ({types}) AS {positional}")
        done.add(name)
    marks = ", ".join(["%s"] * len(_PG_FIRST_PARAMETERS))
    return f"EXECUTE {name} ({marks})"


@lru_cache(maxsize=None)
def link_table_of(resource, relation, other_resource):
    """The name of the link table behind ``resource.relation`` (to ``other_resource``)."""
    from qairon.pipeline.deletion import link_tables
    for link in link_tables():
        if link.left == resource and link.relation == relation:
            return link.table.name
    for link in link_tables():
        if link.left == resource and link.right == other_resource:
            return link.table.name
    raise LookupError(f"no link table for {resource}.{relation}")


def _json(value):
    return None if value is None else json.dumps(value)


def summarise(rows):
    """``{resource: {operation: count}}`` of the staged rows of a changeset."""
    out = {}
    for row in rows:
        counts = out.setdefault(row.resource, {})
        counts[row.operation] = counts.get(row.operation, 0) + 1
    return out


def insert_changeset(connection, actor, context, summary=None, note=None, kind="write"):
    """Insert one changeset row (in commit order) and return its ID."""
    values = {"actor": actor, "kind": kind, "method": context.get("method"),
              "path": context.get("path"), "request_id": context.get("request_id")}
    if connection.dialect.name == "postgresql":
        return connection.execute(_PG_CHANGESET, dict(
            values, key=LOCK_KEY, summary=json.dumps(summary), note=json.dumps(note))).scalar()
    return connection.execute(insert(changeset).values(
        at=utcnow(), summary=summary, note=note, **values).returning(changeset.c.id)).scalar()


#: Operations after which the previous version of the same row or link is no longer valid
#: (a create or link follows a delete or unlink, which no state shows anyway).
ENDING = ("update", "delete", "unlink")
_SAME = ("n.resource = change.resource AND n.object_id = change.object_id "
         "AND coalesce(n.link, '') = coalesce(change.link, '') "
         "AND coalesce(n.other_id, '') = coalesce(change.other_id, '') AND n.id > change.id")
_SUPERSEDE = text(
    f"UPDATE change SET superseded_by = (SELECT min(n.id) FROM change n "
    f"WHERE n.changeset_id = :changeset AND {_SAME}) "
    "WHERE superseded_by IS NULL AND (resource, object_id) IN (SELECT resource, object_id "
    "FROM change WHERE changeset_id = :changeset AND operation IN ('update', 'delete', "
    "'unlink')) AND EXISTS (SELECT 1 FROM change n WHERE n.changeset_id = :changeset "
    f"AND {_SAME})")


def supersede(connection, changeset_id):
    """End the validity of the versions that the changes of ``changeset_id`` replaced."""
    connection.execute(_SUPERSEDE, {"changeset": changeset_id})


def write(connection, rows, actor, context, note=None, kind="write"):
    """Insert a changeset and its staged ``rows`` (:class:`~qairon.history.record.Staged`,
    each the JSON text of a ``change`` row), ending the versions they replace; its ID.

    On PostgreSQL the rows travel as one JSON array per 1,000, expanded by
    ``jsonb_to_recordset``; the first array is inserted by the same statement
    as the changeset, which also ends the replaced versions, so a single write
    costs one statement.
    """
    if connection.dialect.name != "postgresql":
        changeset_id = insert_changeset(connection, actor, context, summarise(rows), note, kind)
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            connection.execute(insert(change), [dict(json.loads(r.text), changeset_id=changeset_id)
                                                for r in part])
        _close(connection, rows, changeset_id)
        return changeset_id
    values = {"key": LOCK_KEY, "actor": actor, "kind": kind, "method": context.get("method"),
              "path": context.get("path"), "request_id": context.get("request_id"),
              "summary": _json(summarise(rows)), "note": _json(note), "rows": _array(rows[:CHUNK])}
    if any(row.operation in ENDING for row in rows[:CHUNK]):
        statement = _prepared(connection, "qairon_record_ending", _PG_FIRST_ENDING)
    else:
        statement = _prepared(connection, "qairon_record_creating", _PG_FIRST_CREATING)
    changeset_id = connection.exec_driver_sql(
        statement, tuple(values[param] for param, _type in _PG_FIRST_PARAMETERS)).scalar()
    for start in range(CHUNK, len(rows), CHUNK):
        connection.execute(_PG_MORE, {"changeset": changeset_id,
                                      "rows": _array(rows[start:start + CHUNK])})
    if _repeated(rows):  # a change replaced by a later one of the same statement
        supersede(connection, changeset_id)
    return changeset_id


def _repeated(rows):
    """True when a row or link changes twice within one chunk, after its first change."""
    for start in range(0, len(rows), CHUNK):
        keys = [(row.resource, row.key) for row in rows[start:start + CHUNK]]
        if len(set(keys)) < len(keys):
            return True
    return False


def _array(rows):
    """One JSON array of the rows' texts."""
    return "[" + ",".join(row.text for row in rows) + "]"


def _close(connection, rows, changeset_id):
    """Supersede replaced versions, unless the changeset only created rows (a bulk import)."""
    if any(row.operation in ENDING for row in rows):
        supersede(connection, changeset_id)
