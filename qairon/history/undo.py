"""Undoing mistakes: restore a deleted object (and its subtree), revert a changeset.

Both plan row operations from the record and write them with
:mod:`qairon.history.apply`, through the write pipeline, as one new changeset.
Nothing is written when any part is refused.
"""
from sqlalchemy import select

from qairon.core.chunks import chunked
from qairon.core.errors import Conflict, NotFound
from qairon.extensions import db
from qairon.history import reads
from qairon.history.apply import Plan, write
from qairon.history.cut import resolve
from qairon.history.models import change
from qairon.models import REGISTRY
from qairon.pipeline.deletion import link_tables, referrers

#: Columns a revert never sets back: the ID and the write's own timestamps.
KEPT = ("id", "created_at", "last_updated_at")
LISTED = 20


def _exists(session, resource, object_id):
    cls = REGISTRY[resource]
    return session.execute(select(cls.id).where(cls.id == object_id)).first() is not None


def _existing(session, resource, ids):
    cls = REGISTRY[resource]
    return set(session.execute(select(cls.id).where(cls.id.in_(sorted(ids)))).scalars())


def before_delete_cut(session, resource, object_id):
    """The cut just before the changeset that last deleted the object; 404 without one."""
    row = session.execute(select(change.c.operation, change.c.changeset_id).where(
        change.c.resource == resource, change.c.object_id == object_id,
        change.c.link.is_(None)).order_by(change.c.id.desc()).limit(1)).first()
    if row is None or row.operation != "delete":
        raise NotFound(f"{resource} {object_id!r} does not exist, and the history holds no "
                       f"delete of it to undo", field="id")
    first = session.execute(select(change.c.id).where(change.c.changeset_id == row.changeset_id)
                            .order_by(change.c.id).limit(1)).scalar()
    return first - 1


def subtree_at(session, resource, object_id, cut):
    """``{resource: {id: values}}`` of the object and everything depending on it at ``cut``."""
    found = {resource: {object_id: None}}
    frontier = {resource: {object_id}}
    while frontier:
        following = {}
        for name, ids in frontier.items():
            for cls, column, nullable in referrers(name):
                if nullable or (cls.resource == name and column.key == "id"):
                    continue
                candidates = reads.referring_at(session, cls.resource, column.key, ids, cut)
                states = reads.states_at(session, cls.resource, candidates, cut)
                for child, values in states.items():
                    if values.get(column.key) in ids and child not in found.get(cls.resource, {}):
                        found.setdefault(cls.resource, {})[child] = values
                        following.setdefault(cls.resource, set()).add(child)
        frontier = following
    return found


def _missing_references(session, plan):
    """Required references of the planned rows to objects that neither exist nor come back;
    optional ones are cleared (and listed)."""
    missing, cleared = [], []
    for (resource, object_id), values in sorted(plan.creates.items()):
        cls = REGISTRY[resource]
        for name, target in cls.references().items():
            value = values.get(name)
            if value is None or (target, value) in plan.creates or _exists(session, target, value):
                continue
            if cls.__table__.columns[name].nullable:
                values[name] = None
                cleared.append({"resource": resource, "id": object_id, "field": name,
                                "value": value})
            else:
                missing.append({"resource": target, "id": value,
                                "needed_by": {"resource": resource, "id": object_id}})
    return missing, cleared


def restore(resource, object_id, as_of=None, subtree=False):
    """Bring back a deleted object (and with ``subtree`` what depended on it) as it was."""
    session = db.session
    if _exists(session, resource, object_id) and not (subtree and as_of is not None):
        raise Conflict(f"{resource} {object_id!r} exists; there is nothing to restore (to "
                       f"bring back what was below it, restore its subtree as_of a moment)",
                       field="id")
    if as_of is not None:
        cut = resolve(session, as_of).change_id
    else:
        cut = before_delete_cut(session, resource, object_id)
    values = reads.state_at(session, resource, object_id, cut)
    if values is None:
        raise NotFound(f"{resource} {object_id!r} did not exist at that moment", field="as_of")
    objects = subtree_at(session, resource, object_id, cut) if subtree else {resource: {}}
    objects[resource][object_id] = values
    plan = Plan()
    for name, states in objects.items():
        present = _existing(session, name, states)
        for child, state in states.items():
            if child not in present:
                plan.creates[(name, child)] = dict(state)
    for link in link_tables():
        lefts = {i for (r, i) in plan.creates if r == link.left}
        rights = {i for (r, i) in plan.creates if r == link.right}
        for left, right in reads.links_at(session, link, lefts, rights, cut):
            plan.links.add((link.table.name, left, right))
    missing, cleared = _missing_references(session, plan)
    if missing:
        shown = ", ".join(f"{m['resource']} {m['id']!r}" for m in missing[:LISTED])
        raise Conflict(f"{resource} {object_id!r} cannot be restored: it needs {shown}, which "
                       f"no longer exist; restore them first", field="id",
                       meta={"missing": missing})
    plan.links = {(name, left, right) for name, left, right in plan.links
                  if _link_end_exists(session, plan, name, left, right)}
    kept = _references_back(session, plan, cut)
    note = {"restore": {"resource": resource, "id": object_id, "subtree": subtree}}
    changeset_id = write(plan, note)
    counts = {}
    for name, _id in plan.creates:
        counts[name] = counts.get(name, 0) + 1
    return {"id": object_id, "restored": counts, "links": len(plan.links), "cleared": cleared,
            "references": len(plan.updates), "kept": kept, "changeset": changeset_id}


