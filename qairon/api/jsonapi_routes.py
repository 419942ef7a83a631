"""Which resource, object and relation a JSON:API URL names, checked before the views run.

A URL under ``/api/rest/v1`` that no JSON:API view serves is answered here in
our words: a plural name is told the singular that is served, an unknown name
is told where the list of names is, a method the URL does not take is a 405.
"""
from collections import namedtuple

from flask import current_app, request
from sqlalchemy import inspect
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from qairon.api.jsonapi_upstream import collection_alias, refuse_plugin_path
from qairon.core.errors import BadRequest, NotFound
from qairon.models import REGISTRY, by_plural

PREFIX = "/api/rest/v1"
EXTENSION = "qairon.jsonapi"
METHODS = ("GET", "POST", "PATCH", "DELETE")

#: What a routed JSON:API request addresses: the collection's class, the object ID,
#: the relation (its property) and the class the response's primary data is made of.
Route = namedtuple("Route", "cls resource_id relation related_id target relationship")


def on_jsonapi():
    """True when the request is addressed to the JSON:API face."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def served_by_jsonapi(endpoint):
    """True when ``endpoint`` is one of the JSON:API views."""
    names = current_app.extensions[EXTENSION]["blueprints"]
    return endpoint is not None and endpoint.split(".", 1)[0] in names


def relations(cls):
    """The relations of ``cls`` a client may name, by name."""
    return {r.key: r for r in inspect(cls).relationships if r.key not in cls.hidden}


def relation_of(cls, name, field, error=BadRequest):
    """The relation ``name`` of ``cls``, or ``error`` listing the relations it has."""
    relation = relations(cls).get(name) if isinstance(name, str) else None
    if relation is None:
        raise error(f"{name!r} is not a relationship of {cls.resource}; its relationships are "
                    f"{', '.join(sorted(relations(cls)))}", field=field)
    return relation


def current_route():
    """The :data:`Route` of a request a JSON:API view serves (the URL rule names it)."""
    collection = request.url_rule.rule[len(PREFIX) + 1:].split("/", 1)[0]
    cls = REGISTRY[collection]
    collection_alias(cls, request.view_args)
    args = request.view_args or {}
    name = args.get("relation_name")
    relation = relation_of(cls, name, "relation", NotFound) if name is not None else None
    target = relation.mapper.class_ if relation is not None else cls
    return Route(cls, args.get("resource_id"), relation, args.get("related_resource_id"), target,
                 "/relationships/" in request.url_rule.rule)


def refuse_unrouted():
    """Answer a JSON:API URL that no view serves: 404 naming what is served, or 405."""
    allowed = _methods_served()
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed, description=(
            f"{request.method} is not served at {request.path}; it takes "
            f"{', '.join(allowed)}"))
    name = request.path[len(PREFIX):].strip("/").split("/", 1)[0]
    if not name:
        raise NotFound(f"name a resource: {PREFIX}/<resource> (singular, e.g. {PREFIX}/service; "
                       f"/api/schema lists them)", field="resource")
    cls = by_plural(name)
    if cls is not None and cls.resource != name:
        raise NotFound(f"the JSON:API face names resources in the singular: "
                       f"{PREFIX}/{cls.resource} is served, {PREFIX}/{name} is not",
                       field="resource")
    refuse_plugin_path(name, PREFIX)
    if name in REGISTRY:
        raise NotFound(f"nothing is served at {request.path}; an object is "
                       f"{PREFIX}/{name}/<id>, a relation {PREFIX}/{name}/<id>/<relation>",
                       field="resource")
    raise NotFound(f"no resource {name[:100]!r} is served at {PREFIX}; names are singular "
                   f"(e.g. {PREFIX}/service) and /api/schema lists them", field="resource")


def _methods_served():
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except HTTPException:  # not found, other method, or a redirect
            continue
        if served_by_jsonapi(endpoint):
            allowed.append(method)
    return allowed
