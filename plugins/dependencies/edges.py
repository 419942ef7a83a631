"""The dependency edges in the walks, and the ends they keep in use.

:func:`up` and :func:`down` give a walk level's dependency edges with one
query per resource of the level (``trace`` goes from a source to its targets,
``impact`` from a target to the sources that depend on it). :func:`keep_ends`
is a pipeline hook: an object that is the end of a dependency is not deleted
(nor renamed away) while the dependency exists.
"""
from sqlalchemy import and_, or_, select

from qairon.core.chunks import chunked
from qairon.extensions import db
from qairon.pipeline.ends import deleted, gone, refuse_named

from .models import Dependency, DependencyType

CHUNK = 5000


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
    dropped = deleted(changes, Dependency.resource)
    for resource, ids in gone(changes):
        if resource == Dependency.resource:
            continue
        found = session.execute(
            select(Dependency.id)
            .join(DependencyType, Dependency.dependency_type_id == DependencyType.id)
            .where(or_(and_(DependencyType.source_resource == resource,
                            Dependency.source.in_(ids)),
                       and_(DependencyType.target_resource == resource,
                            Dependency.target.in_(ids))))).scalars().all()
        refuse_named(resource, set(found) - dropped, "dependencies")