def _references_back(session, plan, cut):
    """Set back the optional references to the restored objects from objects outside them
    (a cascade cleared them) where they are still empty; list those set to something else
    since, which stay as they are."""
    restored = {}
    for name, object_id in plan.creates:
        restored.setdefault(name, set()).add(object_id)
    kept = []
    for name, ids in sorted(restored.items()):
        for cls, column, nullable in referrers(name):
            if not nullable:
                continue
            outside = {i for i in reads.referring_at(session, cls.resource, column.key, ids, cut)
                       if (cls.resource, i) not in plan.creates}
            then = reads.states_at(session, cls.resource, outside, cut)
            for chunk in chunked(sorted(then), 500):
                for other, value in session.execute(select(cls.id, column)
                                                    .where(cls.id.in_(chunk))).all():
                    wanted = then[other].get(column.key)
                    if wanted not in ids or value == wanted:
                        continue
                    if value is None:
                        plan.updates.setdefault((cls.resource, other), {})[column.key] = wanted
                    else:
                        kept.append({"resource": cls.resource, "id": other,
                                     "field": column.key, "value": value, "was": wanted})
    return kept[:LISTED]


def _link_end_exists(session, plan, name, left, right):
    from qairon.history.as_of import shadowed
    link = shadowed()[name][1]
    return all((resource, value) in plan.creates or _exists(session, resource, value)
               for resource, value in ((link.left, left), (link.right, right)))


def _collapse(rows):
    """Per object: (first operation, first before, last operation, last after); per link:
    (first operation, last operation)."""
    objects, links = {}, {}
    for row in rows:
        if row.link is not None:
            key = (row.link, row.object_id, row.other_id)
            first = links.get(key, (row.operation,))[0]
            links[key] = (first, row.operation, row.resource)
            continue
        key = (row.resource, row.object_id)
        first = objects.get(key)
        objects[key] = (first[0] if first else row.operation, first[1] if first else row.before,
                        row.operation, row.after)
    return objects, links


def _changed_since(session, rows, last):
    """The objects and links of ``rows`` that later changes touched."""
    out, by_resource = [], {}
    for row in rows:
        by_resource.setdefault(row.resource, set()).add(row.object_id)
    for resource, ids in sorted(by_resource.items()):
        for chunk in chunked(sorted(ids), 500):
            later = session.execute(select(change.c.object_id, change.c.link, change.c.other_id,
                                           change.c.changeset_id)
                                    .where(change.c.resource == resource,
                                           change.c.object_id.in_(chunk), change.c.id > last)
                                    .order_by(change.c.id)).all()
            touched = {(r.link, r.object_id, r.other_id) for r in rows if r.resource == resource}
            touched |= {(None, r.object_id, None) for r in rows
                        if r.resource == resource and r.link is None}
            for row in later:
                key = (row.link, row.object_id, row.other_id)
                if key in touched:
                    out.append({"resource": resource, "id": row.object_id,
                                "link": row.link, "other_id": row.other_id,
                                "changeset": row.changeset_id})
    unique = {}
    for item in out:
        unique.setdefault((item["resource"], item["id"], item["link"], item["other_id"]), item)
    return list(unique.values())


def revert(changeset_id):
    """Apply the inverse of a changeset as one new changeset; 409 if anything changed since."""
    session = db.session
    rows = session.execute(select(change).where(change.c.changeset_id == changeset_id)
                           .order_by(change.c.id)).all()
    if not rows:
        raise NotFound(f"changeset {changeset_id} does not exist or changed nothing",
                       field="changeset")
    since = _changed_since(session, rows, rows[-1].id)
    if since:
        shown = ", ".join(f"{c['resource']} {c['id']!r} (changeset {c['changeset']})"
                          for c in since[:LISTED])
        raise Conflict(f"changeset {changeset_id} cannot be reverted: {len(since)} of its "
                       f"objects changed since: {shown}; nothing was written",
                       field="changeset", meta={"changed_since": since})
    objects, links = _collapse(rows)
    plan = Plan()
    for key, (first_op, before, last_op, after) in objects.items():
        existed, exists = first_op != "create", last_op != "delete"
        if not existed and exists:
            plan.deletes.add(key)
        elif existed and not exists:
            plan.creates[key] = dict(before)
        elif existed and exists:
            fields = {k: v for k, v in before.items()
                      if k not in KEPT and k not in REGISTRY[key[0]].hidden
                      and after.get(k) != v}
            if fields:
                plan.updates[key] = fields
    for (name, left, right), (first_op, last_op, _resource) in links.items():
        if first_op == last_op:
            (plan.unlinks if last_op == "link" else plan.links).add((name, left, right))
    result = write(plan, {"reverts": changeset_id})
    return {"reverted": changeset_id, "changeset": result,
            "created": len(plan.creates), "updated": len(plan.updates),
            "deleted": len(plan.deletes), "linked": len(plan.links),
            "unlinked": len(plan.unlinks)}
