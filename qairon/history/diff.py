"""What changed between two moments: per resource, objects created, updated and deleted,
and per object the fields that differ (the state at one moment against the other)."""
from sqlalchemy import select

from qairon.history import reads
from qairon.history.as_of import shadowed
from qairon.history.cut import latest
from qairon.history.models import change
from qairon.models import REGISTRY

#: Objects compared at most; a larger interval is reported truncated.
MAX_OBJECTS = 5000


def touched(session, lower, upper, resource=None, id_prefix=None):
    """Distinct ``(resource, id, link, other_id)`` written in ``lower < change <= upper``."""
    query = select(change.c.resource, change.c.object_id, change.c.link, change.c.other_id) \
        .distinct().where(change.c.id > lower)
    if upper is not None:
        query = query.where(change.c.id <= upper)
    if resource:
        query = query.where(change.c.resource == resource)
    if id_prefix:
        escaped = id_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(change.c.object_id.like(escaped + "%", escape="\\"))
    return session.execute(query.order_by(change.c.resource, change.c.object_id)
                           .limit(MAX_OBJECTS + 1)).all()


def _fields(resource, before, after):
    hidden = REGISTRY[resource].hidden if resource in REGISTRY else ()
    names = reads.changed_fields(before, after)
    return {n: {"before": before.get(n), "after": after.get(n)} for n in names if n not in hidden}


def diff(session, lower, upper, resource=None, id_prefix=None):
    """The document of ``qcli diff``: counts per resource, objects, links."""
    lower = lower or 0
    upper = latest(session) if upper is None else upper
    rows = touched(session, lower, upper, resource, id_prefix)
    return compare(session, rows, lower, upper)


def compare(session, rows, lower, upper):
    """Compare the states at ``lower`` and ``upper`` of the ``touched`` rows."""
    truncated = len(rows) > MAX_OBJECTS
    rows = rows[:MAX_OBJECTS]
    objects, links = {}, {}
    for resource, object_id, link, other_id in rows:
        if link is None:
            objects.setdefault(resource, set()).add(object_id)
        else:
            links.setdefault(link, set()).add((object_id, other_id))
    counts, out = {}, []
    for resource, ids in sorted(objects.items()):
        before = reads.states_at(session, resource, ids, lower)
        after = reads.states_at(session, resource, ids, upper)
        for object_id in sorted(ids):
            old, new = before.get(object_id), after.get(object_id)
            if old is None and new is None:
                continue
            kind = "created" if old is None else "deleted" if new is None else "updated"
            fields = _fields(resource, old or {}, new or {}) if kind == "updated" else {}
            if kind == "updated" and not fields:
                continue
            counts.setdefault(resource, {"created": 0, "updated": 0, "deleted": 0})[kind] += 1
            out.append({"resource": resource, "id": object_id, "change": kind, "fields": fields})
    link_out = []
    for name, pairs in sorted(links.items()):
        table = shadowed()[name][1]
        lefts = {left for left, _right in pairs}
        was = reads.links_at(session, table, lefts, (), lower)
        now = reads.links_at(session, table, lefts, (), upper)
        for left, right in sorted(pairs):
            if (left, right) in was and (left, right) not in now:
                kind = "unlinked"
            elif (left, right) in now and (left, right) not in was:
                kind = "linked"
            else:
                continue
            link_out.append({"resource": table.left, "id": left, "relation": table.relation,
                             "other": {"resource": table.right, "id": right}, "change": kind})
    return {"resources": counts, "objects": out, "links": link_out, "truncated": truncated}
