"""The render context of objects, built generically from the registry in a bounded
number of queries, whatever the number of objects or of their related rows.

A context holds:

* ``obj`` (also under its resource name, e.g. ``network``): the object as the
  plain face shows it, its embedded relations included (a deployment's
  ``current_release`` with its ``release_artifacts``), ``defaults`` replaced by
  its effective (merged) defaults and ``own_defaults`` its own, and each of its
  to-many relations as a list sorted by ID (a network's ``subnets``, a target's
  ``deployments`` with their current release and artifacts);
* every ancestor by resource name (``environment``, ``provider``, ``region``,
  ``partition``, ``deployment_target_type``, ...), the nearest when a resource
  appears twice, as the plain face shows it;
* ``defaults``: the effective defaults again, for short templates.

Queries: the objects with one query per to-many relation (and per embedded
level below it), the ancestry with one per resource and level
(:func:`qairon.insight.defaults.ancestry`), and one per ancestor resource.
"""
from sqlalchemy import inspect, select

from qairon.api.serialize import eager_loads, embedded_spec, to_dict
from qairon.core.merge import deep_merge
from qairon.insight.defaults import ancestry, layers_of
from qairon.models import REGISTRY


def relations(cls):
    """The to-many relations of ``cls`` a context lists, by name."""
    return sorted(r.key for r in inspect(cls).relationships
                  if r.uselist and r.key not in cls.hidden)


def object_spec(cls):
    """What is nested in an object of ``cls``: its embedded relations and every list."""
    spec = embedded_spec(cls)
    for name in relations(cls):
        target = getattr(cls, name).property.mapper.class_
        spec[name] = embedded_spec(target)
    return spec


def load_options(cls):
    """The loader options that load what a context of a ``cls`` object needs, a query each."""
    return eager_loads(cls, object_spec(cls))


def _object_dict(obj):
    cls = type(obj)
    out = to_dict(obj, object_spec(cls))
    for name in relations(cls):
        out[name] = sorted(out[name], key=lambda item: item["id"])
    return out


def _ancestors(session, loaded, nodes):
    """``{node: plain dict}`` of every ancestor in ``loaded`` that is not one of ``nodes``."""
    wanted = {}
    for node in loaded:
        if node not in nodes:
            wanted.setdefault(node[0], set()).add(node[1])
    out = {}
    for resource, ids in sorted(wanted.items()):
        cls = REGISTRY[resource]
        statement = select(cls).where(cls.id.in_(sorted(ids)))
        statement = statement.options(*eager_loads(cls, embedded_spec(cls)))
        for obj in session.scalars(statement):
            out[(resource, obj.id)] = to_dict(obj)
    return out


def _nearest_first(loaded, node):
    """Ancestors of ``node`` breadth first: parents in ID order, each followed by its type."""
    order, seen, frontier = [], {node}, [node]
    while frontier:
        following = []
        for current in frontier:
            _defaults, parents, kind = loaded[current]
            for up in parents + ([kind] if kind else []):
                if up not in seen:
                    seen.add(up)
                    order.append(up)
                    following.append(up)
        frontier = following
    return order


def contexts(session, objects):
    """``{id: context}`` of ORM ``objects`` of one resource (loaded with :func:`load_options`)."""
    if not objects:
        return {}
    resource = objects[0].resource
    loaded = ancestry(resource, [o.id for o in objects])
    nodes = {(resource, o.id) for o in objects}
    ancestors = _ancestors(session, loaded, nodes)
    out = {}
    for obj in objects:
        node = (resource, obj.id)
        merged = deep_merge(data for _source, data in layers_of(loaded, node))
        data = dict(_object_dict(obj), defaults=merged, own_defaults=obj.defaults or {})
        context = {}
        for up in reversed(_nearest_first(loaded, node)):
            context[up[0]] = ancestors[up]
        context.update({resource: data, "obj": data, "defaults": merged})
        out[obj.id] = context
    return out
