"""The environments a write touches, read from IDs alone (no query).

Infrastructure IDs start with their environment (:func:`qairon.insight.graph.infrastructure_resources`),
and so does the ID of every resource whose first ID part is a reference to
one of them: a release (``<deployment>:<build_num>``), its artifacts, a
deployment's configs and procs, their allocations, a fleet's capacities.
These are the *placed* resources, found by walking the registry's ID recipes
downwards from the infrastructure; their environment is the first segment of
their ID.

A :class:`~qairon.pipeline.changes.Change` touches the environment of its
object and of every placed object it references, before and after the
change, so that moving an object to another environment needs both in
scope. A link change touches both of its ends. An object that touches no
environment (a service, a type, a build) belongs to none.
"""
from dataclasses import dataclass
from functools import lru_cache

from qairon.core.ids import Last, environment_of, part_field
from qairon.insight.graph import infrastructure_resources
from qairon.models import REGISTRY


@lru_cache(maxsize=1)
def placed_resources():
    """Resources whose ID starts with their environment's name."""
    placed = set(infrastructure_resources())
    grew = True
    while grew:
        grew = False
        for name, cls in REGISTRY.items():
            if name in placed or not cls.id_parts or isinstance(cls.id_parts[0], Last):
                continue
            if cls.references().get(part_field(cls.id_parts[0])) in placed:
                placed.add(name)
                grew = True
    return frozenset(placed)


@lru_cache(maxsize=None)
def placed_references(resource):
    """``(field, target)`` of the references of ``resource`` that point at placed resources."""
    placed = placed_resources()
    return tuple((field, target) for field, target in REGISTRY[resource].references().items()
                 if target in placed)


@dataclass(frozen=True)
class Target:
    """One object a change writes, and the environments it touches (empty: none)."""

    resource: str
    id: str
    environments: frozenset


def _environments(resource, object_id, rows):
    found = set()
    if resource in placed_resources() and object_id:
        found.add(environment_of(object_id))
    for field, _target in placed_references(resource):
        for row in rows:
            value = row.get(field) if row else None
            if value:
                found.add(environment_of(value))
    return frozenset(found)


def targets(change):
    """What ``change`` writes: its object (and, for a link, the other end), with environments."""
    if change.operation in ("link", "unlink"):
        other_resource, other_id = change.other
        return [Target(change.resource, change.id, _environments(change.resource, change.id, ())),
                Target(other_resource, other_id, _environments(other_resource, other_id, ()))]
    rows = (change.before, change.after)
    return [Target(change.resource, change.id, _environments(change.resource, change.id, rows))]
