"""Reading the change record: changes by filter, one changeset, one object's history.

Changes are listed newest first with a cursor on the change ID (``cursor``:
older than that ID), which stays stable while others write, since new changes
only ever get higher IDs; ``after`` lists the changes newer than an ID,
oldest first, which is how a follower polls.
"""
from sqlalchemy import or_, select

from qairon.core.chunks import chunked
from qairon.history.cut import aware
from qairon.history.models import change, changeset
from qairon.models import REGISTRY

SKIPPED = ("last_updated_at",)


def _visible(resource, values):
    if values is None:
        return None
    cls = REGISTRY.get(resource)
    hidden = cls.hidden if cls is not None else ()
    return {k: v for k, v in values.items() if k not in hidden}


def changed_fields(before, after):
    """The fields whose values differ (timestamps of the write itself left out)."""
    if before is None or after is None:
        return sorted(k for k in (before or after or {}) if k not in SKIPPED)
    keys = set(before) | set(after)
    return sorted(k for k in keys if k not in SKIPPED and before.get(k) != after.get(k))


def _link_side(resource, link):
    from qairon.history.as_of import shadowed
    found = shadowed().get(link)
    if found is None:
        return link, None
    target = found[1]
    return target.relation, target.right


def present(row):
    """The API form of a change row joined with its changeset's ``at`` and ``actor``."""
    out = {"id": row.id, "changeset": row.changeset_id, "at": aware(row.at).isoformat(),
           "actor": row.actor, "operation": row.operation, "resource": row.resource,
           "object_id": row.object_id}
    if row.link is not None:
        relation, other = _link_side(row.resource, row.link)
        out.update(relation=relation, other={"resource": other, "id": row.other_id})
    else:
        before = _visible(row.resource, row.before)
        after = _visible(row.resource, row.after)
        changed = changed_fields(before, after) if row.operation == "update" else []
        out.update(before=before, after=after, changed=changed)
    if row.note is not None:
        out["note"] = row.note
    return out


def _base():
    return select(change, changeset.c.at, changeset.c.actor) \
        .join(changeset, changeset.c.id == change.c.changeset_id)


def _like_prefix(prefix):
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return change.c.object_id.like(escaped + "%", escape="\\")


def query_changes(session, resource=None, object_id=None, id_prefix=None, actor=None,
                  changeset_id=None, lower=None, upper=None, cursor=None, after=None,
                  limit=100):
    """Up to ``limit`` changes and whether more follow.

    ``lower``/``upper`` bound change IDs (exclusive/inclusive), as the cuts of
    ``since``/``until`` give them; ``cursor`` pages back, ``after`` forwards.
    """
    query = _base()
    resources = [resource] if resource else sorted(REGISTRY)
    if object_id is not None:
        query = query.where(or_(
            (change.c.resource.in_(resources)) & (change.c.object_id == object_id),
            (change.c.other_id == object_id)))
    elif resource:
        query = query.where(change.c.resource == resource)
    if id_prefix:
        query = query.where(change.c.resource.in_(resources), _like_prefix(id_prefix))
    if actor:
        query = query.where(changeset.c.actor == actor)
    if changeset_id is not None:
        query = query.where(change.c.changeset_id == changeset_id)
    if lower is not None:
        query = query.where(change.c.id > lower)
    if upper is not None:
        query = query.where(change.c.id <= upper)
    if cursor is not None:
        query = query.where(change.c.id < cursor)
    if after is not None:
        query = query.where(change.c.id > after).order_by(change.c.id)
    else:
        query = query.order_by(change.c.id.desc())
    rows = session.execute(query.limit(limit + 1)).all()
    return [present(r) for r in rows[:limit]], len(rows) > limit


def changeset_row(session, changeset_id):
    """The changeset ``changeset_id`` as a dict, or None."""
    row = session.execute(select(changeset).where(changeset.c.id == changeset_id)).first()
    if row is None:
        return None
    return {"id": row.id, "at": aware(row.at).isoformat(), "actor": row.actor, "kind": row.kind,
            "request": {"method": row.method, "path": row.path, "id": row.request_id},
            "summary": row.summary or {}, "note": row.note}


def _incoming_links(resource):
    """The link tables whose right-hand side is ``resource``."""
    from qairon.pipeline.deletion import link_tables
    return [link.table.name for link in link_tables() if link.right == resource]


