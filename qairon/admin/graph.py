"""A walk drawn as a graph: nodes in columns by depth, edges from each node to where it
was reached from.

The input is a walk document as the API answers it (trace, impact,
provenance, lineage, neighbours: ``{"resource", "id", "nodes": [...]}``);
the output is plain geometry that a template draws as SVG, server-side, so
the graph reads without JavaScript. Each node keeps its resource and ID so
the template can link it to its object page.
"""
from dataclasses import dataclass, field

NODE_W, NODE_H = 230, 40
GAP_X, GAP_Y = 70, 14
PAD = 10
LABEL_CHARS = 30


@dataclass
class Drawing:
    """Nodes (``x``, ``y``, ``resource``, ``id``, ``label``, ``start``), edges, and size."""

    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    width: int = 0
    height: int = 0


def short(object_id, limit=LABEL_CHARS):
    """The end of a long ID, which names the object among its siblings."""
    return object_id if len(object_id) <= limit else "…" + object_id[-(limit - 1):]


def layout(document, max_nodes=400):
    """Place the start and up to ``max_nodes`` reached nodes of a walk ``document``."""
    start = (document["resource"], document["id"])
    columns = {0: [start]}
    depth_of = {start: 0}
    edges = []
    for node in document.get("nodes", [])[:max_nodes]:
        key = (node["resource"], node["id"])
        if key in depth_of:
            continue
        depth = int(node.get("depth", 1))
        depth_of[key] = depth
        columns.setdefault(depth, []).append(key)
        origin = node.get("from")
        if origin:
            edges.append(((origin["resource"], origin["id"]), key, node.get("via", "")))
    drawing = Drawing()
    place = {}
    for column, depth in enumerate(sorted(columns)):
        for row, key in enumerate(columns[depth]):
            x = PAD + column * (NODE_W + GAP_X)
            y = PAD + row * (NODE_H + GAP_Y)
            place[key] = (x, y)
            drawing.nodes.append({"x": x, "y": y, "resource": key[0], "id": key[1],
                                  "label": short(key[1]), "start": key == start})
    for origin, target, via in edges:
        if origin not in place:
            continue
        (x1, y1), (x2, y2) = place[origin], place[target]
        if x1 <= x2:
            x1, x2 = x1 + NODE_W, x2
        else:
            x2 = x2 + NODE_W
        drawing.edges.append({"x1": x1, "y1": y1 + NODE_H // 2, "x2": x2,
                              "y2": y2 + NODE_H // 2, "via": via})
    drawing.width = PAD * 2 + len(columns) * NODE_W + (len(columns) - 1) * GAP_X
    drawing.height = PAD * 2 + max(len(c) for c in columns.values()) * (NODE_H + GAP_Y)
    return drawing
