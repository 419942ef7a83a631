"""Walks over the relation graph: pure breadth-first logic, no database.

A walk goes level by level. The caller gives a ``step`` function that, for a
whole level at once (``{resource: [ids]}``), returns the edges leaving it as
``(from_node, relation, to_node)`` triples, where a node is ``(resource, id)``.
One call of ``step`` per level is what keeps the number of SQL queries of a
walk independent of how many objects each level holds.
"""
from qairon.core.errors import BadRequest


class WalkTooLarge(BadRequest):
    """A walk reached more objects than it may report; ``meta`` holds the limit."""


def group(nodes):
    """``{resource: sorted ids}`` of an iterable of ``(resource, id)`` nodes."""
    out = {}
    for resource, object_id in nodes:
        out.setdefault(resource, set()).add(object_id)
    return {resource: sorted(ids) for resource, ids in sorted(out.items())}


def node_dict(node, depth, via, origin, direction):
    """The JSON shape of one reached object."""
    return {"resource": node[0], "id": node[1], "depth": depth, "direction": direction,
            "via": via, "from": {"resource": origin[0], "id": origin[1]}}


def walk(starts, step, max_depth=None, seen=None, direction="up", expand=None,
         max_nodes=None):
    """Breadth-first walk from ``starts``; returns the reached nodes as dicts.

    ``seen`` (a set of nodes, updated in place) are never reported again, so
    walks can be chained. ``max_depth`` bounds the number of levels;
    reaching more than ``max_nodes`` objects raises :class:`WalkTooLarge`.
    ``expand(node)`` decides whether a reached node's own edges are followed
    (default: always). Nodes of one level are ordered by resource then ID,
    and each is reported once, from the first edge (in that order) reaching it.
    """
    seen = set(starts) if seen is None else seen
    seen.update(starts)
    frontier = set(starts)
    reached = []
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        depth += 1
        found = {}
        for origin, via, node in sorted(step(group(frontier)), key=_edge_key):
            if node in seen or node in found:
                continue
            found[node] = (origin, via)
        seen.update(found)
        if max_nodes is not None and len(reached) + len(found) > max_nodes:
            raise WalkTooLarge(f"the walk reaches more than {max_nodes:,} objects",
                               meta={"limit": max_nodes, "depth": depth})
        for node in sorted(found):
            origin, via = found[node]
            reached.append(node_dict(node, depth, via, origin, direction))
        frontier = {n for n in found if expand is None or expand(n)}
    return reached


def _edge_key(edge):
    origin, via, node = edge
    return node, origin, via or ""


def counts(nodes):
    """How many reached objects of each resource kind, by name."""
    out = {}
    for node in nodes:
        out[node["resource"]] = out.get(node["resource"], 0) + 1
    return dict(sorted(out.items()))


def document(walk_name, resource, object_id, nodes, **extra):
    """The response of a walk: the start, every reached node and the counts."""
    return {"walk": walk_name, "resource": resource, "id": object_id, **extra,
            "counts": counts(nodes), "total": len(nodes), "nodes": nodes}
