"""Trace and impact walks against the database, one batched query per edge and level.

The graph comes from :mod:`qairon.insight.graph`, the walking from
:mod:`qairon.core.walk`; this module only turns one level of a walk into ``IN``
queries. A walk costs a number of statements bounded by the shape of the
model (levels x edges), never by how many objects it meets.
"""
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import select

from qairon.core import walk as trace
from qairon.core.chunks import chunked
from qairon.core.limits import LIMITS
from qairon.core.text import quoted
from qairon.extensions import db
from qairon.insight import graph as relations
from qairon.models import REGISTRY

#: IDs per ``IN`` list; a level with more IDs than this costs one more query per chunk.
CHUNK = 5000
EDGES = "qairon.walk_edges"


def _table(name):
    return db.metadata.tables[name]


def add_edges(app, up, down):
    """Register edges the graph of the model does not hold (a plugin's), for ``app``'s walks.

    ``up(frontier)`` and ``down(frontier)`` take a level (``{resource: [ids]}``)
    and return ``(from_node, relation, to_node)`` triples: what the nodes depend
    on, and what depends on them. Trace follows ``up``; impact ``up`` reversed,
    that is ``down``. Each should cost a bounded number of queries per level.
    """
    app.extensions.setdefault(EDGES, []).append((up, down))


def _added(frontier, direction):
    if not has_app_context():
        return []
    out = []
    for edges in current_app.extensions.get(EDGES, ()):
        out.extend(edges[direction](frontier))
    return out


def step_up(frontier):
    """Edges from every node of ``frontier`` to what it depends on."""
    up, _down = relations.graph()
    out = _added(frontier, 0)
    for resource, ids in frontier.items():
        cls = REGISTRY[resource]
        edges = up.get(resource, [])
        keyed = [e for e in edges if not e.is_link]
        for chunk in chunked(ids, CHUNK):
            if keyed:
                columns = [getattr(cls, e.column) for e in keyed]
                for row in db.session.execute(select(cls.id, *columns).where(cls.id.in_(chunk))):
                    for edge, value in zip(keyed, row[1:], strict=True):
                        out.append(((resource, row[0]), edge.name, (edge.target, value)))
            for edge in edges:
                if edge.is_link:
                    out.extend(_link_rows(edge, chunk, forwards=True))
    return out


def step_down(frontier, only=None):
    """Edges from every node of ``frontier`` to what depends on it.

    ``only`` restricts the dependents to a set of resource names (a trace's way down
    to where things run, which follows the model's edges alone).
    """
    _up, down = relations.graph()
    out = _added(frontier, 1) if only is None else []
    for resource, ids in frontier.items():
        for edge in down.get(resource, []):
            if only is not None and edge.source not in only:
                continue
            for chunk in chunked(ids, CHUNK):
                if edge.is_link:
                    out.extend(_link_rows(edge, chunk, forwards=False))
                    continue
                cls = REGISTRY[edge.source]
                column = getattr(cls, edge.column)
                for object_id, value in db.session.execute(
                        select(cls.id, column).where(column.in_(chunk))):
                    out.append(((resource, value), edge.reverse, (edge.source, object_id)))
    return out


def _link_rows(edge, ids, forwards):
    table = _table(edge.table)
    source, target = table.c[edge.source_column], table.c[edge.target_column]
    key = source if forwards else target
    rows = db.session.execute(select(source, target).where(key.in_(ids)))
    if forwards:
        return [((edge.source, s), edge.name, (edge.target, t)) for s, t in rows]
    return [((edge.target, t), edge.reverse, (edge.source, s)) for s, t in rows]


@contextmanager
def bounded(walk_name, resource, object_id, field, advice):
    """Say which walk was too large, naming ``field`` and what to do about it."""
    try:
        yield
    except trace.WalkTooLarge as exc:
        limit = exc.meta["limit"]
        raise trace.WalkTooLarge(
            f"the {walk_name} of {resource} {quoted(object_id)} reaches more than {limit:,} "
            f"objects (the limit, WALK_MAX_NODES); {advice}", field=field, meta=exc.meta) from None


def trace_walk(resource, object_id):
    """Everything ``resource``/``object_id`` stands on, up to the roots.

    An object of the application side (application, stack, service, repo) first
    goes down to the infrastructure that runs it (its deployments), then every
    reached object is traced up: target, partition, region, provider,
    environment, types, the fleets a target runs on, their subnets.
    """
    start = (resource, object_id)
    seen = {start}
    nodes = []
    reach = relations.reaching_infrastructure()
    limit = LIMITS.walk_max_nodes
    with bounded("trace", resource, object_id, "id", "trace a narrower object"):
        if resource in reach:
            allowed = reach | relations.infrastructure_resources()

            def down(frontier):
                return step_down({r: ids for r, ids in frontier.items() if r in reach},
                                 allowed)

            nodes = trace.walk([start], down, seen=seen, direction="down",
                               expand=lambda node: node[0] in reach, max_nodes=limit)
        starts = [start] + [(n["resource"], n["id"]) for n in nodes]
        nodes += trace.walk(starts, step_up, seen=seen, direction="up",
                            max_nodes=limit - len(nodes))
    return trace.document("trace", resource, object_id, nodes)


def impact_walk(resource, object_id, max_depth=None):
    """Everything that depends on ``resource``/``object_id``, transitively.

    Down the dependencies (a partition's networks, subnets, fleets, targets,
    deployments, releases...; a fleet's targets, their deployments...), plus the
    other parents of the junctions reached (the service of an affected
    deployment, the proc of an affected deployment proc).
    """
    start = (resource, object_id)
    seen = {start}
    with bounded("impact", resource, object_id, "depth", "give a smaller ?depth=N"):
        nodes = trace.walk([start], step_down, max_depth=max_depth, seen=seen,
                           direction="down", max_nodes=LIMITS.walk_max_nodes)
    nodes += _junction_parents(nodes, seen)
    return trace.document("impact", resource, object_id, nodes, depth=max_depth)


def _junction_parents(nodes, seen):
    """The parents of reached junctions that the walk did not reach itself."""
    by_id = {(n["resource"], n["id"]): n for n in nodes}
    out = []
    for resource, ids in trace.group(by_id).items():
        cls = REGISTRY[resource]
        fields = relations.junction_parents(cls)
        if not fields:
            continue
        references = cls.references()
        names = {e.column: e.name for e in relations.graph()[0].get(resource, [])}
        for chunk in chunked(ids, CHUNK):
            columns = [getattr(cls, f) for f in fields]
            for row in db.session.execute(select(cls.id, *columns).where(cls.id.in_(chunk))):
                for field, value in zip(fields, row[1:], strict=True):
                    node = (references[field], value)
                    if node in seen:
                        continue
                    seen.add(node)
                    depth = by_id[(resource, row[0])]["depth"]
                    out.append(trace.node_dict(node, depth, names.get(field, field),
                                               (resource, row[0]), "up"))
    return sorted(out, key=lambda n: (n["depth"], n["resource"], n["id"]))
