"""Renaming: a new name for an object, new IDs for it and every descendant, no broken reference.

An ID is made of the parent's ID and the object's own name, so a new name
means new IDs for the object and for every object whose ID is built on it
(found from the models' ``id_parts``). IDs are primary keys that foreign keys
point at, so the rename is planned as a replacement, written through the
pipeline in one changeset: the new rows are created, every reference and link
moves to them, the old rows are deleted. The record notes both IDs
(``renamed_from`` on the create, ``renamed_to`` on the delete), so the old
ID's history and point-in-time reads keep answering, and a GET of the old ID
says where it went.
"""
from sqlalchemy import UniqueConstraint, select

from qairon.core.chunks import chunked
from qairon.core.errors import BadRequest, Conflict, NotFound
from qairon.core.ids import build_id, check_name_part
from qairon.extensions import db
from qairon.history.apply import Plan, _rank, write
from qairon.insight.graph import reference_parents
from qairon.models import REGISTRY
from qairon.pipeline.changes import row_values
from qairon.pipeline.deletion import link_tables, referrers

LISTED = 20


def _children(session, resource, ids):
    """Objects whose ID is built on one of ``ids`` of ``resource``: ``{resource: [rows]}``."""
    out = {}
    for cls in REGISTRY.values():
        references = cls.references()
        for field in reference_parents(cls):
            if references[field] != resource:
                continue
            column = cls.__table__.columns[field]
            for chunk in chunked(sorted(ids), 500):
                for obj in session.execute(select(cls).where(column.in_(chunk))).scalars():
                    out.setdefault(cls.resource, []).append(row_values(obj))
    return out


def rekeyed_rows(session, obj):
    """``{(resource, id): values}`` of the object and every object whose ID depends on it."""
    found = {(obj.resource, obj.id): row_values(obj)}
    frontier = {obj.resource: {obj.id}}
    while frontier:
        following = {}
        for resource, ids in frontier.items():
            for child, rows in _children(session, resource, ids).items():
                for row in rows:
                    if (child, row["id"]) not in found:
                        found[(child, row["id"])] = row
                        following.setdefault(child, set()).add(row["id"])
        frontier = following
    return found


def new_ids(rows, target, name_field, new_name):
    """``{(resource, old id): (new id, new values)}``, parents first."""
    rank = _rank()
    mapping = {}
    for key in sorted(rows, key=lambda k: (rank[k[0]], k[1])):
        resource, old_id = key
        cls = REGISTRY[resource]
        values = dict(rows[key])
        if key == target:
            values[name_field] = new_name
        for field, referenced in cls.references().items():
            moved = mapping.get((referenced, values.get(field)))
            if moved is not None:
                values[field] = moved[0]
        values["id"] = build_id(cls.id_parts, values)
        mapping[key] = (values["id"], values)
    for (resource, _old), (_new, values) in mapping.items():  # optional references, too
        for field, referenced in REGISTRY[resource].references().items():
            moved = mapping.get((referenced, values.get(field)))
            if moved is not None:
                values[field] = moved[0]
    return mapping


def _taken(session, mapping):
    taken = []
    for (resource, _old), (new_id, _values) in sorted(mapping.items()):
        cls = REGISTRY[resource]
        if session.execute(select(cls.id).where(cls.id == new_id)).first() is not None:
            taken.append({"resource": resource, "id": new_id})
    return taken


def _unique_beyond_id(cls):
    """The column names of each unique constraint of ``cls`` other than its ID."""
    return [[c.name for c in constraint.columns] for constraint in cls.__table__.constraints
            if isinstance(constraint, UniqueConstraint)]


def _refuse_unique_beyond_id(resource, object_id, new_name, mapping):
    """409 when a re-keyed row keeps values that must be unique beyond its ID: the new row
    would meet its own old one, as the old rows go only after the new ones arrive."""
    for (name, old_id), (new_id, values) in sorted(mapping.items()):
        for columns in _unique_beyond_id(REGISTRY[name]):
            shown = ", ".join(f"{c} {values.get(c)!r}" for c in columns)
            raise Conflict(
                f"{resource} {object_id!r} cannot be renamed to {new_name!r}: it would move "
                f"{name} {old_id!r} to {new_id!r}, and a rename creates the new rows before "
                f"it removes the old ones, while {shown} may belong to one {name} only",
                field="name",
                meta={"unique": {"resource": name, "id": old_id, "fields": columns}})


