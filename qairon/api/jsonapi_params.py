"""Query parameters of the JSON:API face, checked before Flask-Restless-NG reads them.

``page[size]``, ``page[number]``, ``sort``, ``include`` and ``filter[objects]``
that the face cannot serve are refused with a 400 naming the parameter.
``filter[objects]`` may be the object form ``{"filters": [...]}`` and use
dotted relationship paths (rewritten for the views), and is checked by the same
rules as the plain face's ``filter``. ``include`` is taken out of
Flask-Restless-NG's hands — it would load every included object one query at a
time, without a bound — and served by :mod:`qairon.api.jsonapi_output` within
``JSONAPI_MAX_INCLUDE_DEPTH`` relations and ``JSONAPI_MAX_INCLUDED`` objects.
"""
import json

from flask import current_app, g, request
from werkzeug.datastructures import ImmutableMultiDict

from qairon.api.filters import prepare_filters
from qairon.api.jsonapi_routes import relations
from qairon.api.query import parse_filter_text
from qairon.core.errors import BadRequest

PAGE_SIZE = "page[size]"
PAGE_NUMBER = "page[number]"
SORT = "sort"
INCLUDE = "include"
FILTER = "filter[objects]"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_OFFSET = 2 ** 63 - 1  # the largest OFFSET the databases take
DEFAULT_INCLUDE_DEPTH = 2
DEFAULT_MAX_INCLUDED = 1000


def check_query(route):
    """Check the query parameters of a routed request; keep ``include`` for the face itself."""
    reading = request.method in ("GET", "HEAD")
    if reading:
        _page()
        if request.args.get(SORT):
            check_sort(route.target, request.args[SORT])
    args = request.args.to_dict(flat=False)
    if FILTER in args and reading:
        args[FILTER] = [rewrite_filter(route.target, request.args[FILTER])]
    if INCLUDE in args:
        g.jsonapi_include_text = request.args[INCLUDE]
        g.jsonapi_include = include_tree(route.target, request.args[INCLUDE])
        del args[INCLUDE]
    request.args = ImmutableMultiDict(args)


def _whole_number(name, default, low, high):
    raw = request.args.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and low <= int(text.lstrip("0")[:30] or "0") <= high):
        raise BadRequest(f"{name} {raw[:40]!r} must be a whole number from {low} to {high}",
                         field=name)
    return int(text.lstrip("0") or "0")


def _page():
    size = _whole_number(PAGE_SIZE, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    _whole_number(PAGE_NUMBER, 1, 1, MAX_OFFSET // size)


def check_sort(cls, text):
    """Every ``sort`` item is a field of ``cls`` or of a to-one relation's path (``stack.name``)."""
    if text == "0":  # Flask-Restless-NG's spelling of "no sorting"
        return
    for item in text.split(","):
        name = item[1:] if item.startswith("-") else item
        *path, column = name.split(".")
        current = cls
        for part in path:
            relation = relations(current).get(part)
            if relation is None or relation.uselist:
                raise BadRequest(f"sort {name[:80]!r}: {part[:80]!r} is not a to-one "
                                 f"relationship of {current.resource}", field=SORT)
            current = relation.mapper.class_
        if column not in current.column_names():
            raise BadRequest(f"sort {name[:80]!r}: {column[:80]!r} is not a field of "
                             f"{current.resource}; its fields are "
                             f"{', '.join(current.column_names())}", field=SORT)


def rewrite_filter(cls, text):
    """``filter[objects]`` checked like the plain face's filter, as the list the views take."""
    return json.dumps(prepare_filters(cls, parse_filter_text(text, FILTER), FILTER))


def _limit(name, default):
    try:
        return int(current_app.config.get(name, default))
    except (TypeError, ValueError):
        return default


def max_included():
    """How many objects one answer may include (config ``JSONAPI_MAX_INCLUDED``)."""
    return _limit("JSONAPI_MAX_INCLUDED", DEFAULT_MAX_INCLUDED)


def include_tree(cls, text):
    """``a.b,c`` -> ``{"a": {"b": {}}, "c": {}}``, every name a relation, no path too deep."""
    depth = _limit("JSONAPI_MAX_INCLUDE_DEPTH", DEFAULT_INCLUDE_DEPTH)
    tree = {}
    for path in text.split(","):
        names = path.strip().split(".")
        if len(names) > depth:
            raise BadRequest(f"include {path[:200]!r} follows {len(names)} relations; at most "
                             f"{depth} are served in one request (fetch the rest from the "
                             f"included objects)", field=INCLUDE)
        node, current = tree, cls
        for name in names:
            relation = relations(current).get(name)
            if relation is None:
                raise BadRequest(f"include {path[:200]!r}: {name[:80]!r} is not a relationship "
                                 f"of {current.resource}; its relationships are "
                                 f"{', '.join(sorted(relations(current)))}", field=INCLUDE)
            node = node.setdefault(name, {})
            current = relation.mapper.class_
    return tree
