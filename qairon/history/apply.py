"""Writing planned row operations through the ORM session, in an order the rules accept.

Restore, revert and rename all come down to a :class:`Plan`: rows to create
(with their full values), fields to set, rows to delete, links to add and
remove. :func:`apply` writes them through the session, so every flush runs
the write pipeline (rules, authorisation, the change record) like any other
write, and everything lands in the caller's one transaction:

1. links removed;  2. fields set (except references to rows still to create);
3. rows deleted, dependants first;  4. rows created, parents first (optional
references to rows of the same plan are set afterwards);  5. the fields left
over;  6. links added.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import DateTime

from qairon.core.errors import Conflict
from qairon.extensions import db
from qairon.history.record import changeset_of, note_changes
from qairon.models import REGISTRY, dependency_order
from qairon.pipeline import CASCADE_KEY


@dataclass
class Plan:
    """Row operations keyed by ``(resource, id)``; links by ``(link table, left, right)``."""

    creates: dict = field(default_factory=dict)
    updates: dict = field(default_factory=dict)
    deletes: set = field(default_factory=set)
    links: set = field(default_factory=set)
    unlinks: set = field(default_factory=set)

    def __bool__(self):
        return bool(self.creates or self.updates or self.deletes or self.links or self.unlinks)


def column_value(cls, name, value):
    """A value read back from the record, as the column takes it (timestamps parsed)."""
    column = cls.__table__.columns[name]
    if value is not None and isinstance(column.type, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _rank():
    return {name: i for i, name in enumerate(dependency_order())}


def _link_table(name):
    from qairon.history.as_of import shadowed
    return shadowed()[name][1]


def _get(session, resource, object_id):
    obj = session.get(REGISTRY[resource], object_id)
    if obj is None:
        raise Conflict(f"{resource} {object_id!r} does not exist any more", field="id",
                       meta={"missing": [{"resource": resource, "id": object_id}]})
    return obj


def _links(session, keys, add):
    for name, left_id, right_id in sorted(keys):
        link = _link_table(name)
        left = _get(session, link.left, left_id)
        right = _get(session, link.right, right_id)
        collection = getattr(left, link.relation)
        if add and right not in collection:
            collection.append(right)
        elif not add and right in collection:
            collection.remove(right)
    session.flush()


def _set_fields(session, updates):
    for (resource, object_id), fields in sorted(updates.items()):
        obj = _get(session, resource, object_id)
        cls = type(obj)
        for name, value in fields.items():
            setattr(obj, name, column_value(cls, name, value))
    session.flush()


def _deferred(cls, values, creates):
    """Optional references of a new row to rows the plan creates too (set afterwards)."""
    out = {}
    for name, target in cls.references().items():
        column = cls.__table__.columns[name]
        if column.nullable and values.get(name) is not None \
                and (target, values[name]) in creates:
            out[name] = values[name]
    return out


def _create(session, resource, values, later):
    cls = REGISTRY[resource]
    obj = cls()
    for name in cls.__table__.columns.keys():
        if name in values:
            setattr(obj, name, column_value(cls, name, values[name]))
    obj.last_updated_at = None
    for name in later:
        setattr(obj, name, None)
    session.add(obj)


def _unhook(session, deletes):
    """Clear optional references between rows that are all to be deleted."""
    for resource, object_id in sorted(deletes):
        cls = REGISTRY[resource]
        for name, target in cls.references().items():
            if not cls.__table__.columns[name].nullable:
                continue
            obj = _get(session, resource, object_id)
            value = getattr(obj, name)
            if value is not None and (target, value) in deletes:
                setattr(obj, name, None)
    session.flush()


def _delete_all(session, deletes, rank):
    _unhook(session, deletes)
    for resource in sorted({r for r, _ in deletes}, key=lambda r: -rank[r]):
        for object_id in sorted(i for r, i in deletes if r == resource):
            session.delete(_get(session, resource, object_id))
        session.flush()


def _create_all(session, creates, rank, later):
    for resource in sorted({r for r, _ in creates}, key=lambda r: rank[r]):
        cls = REGISTRY[resource]
        for (name, object_id), values in sorted(creates.items()):
            if name != resource:
                continue
            deferred = _deferred(cls, values, creates)
            _create(session, resource, values, deferred)
            if deferred:
                later.setdefault((resource, object_id), {}).update(deferred)
        session.flush()


def _split(updates, creates):
    """Field updates that can be made now, and those waiting for rows still to create."""
    now, later = {}, {}
    for key, fields in updates.items():
        refs = REGISTRY[key[0]].references()
        waits = {n for n, v in fields.items() if n in refs and (refs[n], v) in creates}
        if set(fields) - waits:
            now[key] = {n: v for n, v in fields.items() if n not in waits}
        if waits:
            later[key] = {n: fields[n] for n in waits}
    return now, later


def apply(session, plan, replace=False):
    """Write ``plan`` in the caller's transaction; raises (writing nothing) on any refusal.

    By default (undo) rows are deleted before others are created; with
    ``replace`` (rename) the new rows come first, references move to them,
    and the old rows go last.
    """
    rank = _rank()
    session.info[CASCADE_KEY] = False
    if replace:
        later = {}
        _create_all(session, plan.creates, rank, later)
        fields = {key: dict(values) for key, values in plan.updates.items()}
        for key, values in later.items():
            fields.setdefault(key, {}).update(values)
        if fields:
            _set_fields(session, fields)
        if plan.links:
            _links(session, plan.links, add=True)
        if plan.unlinks:
            _links(session, plan.unlinks, add=False)
        if plan.deletes:
            _delete_all(session, plan.deletes, rank)
        return
    now, later = _split(plan.updates, plan.creates)
    if plan.unlinks:
        _links(session, plan.unlinks, add=False)
    if now:
        _set_fields(session, now)
    if plan.deletes:
        _delete_all(session, plan.deletes, rank)
    _create_all(session, plan.creates, rank, later)
    if later:
        _set_fields(session, later)
    if plan.links:
        _links(session, plan.links, add=True)


def write(plan, note, notes=None, replace=False):
    """Apply ``plan`` through the request's session and commit it as one changeset."""
    note_changes(db.session, notes or {}, note)
    apply(db.session, plan, replace)
    db.session.commit()
    return changeset_of(db.session)