def plan_rename(session, obj, new_name):
    """The :class:`Plan` of renaming ``obj`` to ``new_name``, and the ID map old -> new."""
    cls = type(obj)
    names = cls.name_fields()
    if len(names) != 1:
        raise BadRequest(f"a {cls.resource} has no name of its own to change: its ID is made "
                         f"of {', '.join(cls.identity_fields())}", field="name")
    name_field = names[0]
    problem = check_name_part(name_field, new_name)
    if problem or not isinstance(new_name, str):
        raise BadRequest(problem or f"{name_field} must be text", field="name")
    if getattr(obj, name_field) == new_name:
        raise BadRequest(f"{cls.resource} {obj.id!r} is already named {new_name!r}",
                         field="name")
    rows = rekeyed_rows(session, obj)
    mapping = new_ids(rows, (obj.resource, obj.id), name_field, new_name)
    taken = _taken(session, mapping)
    if taken:
        shown = ", ".join(f"{t['resource']} {t['id']!r}" for t in taken[:LISTED])
        raise Conflict(f"{cls.resource} {obj.id!r} cannot be renamed to {new_name!r}: "
                       f"{shown} exists already", field="name", meta={"exists": taken})
    _refuse_unique_beyond_id(cls.resource, obj.id, new_name, mapping)
    plan = Plan()
    for (resource, old_id), (new_id, values) in mapping.items():
        plan.creates[(resource, new_id)] = values
        plan.deletes.add((resource, old_id))
    _repoint(session, rows, mapping, plan)
    _move_links(session, mapping, plan)
    return plan, {key: new for key, (new, _values) in mapping.items()}


def _repoint(session, rows, mapping, plan):
    """References from objects that keep their ID to objects that change it."""
    by_resource = {}
    for resource, old_id in rows:
        by_resource.setdefault(resource, set()).add(old_id)
    for resource, ids in by_resource.items():
        for cls, column, _nullable in referrers(resource):
            for chunk in chunked(sorted(ids), 500):
                for row_id, value in session.execute(select(cls.id, column)
                                                     .where(column.in_(chunk))):
                    if (cls.resource, row_id) in rows:
                        continue
                    plan.updates.setdefault((cls.resource, row_id), {})[column.key] = \
                        mapping[(resource, value)][0]


def _move_links(session, mapping, plan):
    for link in link_tables():
        ends = ((link.left, link.left_column), (link.right, link.right_column))
        for resource, column in ends:
            ids = sorted(i for r, i in mapping if r == resource)
            for chunk in chunked(ids, 500):
                for left, right in session.execute(select(link.left_column, link.right_column)
                                                   .where(column.in_(chunk))):
                    plan.unlinks.add((link.table.name, left, right))
                    new_left = mapping.get((link.left, left), (left,))[0]
                    new_right = mapping.get((link.right, right), (right,))[0]
                    plan.links.add((link.table.name, new_left, new_right))


def rename(resource, object_id, new_name):
    """Rename one object (re-keying what depends on it) as one changeset; the new ID map."""
    session = db.session
    obj = session.get(REGISTRY[resource], object_id)
    if obj is None:
        raise NotFound(f"{resource} {object_id!r} does not exist", field="id")
    plan, moved = plan_rename(session, obj, new_name)
    notes = {}
    for (name, old_id), new_id in moved.items():
        notes[(name, new_id, "create")] = {"renamed_from": old_id}
        notes[(name, old_id, "delete")] = {"renamed_to": new_id}
    new_id = moved[(resource, object_id)]
    changeset_id = write(plan, {"rename": {"resource": resource, "from": object_id,
                                           "to": new_id}}, notes, replace=True)
    renamed = {}
    for name, _old in moved:
        renamed[name] = renamed.get(name, 0) + 1
    return {"id": new_id, "renamed": renamed, "references": len(plan.updates),
            "links": len(plan.links), "changeset": changeset_id}
