"""Defaults merging: pure functions over plain dicts.

An object's effective defaults are layers (its ancestors', their types', its
type's and its own) merged outermost first: later keys win, nested objects
merge, lists and scalars are replaced whole. :func:`explain` says which layer
each leaf came from.
"""
from copy import deepcopy


def deep_merge(layers):
    """Merge the dicts of ``layers`` (outermost first); later keys win, dicts merge."""
    merged = {}
    for data in layers:
        _merge_into(merged, data)
    return merged


def _merge_into(target, data):
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = deepcopy(value)


def leaves(data, prefix=()):
    """``(path, value)`` of every leaf: a value that is not a non-empty object."""
    out = []
    for key, value in data.items():
        path = prefix + (key,)
        if isinstance(value, dict) and value:
            out.extend(leaves(value, path))
        else:
            out.append((path, value))
    return out


def _has_path(data, path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def explain(layers, merged):
    """For each leaf of ``merged``, the last layer that set it.

    ``layers`` are ``(source, dict)`` pairs; returns
    ``[{"key": "a.b", "path": ["a", "b"], "value": ..., **source}, ...]``.
    """
    out = []
    for path, value in leaves(merged):
        source = next(s for s, data in reversed(layers) if _has_path(data, path))
        out.append({"key": ".".join(str(p) for p in path), "path": list(path),
                    "value": value, **source})
    return out


def layer_order(start, parents, type_of):
    """Nodes whose defaults make up ``start``'s, outermost first, each once.

    ``parents(node)`` gives a node's parents in ID order (types excluded) and
    ``type_of(node)`` its type node or None.
    """
    order = []

    def visit(node):
        for parent in parents(node):
            visit(parent)
        kind = type_of(node)
        if kind is not None and kind not in order:
            order.append(kind)
        if node not in order:
            order.append(node)

    visit(start)
    return order
