"""Plain JSON representation of resources, and the eager loads it needs."""
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

#: Relations embedded in an object's plain representation: relation -> its to-many lists.
EMBEDDED = {
    "deployment": {"current_release": ("release_artifacts",)},
}


def _value(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite keeps no zone; every timestamp is UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat()
    return value


def columns_dict(obj):
    """``id``, ``resource`` and every visible column of ``obj``."""
    out = {"id": obj.id, "resource": obj.resource}
    for name in obj.column_names()[1:]:
        out[name] = _value(getattr(obj, name))
    return out


def to_dict(obj):
    """The plain-face object: columns plus the embedded relations of its resource."""
    out = columns_dict(obj)
    for relation, lists in EMBEDDED.get(obj.resource, {}).items():
        related = getattr(obj, relation)
        if related is None:
            out[relation] = None
            continue
        nested = columns_dict(related)
        for name in lists:
            nested[name] = [columns_dict(child) for child in getattr(related, name)]
        out[relation] = nested
    return out


def loader_options(cls):
    """Eager-load options so that serialising a page costs a constant number of queries."""
    options = []
    for relation, lists in EMBEDDED.get(cls.resource, {}).items():
        attr = getattr(cls, relation)
        if lists:
            loader = selectinload(attr)
            for name in lists:
                options.append(loader.selectinload(getattr(attr.property.mapper.class_, name)))
        else:
            options.append(selectinload(attr))
    return options


# --- rows: lists and reads without building ORM objects -------------------

def visible_columns(cls):
    """The table columns of every visible column, ``id`` first."""
    columns = cls.__table__.c
    return [columns[name] for name in cls.column_names()]


def row_dict(cls, row, names=None):
    """The plain-face object of a row selected with :func:`visible_columns`."""
    out = {"id": row[0], "resource": cls.resource}
    for name, value in zip(names or cls.column_names()[1:], row[1:], strict=True):
        out[name] = _value(value) if isinstance(value, datetime) else value
    return out


def rows_dicts(session, cls, rows):
    """Plain-face objects of ``rows``, with embedded relations loaded in one query each."""
    names = cls.column_names()[1:]
    out = [row_dict(cls, row, names) for row in rows]
    for relation, lists in EMBEDDED.get(cls.resource, {}).items():
        attr = getattr(cls, relation)
        (local, remote), = attr.property.local_remote_pairs
        keys = {o[local.key] for o in out if o[local.key] is not None}
        related = _fetch_related(session, attr.property.mapper.class_, remote, keys, lists)
        for o in out:
            o[relation] = related.get(o[local.key])
    return out


def _fetch_related(session, target, remote, keys, lists):
    """{key: object + its to-many ``lists``} of ``target`` rows whose ``remote`` is in keys."""
    if not keys:
        return {}
    rows = session.connection().execute(
        select(*visible_columns(target))
        .where(target.__table__.c[remote.key].in_(sorted(keys)))).all()
    names = target.column_names()[1:]
    objects = {o[remote.key]: o for o in (row_dict(target, r, names) for r in rows)}
    for name in lists:
        attr = getattr(target, name)
        (parent_key, child_fk), = attr.property.local_remote_pairs
        child = attr.property.mapper.class_
        for o in objects.values():
            o[name] = []
        children = session.connection().execute(
            select(*visible_columns(child))
            .where(child.__table__.c[child_fk.key].in_(sorted(objects)))
            .order_by(child.__table__.c.id)).all()
        child_names = child.column_names()[1:]
        for c in children:
            item = row_dict(child, c, child_names)
            objects[item[child_fk.key]][name].append(item)
    return objects


@lru_cache(maxsize=None)
def _by_id(cls):
    """The select of one object by ID, built once per resource (its cache key too)."""
    return select(*visible_columns(cls)).where(cls.__table__.c.id == bindparam("object_id"))


def one_dict(session, cls, object_id):
    """The plain-face object with ``object_id``, or None; one query plus embedded ones."""
    row = session.connection().execute(_by_id(cls), {"object_id": object_id}).first()
    return None if row is None else rows_dicts(session, cls, [row])[0]
