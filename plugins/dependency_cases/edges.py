"""The dependencies of the ``dependency_cases`` plugin in the walks, and the objects they keep.

A relatable's object depends on each related object of its dependencies: trace
goes from the relatable's object to them (:func:`up`), impact from a related
object back to the objects that depend on it (:func:`down`), one query per
resource of a walk level and chunk of IDs. :func:`keep_objects` is a pipeline
hook: an object a relatable or a related row names is not deleted (nor renamed
away) while that row exists.
"""
from sqlalchemy import select

from qairon.core.chunks import chunked
from qairon.extensions import db
from qairon.models import REGISTRY
from qairon.pipeline.ends import deleted, gone, refuse_named

from .models import Dependency, Relatable, Related

CHUNK = 5000


def _resources():
    """Class name -> resource name, for the types the rows give as class names."""
    return {cls.__name__: name for name, cls in REGISTRY.items()}


def _edges(frontier, near_type, near_id, far_type, far_id):
    resources, out = _resources(), []
    classes = {resource: REGISTRY[resource].__name__ for resource in frontier
               if resource in REGISTRY}
    for resource, ids in frontier.items():
        if resource not in classes:
            continue
        for chunk in chunked(ids, CHUNK):
            rows = db.session.execute(
                select(near_id, Dependency.dependency_case_id, far_type, far_id)
                .select_from(Related)
                .join(Dependency, Related.dependency_id == Dependency.id)
                .join(Relatable, Dependency.relatable_id == Relatable.id)
                .where(near_type == classes[resource], near_id.in_(chunk)))
            for near, case, other, far in rows:
                if other in resources:
                    out.append(((resource, near), case, (resources[other], far)))
    return out


def up(frontier):
    """What the frontier's objects depend on (trace)."""
    return _edges(frontier, Relatable.relatable_type, Relatable.object_id,
                  Related.related_type, Related.object_id)


def down(frontier):
    """What depends on the frontier's objects (impact)."""
    return _edges(frontier, Related.related_type, Related.object_id,
                  Relatable.relatable_type, Relatable.object_id)


def keep_objects(session, changes):
    """Pipeline hook: refuse to delete an object, or change its ID, while a row names it."""
    mine = {Relatable.resource, Related.resource, Dependency.resource, "dependency_case"}
    dropped = {cls: deleted(changes, cls.resource) for cls in (Relatable, Related)}
    for resource, ids in gone(changes):
        if resource in mine or resource not in REGISTRY:
            continue
        class_name = REGISTRY[resource].__name__
        for cls, type_column, what in ((Relatable, Relatable.relatable_type, "relatables"),
                                       (Related, Related.related_type, "related objects")):
            found = session.execute(select(cls.id).where(
                type_column == class_name, cls.object_id.in_(ids))).scalars().all()
            refuse_named(resource, set(found) - dropped[cls], what)
