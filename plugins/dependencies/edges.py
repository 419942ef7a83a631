"""The dependency edges in the walks, and the ends they keep in use.

:func:`up` and :func:`down` give a walk level's dependency edges with one
query per resource of the level (``trace`` goes from a source to its targets,
``impact`` from a target to the sources that depend on it). :func:`keep_ends`
is a pipeline hook: an object that is the end of a dependency is not deleted
(nor renamed away) while the dependency exists.
"""
from sqlalchemy import and_, or_, select

from qairon.core.chunks import chunked
from qairon.core.errors import Conflict
from qairon.extensions import db

from .models import Dependency, DependencyType

CHUNK = 5000
NAMED = 3


def _edges(frontier, near, far, near_resource, far_resource):
    """``((resource, near id), type name, (far resource, far id))`` of the frontier's edges."""
    out = []
    near_column, far_column = getattr(Dependency, near), getattr(Dependency, far)
    for resource, ids in frontier.items():
        for chunk in chunked(ids, CHUNK):
            rows = db.session.execute(
                select(near_column, DependencyType.name, getattr(DependencyType, far_resource),
                       far_column)
                .join(DependencyType, Dependency.dependency_type_id == DependencyType.id)
                .where(getattr(DependencyType, near_resource) == resource,
                       near_column.in_(chunk)))
            for near_id, name, other, far_id in rows:
                out.append(((resource, near_id), name, (other, far_id)))
    return out


def up(frontier):
    """What the frontier's objects depend on (trace)."""
    return _edges(frontier, "source", "target", "source_resource", "target_resource")


def down(frontier):
    """What depends on the frontier's objects (impact)."""
    return _edges(frontier, "target", "source", "target_resource", "source_resource")


def keep_ends(session, changes):
    """Pipeline hook: refuse to delete an object, or change its ID, while a dependency names it."""
    gone = {}
    for change in changes:
        if change.operation == "delete" or (change.operation == "update" and change.before
                                            and change.before.get("id") != change.id):
            gone.setdefault(change.resource, set()).add((change.before or {}).get("id",
                                                                                 change.id))
    deleted = {c.id for c in changes if c.operation == "delete" and c.resource == "dependency"}
    for resource, ids in gone.items():
        if resource == Dependency.resource:
            continue
        found = session.execute(
            select(Dependency.id)
            .join(DependencyType, Dependency.dependency_type_id == DependencyType.id)
            .where(or_(and_(DependencyType.source_resource == resource,
                            Dependency.source.in_(ids)),
                       and_(DependencyType.target_resource == resource,
                            Dependency.target.in_(ids))))
            .order_by(Dependency.id)).scalars().all()
        found = [d for d in found if d not in deleted]
        if found:
            more = f" and {len(found) - NAMED} more" if len(found) > NAMED else ""
            raise Conflict(f"the {resource} is an end of the dependencies "
                           f"{', '.join(repr(d) for d in found[:NAMED])}{more}; delete them "
                           f"first", field="id")
