"""Deleting without orphans: refuse while children exist, or cascade on request.

Children are found generically from the foreign keys of every registered
resource. A cascade collects the subtree breadth-first with one query per
(level, referencing column), clears nullable references into it (such as a
deployment's ``current_release``), and deletes leaves first, all inside the
caller's transaction.
"""
from sqlalchemy import delete, func, select, update

from .errors import Conflict
from .models import REGISTRY

CASCADE_KEY = "qairon.cascade"
DELETED_KEY = "qairon.deleted"
CHUNK = 500


def referrers(resource):
    """(referencing class, column, nullable) for every column that points at ``resource``."""
    out = []
    for cls in REGISTRY.values():
        for field, target in cls.references().items():
            if target == resource:
                out.append((cls, cls.__table__.columns[field], cls.__table__.columns[field].nullable))
    return out


def _chunks(ids):
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def children_counts(session, obj):
    """How many rows of each resource still refer to ``obj``."""
    counts = {}
    for cls, column, _nullable in referrers(obj.resource):
        if cls is type(obj) and column.key == "id":
            continue
        n = session.execute(select(func.count()).select_from(cls).where(column == obj.id)).scalar()
        if n:
            counts[cls.resource] = counts.get(cls.resource, 0) + n
    return counts


def describe(counts):
    """``3 services and 1 stack_config`` from a count mapping."""
    parts = [f"{n} {name if n == 1 else REGISTRY[name].plural}" for name, n in sorted(counts.items())]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def collect_subtree(session, resource, ids):
    """Every row that depends on ``ids`` of ``resource``, transitively: resource -> set of IDs."""
    found = {resource: set(ids)}
    frontier = {resource: set(ids)}
    while frontier:
        following = {}
        for name, level_ids in frontier.items():
            for cls, column, nullable in referrers(name):
                if nullable:
                    continue
                for chunk in _chunks(level_ids):
                    rows = session.execute(select(cls.id).where(column.in_(chunk))).scalars()
                    new = set(rows) - found.setdefault(cls.resource, set())
                    if new:
                        found[cls.resource] |= new
                        following.setdefault(cls.resource, set()).update(new)
        frontier = following
    return found


def delete_subtree(session, found, keep=None):
    """Delete collected rows leaves first; ``keep`` (resource, id) is left to the ORM."""
    for name, ids in found.items():
        for cls, column, nullable in referrers(name):
            if nullable:
                for chunk in _chunks(ids):
                    session.execute(update(cls.__table__).where(column.in_(chunk)).values(
                        {column.key: None}))
    order = [t.name for t in reversed(_sorted_tables())]
    for table_name in order:
        ids = found.get(table_name, set()) - ({keep[1]} if keep and keep[0] == table_name else set())
        cls = REGISTRY[table_name]
        for chunk in _chunks(ids):
            session.execute(delete(cls.__table__).where(cls.__table__.c.id.in_(chunk)))
    return {name: len(ids) for name, ids in found.items() if ids}


def _sorted_tables():
    from .extensions import db
    return [t for t in db.metadata.sorted_tables if t.name in REGISTRY]


def before_delete(session, obj):
    """Refuse to orphan children, or cascade when the session asks for it."""
    if session.info.get(CASCADE_KEY):
        found = collect_subtree(session, obj.resource, [obj.id])
        session.info.setdefault(DELETED_KEY, {})
        for name, n in delete_subtree(session, found, keep=(obj.resource, obj.id)).items():
            session.info[DELETED_KEY][name] = session.info[DELETED_KEY].get(name, 0) + n
        return
    counts = children_counts(session, obj)
    if counts:
        raise Conflict(f"{obj.resource} {obj.id!r} still has {describe(counts)}; delete them "
                       f"first, or delete with cascade (qcli --cascade, REST ?cascade=true)", field="id",
                       meta={"children": counts})
    session.info.setdefault(DELETED_KEY, {}).setdefault(obj.resource, 0)
    session.info[DELETED_KEY][obj.resource] += 1