def predecessors(session, resource, object_id):
    """The IDs ``object_id`` had before renames, most recent first."""
    out, current, seen = [], object_id, {object_id}
    while True:
        note = session.execute(select(change.c.note).where(
            change.c.resource == resource, change.c.object_id == current,
            change.c.operation == "create", change.c.note.is_not(None))
            .order_by(change.c.id.desc()).limit(1)).scalar()
        previous = (note or {}).get("renamed_from")
        if not previous or previous in seen:
            return out
        out.append(previous)
        seen.add(previous)
        current = previous


def history(session, resource, object_id, cursor=None, limit=100):
    """Every change of one object (its links too, and under its former IDs), newest first."""
    ids = [object_id] + predecessors(session, resource, object_id)
    links = _incoming_links(resource)
    where = (change.c.resource == resource) & change.c.object_id.in_(ids)
    if links:
        where = where | (change.c.other_id.in_(ids) & change.c.link.in_(links))
    query = _base().where(where)
    if cursor is not None:
        query = query.where(change.c.id < cursor)
    rows = session.execute(query.order_by(change.c.id.desc()).limit(limit + 1)).all()
    return [present(r) for r in rows[:limit]], len(rows) > limit


def ever_recorded(session, resource, object_id):
    """True when the record holds any change of that object."""
    return session.execute(select(change.c.id).where(
        change.c.resource == resource, change.c.object_id == object_id).limit(1)).first() \
        is not None


def state_at(session, resource, object_id, cut):
    """The column values of an object at change ``cut`` (None when it did not exist then)."""
    row = session.execute(select(change.c.operation, change.c.after).where(
        change.c.resource == resource, change.c.object_id == object_id,
        change.c.link.is_(None), change.c.id <= cut)
        .order_by(change.c.id.desc()).limit(1)).first()
    if row is None or row.operation == "delete":
        return None
    return row.after


def successor(session, resource, object_id):
    """The ID an object was renamed to (following every later rename), or None."""
    current, seen = object_id, {object_id}
    while True:
        row = session.execute(select(change.c.operation, change.c.note).where(
            change.c.resource == resource, change.c.object_id == current,
            change.c.link.is_(None)).order_by(change.c.id.desc()).limit(1)).first()
        following = (row.note or {}).get("renamed_to") if row is not None and \
            row.operation == "delete" else None
        if not following or following in seen:
            return None if current == object_id else current
        seen.add(following)
        current = following


def states_at(session, resource, ids, cut):
    """``{id: values}`` of the objects among ``ids`` that existed at change ``cut``."""
    out = {}
    for chunk in chunked(sorted(ids), 500):
        rows = session.execute(select(change.c.object_id, change.c.operation, change.c.after)
                               .where(change.c.resource == resource,
                                      change.c.object_id.in_(chunk), change.c.link.is_(None),
                                      change.c.id <= cut)
                               .order_by(change.c.object_id, change.c.id.desc())).all()
        seen = set()
        for object_id, operation, after in rows:
            if object_id in seen:
                continue
            seen.add(object_id)
            if operation != "delete":
                out[object_id] = after
    return out


def referring_at(session, resource, column, ids, cut):
    """IDs of ``resource`` objects whose ``column`` held one of ``ids`` at some change up to ``cut``."""
    found = set()
    for chunk in chunked(sorted(ids), 500):
        found.update(session.execute(select(change.c.object_id).distinct().where(
            change.c.resource == resource, change.c.link.is_(None), change.c.id <= cut,
            change.c.after[column].as_string().in_(chunk))).scalars())
    return found


def links_at(session, link, left_ids=(), right_ids=(), cut=None):
    """``{(left, right)}`` rows of link table ``link`` (a LinkTable) at change ``cut``."""
    found = {}
    for column, ids in ((change.c.object_id, left_ids), (change.c.other_id, right_ids)):
        for chunk in chunked(sorted(ids), 500):
            rows = session.execute(select(change.c.object_id, change.c.other_id,
                                          change.c.operation)
                                   .where(change.c.resource == link.left,
                                          change.c.link == link.table.name, column.in_(chunk),
                                          change.c.id <= cut)
                                   .order_by(change.c.id)).all()
            for left, right, operation in rows:
                found[(left, right)] = operation
    return {pair for pair, operation in found.items() if operation == "link"}
