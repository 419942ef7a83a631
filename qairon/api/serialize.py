"""The plain JSON representation of resources: one shape for ORM objects and rows.

An object is ``{"id", "resource", <every visible column>}`` plus the relations
its resource declares ``embedded`` (a deployment's ``current_release`` with its
``release_artifacts``). :func:`row_dict` builds the columns part for rows and
objects alike; :func:`to_dict` nests relations of ORM objects; :func:`rows_dicts`
does the same for rows with one query per embedded relation.
"""
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload


def timestamp(value):
    """A stored timestamp as ISO 8601 text in UTC, with its offset (``...+00:00``)."""
    if value.tzinfo is None:  # SQLite keeps no zone; every timestamp is UTC
        return value.replace(tzinfo=timezone.utc).isoformat()
    return value.astimezone(timezone.utc).isoformat()


def _value(value):
    return timestamp(value) if isinstance(value, datetime) else value


def embedded_spec(cls):
    """``cls.embedded`` as a nested spec: ``{"current_release": {"release_artifacts": {}}}``."""
    return {relation: {name: {} for name in lists} for relation, lists in cls.embedded.items()}


def to_dict(obj, spec=None):
    """The plain-face object of an ORM object, with the relations of ``spec`` nested in it.

    ``spec`` maps relation names to the spec of what to nest inside each
    (a walk's path); by default it is the relations the resource declares
    ``embedded``. Columns go through :func:`row_dict`, as rows do.
    """
    cls = type(obj)
    out = row_dict(cls, [getattr(obj, name) for name in cls.column_names()])
    for name, sub in (embedded_spec(cls) if spec is None else spec).items():
        value = getattr(obj, name)
        if value is None:
            out[name] = None
        elif isinstance(value, list):
            out[name] = [to_dict(item, sub) for item in value]
        else:
            out[name] = to_dict(value, sub)
    return out


def eager_loads(cls, spec):
    """``selectinload`` chains for every relation of ``spec`` below ``cls``: one query each."""
    options = []
    for name, sub in spec.items():
        attr = getattr(cls, name)
        options.extend(_chained(selectinload(attr), attr.property.mapper.class_, sub))
    return options


def _chained(loader, cls, spec):
    out = [loader]
    for name, sub in spec.items():
        attr = getattr(cls, name)
        out.extend(_chained(loader.selectinload(attr), attr.property.mapper.class_, sub))
    return out


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
    for relation, lists in cls.embedded.items():
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
