"""The start of the history: a baseline of the rows that predate it, and pruning.

The history records writes; rows that were there before it (a database that
existed when the history was installed, rows bulk-loaded outside the
application) are recorded by a *baseline* changeset holding a ``create`` of
each such row (and a ``link`` of each such link), so that point-in-time reads
are complete from the baseline on. The migration that installs the history
records one; ``flask --app qairon history baseline`` records the rows found
since. :func:`prune` folds everything before a date into a baseline at that
date: the state then is kept, what happened before it is forgotten, and a
point-in-time read before it is refused, saying when the history starts.

Both work in SQL, set-wise, so they take seconds for millions of rows.
"""
from sqlalchemy import delete, inspect, select, text, update

from qairon.history import store
from qairon.history.models import changeset

PRUNED = "history"


def _json_of(connection, table):
    """SQL for the row of ``table`` (alias ``t``) as a JSON object of its columns.

    Only the columns the database has: a migration that runs this before a later
    one adds a column of the models reads the table as it stands then.
    """
    if connection.dialect.name == "postgresql":
        return "to_jsonb(t)"
    stored = {c["name"] for c in inspect(connection).get_columns(table.name)}
    parts = []
    for column in table.columns:
        if column.name not in stored:
            continue
        value = f't."{column.key}"'
        if column.type.__class__.__name__ in ("JSON", "JSONB"):
            value = f"json({value})"
        parts.append(f"'{column.key}', {value}")
    return f"json_object({', '.join(parts)})"


def _resource_sql(connection, cls):
    name = cls.__table__.name
    return text(
        f'INSERT INTO change (changeset_id, resource, object_id, operation, after) '
        f"SELECT :changeset, '{cls.resource}', t.id, 'create', {_json_of(connection, cls.__table__)} "
        f'FROM "{name}" t WHERE NOT EXISTS (SELECT 1 FROM change c WHERE '
        f"c.resource = '{cls.resource}' AND c.object_id = t.id AND c.link IS NULL "
        f"AND c.operation <> 'delete' AND c.id = (SELECT max(l.id) FROM change l WHERE "
        f"l.resource = c.resource AND l.object_id = c.object_id AND l.link IS NULL))")


def _link_sql(link):
    name, left, right = link.table.name, link.left_column.key, link.right_column.key
    return text(
        f"INSERT INTO change (changeset_id, resource, object_id, operation, link, other_id) "
        f"SELECT :changeset, '{link.left}', t.\"{left}\", 'link', '{name}', t.\"{right}\" "
        f'FROM "{name}" t WHERE NOT EXISTS (SELECT 1 FROM change c WHERE '
        f"c.resource = '{link.left}' AND c.link = '{name}' AND c.object_id = t.\"{left}\" "
        f"AND c.other_id = t.\"{right}\" AND c.operation = 'link' AND c.id = (SELECT max(l.id) "
        f"FROM change l WHERE l.resource = c.resource AND l.link = c.link "
        f"AND l.object_id = c.object_id AND l.other_id = c.other_id))")


def record_baseline(connection, actor="baseline", keep_empty=False):
    """Record a ``create`` of every row (and ``link`` of every link) the history lacks.

    Returns ``(changeset ID or None, {resource: count})``. Tables that do not
    exist (yet) are skipped, so a migration may call it.
    """
    from qairon.models import REGISTRY
    from qairon.pipeline.deletion import link_tables
    existing = set(inspect(connection).get_table_names())
    changeset_id = store.insert_changeset(connection, actor, {}, kind="baseline")
    counts = {}
    for name, cls in sorted(REGISTRY.items()):
        if cls.__table__.name in existing:
            n = connection.execute(_resource_sql(connection, cls),
                                   {"changeset": changeset_id}).rowcount
            if n:
                counts[name] = {"create": n}
    for link in link_tables():
        if link.table.name in existing:
            n = connection.execute(_link_sql(link), {"changeset": changeset_id}).rowcount
            if n:
                counts.setdefault(link.left, {})["link"] = \
                    counts.get(link.left, {}).get("link", 0) + n
    if not counts and not keep_empty:
        connection.execute(delete(changeset).where(changeset.c.id == changeset_id))
        return None, counts
    connection.execute(update(changeset).where(changeset.c.id == changeset_id)
                       .values(summary=counts))
    return changeset_id, counts


def prune(connection, before):
    """Forget the changes before ``before`` (an aware datetime), keeping the state then.

    The last changeset before it becomes the baseline: it keeps each object's
    latest change (as a ``create``) unless that deleted it, and each link's
    latest if it linked; every earlier change and changeset goes. Returns
    ``(baseline changeset ID or None, changes removed)``.
    """
    from qairon.history.cut import last_change_upto
    found = connection.execute(select(changeset.c.id).where(changeset.c.at < before)
                               .order_by(changeset.c.at.desc(), changeset.c.id.desc())
                               .limit(1)).scalar()
    if found is None:
        return None, 0
    cut = last_change_upto(connection, found)
    params = {"cut": cut, "baseline": found}
    removed = connection.execute(text(
        "DELETE FROM change WHERE id <= :cut AND id NOT IN (SELECT max(id) FROM change "
        "WHERE id <= :cut GROUP BY resource, object_id, link, other_id)"), params).rowcount
    removed += connection.execute(text(
        "DELETE FROM change WHERE id <= :cut AND operation IN ('delete', 'unlink')"),
        params).rowcount
    connection.execute(text(
        "UPDATE change SET changeset_id = :baseline, before = NULL, operation = CASE WHEN "
        "link IS NULL THEN 'create' ELSE 'link' END WHERE id <= :cut"), params)
    connection.execute(text("DELETE FROM changeset WHERE id < :baseline"), params)
    connection.execute(update(changeset).where(changeset.c.id == found).values(
        kind="baseline", at=before, actor=PRUNED, method=None, path=None, request_id=None,
        note={"pruned_before": before.isoformat()}))
    return found, removed
