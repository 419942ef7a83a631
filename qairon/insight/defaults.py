"""Effective defaults: an object's ancestors', its type's and its own, deep-merged.

Layers go outermost first: the ancestors in the order of the object's ID
(``environment → provider_type → provider → region → partition``; for a
deployment its target's chain, then ``application → stack → service``), each
ancestor followed by its own type, then the object's type (``type_field``),
then the object itself. Later layers win key by key; nested objects merge;
lists and scalars are replaced whole. The merge and the ordering are pure
functions; :func:`ancestry` loads the layers of any number of objects with one
query per resource and level of the ancestry.
"""
from sqlalchemy import select

from qairon.core.errors import does_not_exist
from qairon.core.merge import deep_merge, explain, layer_order
from qairon.extensions import db
from qairon.insight.graph import reference_parents
from qairon.models import REGISTRY


def ancestry(resource, object_ids):
    """``{node: (defaults, parents, type)}`` for the objects and all their ancestors.

    A node is ``(resource, id)``; one query per resource and level, however
    many objects are asked for.
    """
    loaded = {}
    frontier = {resource: set(object_ids)} if object_ids else {}
    while frontier:
        following = {}
        for name, ids in frontier.items():
            cls = REGISTRY[name]
            references = cls.references()
            fields = [f for f in reference_parents(cls) if f != cls.type_field]
            if cls.type_field:
                fields.append(cls.type_field)
            columns = [getattr(cls, f) for f in fields]
            query = select(cls.id, cls.defaults, *columns).where(cls.id.in_(sorted(ids)))
            for row in db.session.execute(query):
                values = dict(zip(fields, row[2:], strict=True))
                kind = None
                if cls.type_field:
                    kind = (references[cls.type_field], values.pop(cls.type_field))
                parents = [(references[f], v) for f, v in values.items()]
                loaded[(name, row[0])] = (row[1] or {}, parents, kind)
                for node in parents + ([kind] if kind else []):
                    if node not in loaded:
                        following.setdefault(node[0], set()).add(node[1])
        frontier = following
    return loaded


def layers_of(loaded, node):
    """``[(source, defaults)]`` of ``node`` from :func:`ancestry`'s answer, outermost first."""
    order = layer_order(node, lambda n: loaded[n][1], lambda n: loaded[n][2])
    return [({"resource": n[0], "id": n[1]}, loaded[n][0]) for n in order]


def effective(resource, object_id, with_explain=False):
    """The merged defaults of an object; with ``with_explain``, also where each leaf came from."""
    loaded = ancestry(resource, [object_id])
    if (resource, object_id) not in loaded:
        raise does_not_exist(resource, object_id)
    layers = layers_of(loaded, (resource, object_id))
    merged = deep_merge(data for _source, data in layers)
    if not with_explain:
        return merged
    return {"resource": resource, "id": object_id, "defaults": merged,
            "layers": [dict(source, defaults=data) for source, data in layers],
            "explain": explain(layers, merged)}


def own(resource, object_id):
    """The object's own ``defaults``, or 404."""
    cls = REGISTRY[resource]
    row = db.session.execute(select(cls.defaults).where(cls.id == object_id)).first()
    if row is None:
        raise does_not_exist(resource, object_id)
    return row[0] or {}
