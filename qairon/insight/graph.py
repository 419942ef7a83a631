"""The relation graph of the model, read once from the registry and the mappers.

Every walk (trace, impact) runs over this graph; nothing here is written per
resource. An :class:`Edge` points from a *dependent* resource to what it
*depends on*:

* every required to-one relation (a non-nullable foreign key: a service depends
  on its stack, a deployment on its target and its service, a release on its
  build; the optional ``current_release`` is a pointer, not a dependency);
* the many-to-many links a model declares with ``Link(depends_on=True)`` (a
  deployment target runs on its fleets, a fleet is placed in its subnets, a
  deployment runs in its zones, a service is built from its repos).

Walking edges forwards is a trace (up, to the roots); walking them backwards is
an impact analysis (down, everything that depends on an object).
"""
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import inspect

from qairon.core.ids import is_reference, part_field
from qairon.models import REGISTRY


@dataclass(frozen=True)
class Edge:
    """``source`` depends on ``target`` through ``name``.

    A foreign-key edge has ``column`` (on the source table); a link edge has
    ``table`` with ``source_column`` and ``target_column`` (on the link table).
    """

    source: str
    name: str
    target: str
    reverse: str = None
    column: str = None
    table: str = None
    source_column: str = None
    target_column: str = None

    @property
    def is_link(self):
        """True for a many-to-many edge."""
        return self.table is not None


def _link_edge(cls, relation):
    secondary = relation.secondary
    source_column = target_column = None
    for column in secondary.columns:
        for fk in column.foreign_keys:
            if fk.column.table is cls.__table__:
                source_column = column.key
            else:
                target_column = column.key
    return Edge(cls.resource, relation.key, relation.mapper.class_.resource,
                reverse=_reverse_name(relation), table=secondary.name,
                source_column=source_column, target_column=target_column)


def _reverse_name(relation):
    """The name of the relation on the other side (``fleets`` for ``fleet.partition``)."""
    for other in inspect(relation.mapper.class_).relationships:
        if other.mapper.class_ is not relation.parent.class_:
            continue
        if relation.secondary is not None and other.secondary is relation.secondary:
            return other.key
        if relation.secondary is None and other.direction.name == "ONETOMANY" and \
                set(other.remote_side) == set(relation.local_columns):
            return other.key
    return None


def edges_of(cls):
    """The dependency edges leaving one model class."""
    out = []
    links = {name for name, link in cls.links.items() if link.depends_on}
    for relation in inspect(cls).relationships:
        if relation.secondary is not None:
            if relation.key in links:
                out.append(_link_edge(cls, relation))
            continue
        if relation.direction.name != "MANYTOONE":
            continue
        (column,) = relation.local_columns
        if not column.nullable:
            out.append(Edge(cls.resource, relation.key, relation.mapper.class_.resource,
                            reverse=_reverse_name(relation), column=column.key))
    return sorted(out, key=lambda e: e.name)


@lru_cache(maxsize=1)
def graph():
    """Every dependency edge of the registry: ``(up, down)`` maps resource -> edges.

    ``up[r]`` are the edges leaving ``r``; ``down[r]`` the edges arriving at ``r``.
    """
    up, down = {}, {}
    for name in sorted(REGISTRY):
        for edge in edges_of(REGISTRY[name]):
            up.setdefault(edge.source, []).append(edge)
            down.setdefault(edge.target, []).append(edge)
    return up, down


def reference_parents(cls):
    """The foreign-key columns that are parts of ``cls``'s ID (its parents)."""
    return tuple(part_field(p) for p in cls.id_parts if is_reference(part_field(p)))


def type_resources():
    """Resources that are the type of another (``provider_type``, ``fleet_type``, ...)."""
    out = set()
    for cls in REGISTRY.values():
        if cls.type_field:
            out.add(cls.references()[cls.type_field])
    return out


def infrastructure_resources():
    """Resources that live in an environment, and the ancestors their IDs start with.

    The environment is the first segment of an infrastructure ID, so following the
    first part of each ID upwards reaches the environment itself.
    """
    placed = {name for name, cls in REGISTRY.items() if cls.environment_field}
    frontier = set(placed)
    while frontier:
        following = set()
        for name in frontier:
            cls = REGISTRY[name]
            parents = reference_parents(cls)
            if parents and part_field(cls.id_parts[0]) == parents[0]:
                target = cls.references()[parents[0]]
                if target not in placed:
                    following.add(target)
        placed |= following
        frontier = following
    return placed


def reaching_infrastructure():
    """Resources from which infrastructure is reached by walking *down* dependencies.

    A service reaches it through its deployments, a stack through its services, a
    repo through the services built from it. Type objects are excluded: what
    uses a type is an impact question, not a trace.
    """
    _up, down = graph()
    infra = infrastructure_resources()
    reach = set()
    changed = True
    while changed:
        changed = False
        for name in REGISTRY:
            if name in reach or name in infra:
                continue
            for edge in down.get(name, []):
                if edge.source in infra or edge.source in reach:
                    reach.add(name)
                    changed = True
                    break
    return reach - type_resources()


def junction_parents(cls):
    """The other parents of a junction (a resource with two or more parents in its ID).

    A deployment belongs to a target *and* a service; when an impact walk reaches
    it from the target, its service is affected too. Root catalogues (names
    without parents, such as types and allocation types) are left out.
    """
    references = cls.references()
    parents = tuple(f for f in reference_parents(cls)
                    if reference_parents(REGISTRY[references[f]]))
    return parents if len(parents) >= 2 else ()
