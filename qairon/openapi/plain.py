"""The plain face of every registered resource: CRUD, fields, links, bulk, declared actions.

Read off the registry: ``/api/<plural>`` (list, create), ``/api/<plural>/{id}``
(get, patch, put, delete), ``/api/<plural>/{id}/{field}`` (a field or relation,
and one link added or removed for the declared ``links``), ``/api/<plural>/bulk``
and each action a model declares (:mod:`qairon.models.declarations`). The create
answer links to get, patch and delete of the new object, and to the create of every
resource that references it (its ID given as that reference), so a stateful client (or
fuzzer) can follow a new object's ID down the tree.
"""
from sqlalchemy import inspect

from qairon.api.errors import STATUS
from qairon.api.query import MAX_LIMIT
from qairon.models import REGISTRY
from qairon.models.declarations import COLLECTION
from qairon.openapi.operations import (
    ANY,
    READ_ERRORS,
    WRITE_ERRORS,
    body,
    errors,
    operation,
    parameter,
    path_parameter,
    success,
)
from qairon.openapi.schemas import component_name, ref

ID = path_parameter("id", "the object's canonical ID (it may contain `:` and `/`)")
AS_OF = parameter("as_of", "query", description="read as it was at a moment: a changeset ID "
                                                 "or an ISO-8601 time")
WINDOW = [parameter("limit", "query", {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT,
                                       "default": 100}),
          parameter("offset", "query", {"type": "integer", "minimum": 0, "default": 0})]
ARG_TYPES = {"integer": {"type": "integer"}, "json": {}, "string": {"type": "string"}}


def list_parameters(cls):
    """Window, sort, JSON filter, moment, and one ``?field=value`` filter per column."""
    out = [*WINDOW,
           parameter("sort", "query", description="fields separated by `,`; `-field` descends"),
           parameter("filter", "query", description='JSON filters: `[{"name", "op", "val"}]` '
                     'or `{"filters": [...]}`, dotted relation paths allowed'), AS_OF]
    out += [parameter(name, "query", description=f"only objects whose {name} is this value")
            for name in cls.column_names() if name not in ("defaults", "as_of")]
    return out


def create_links(cls):
    """Links of a create's answer: the new object's get, patch, delete, and its children's
    creates (every resource with a reference to ``cls``, that reference set to the new ID)."""
    name = component_name(cls.resource)
    links = {f"{verb}{name}": {"operationId": f"{verb.lower()}_{cls.resource}",
                               "parameters": {"id": "$response.body#/id"}}
             for verb in ("Get", "Patch", "Delete")}
    for child_name in sorted(REGISTRY):
        child = REGISTRY[child_name]
        for field, target in sorted(child.references().items()):
            if target == cls.resource:
                links[f"Create{component_name(child_name)}With{component_name(field)}"] = {
                    "operationId": f"create_{child_name}",
                    "requestBody": {field: "$response.body#/id"}}
    return links


def collection_path(cls, tag):
    """``/api/<plural>``: the list and the create."""
    name, resource = component_name(cls.resource), cls.resource
    created = success(201, f"the new {resource}", ref(name))
    created["201"]["headers"] = {"Location": {"schema": {"type": "string", "format": "uri"},
                                              "description": "the new object's URL"}}
    created["201"]["links"] = create_links(cls)
    return {
        "get": operation(f"list_{resource}", f"list {cls.plural}",
                         {**success(200, f"a page of {cls.plural}", ref(name + "List")),
                          **errors(READ_ERRORS)}, list_parameters(cls), tags=[tag]),
        "post": operation(f"create_{resource}", f"create a {resource}",
                          {**created, **errors(WRITE_ERRORS)},
                          request_body=body(ref(name + "Create")), tags=[tag]),
    }


def item_path(cls, tag):
    """``/api/<plural>/{id}``: get, patch, put, delete."""
    name, resource = component_name(cls.resource), cls.resource
    written = {**success(200, f"the {resource} as written", ref(name)), **errors(WRITE_ERRORS)}
    cascade = parameter("cascade", "query", {"type": "string", "enum": ["true", "false"]},
                        description="also delete what depends on it (admin)")
    return {
        "parameters": [ID],
        "get": operation(f"get_{resource}", f"get a {resource}",
                         {**success(200, f"the {resource}", ref(name)), **errors(READ_ERRORS)},
                         [AS_OF], tags=[tag]),
        "patch": operation(f"patch_{resource}", f"change fields of a {resource}", written,
                           request_body=body(ref(name + "Patch")), tags=[tag]),
        "put": operation(f"put_{resource}", f"change fields of a {resource} (as PATCH)",
                         written, request_body=body(ref(name + "Patch")), tags=[tag]),
        "delete": operation(f"delete_{resource}", f"delete a {resource} (409 while it has "
                            "children, unless cascade)",
                            {**success(200, "what was deleted", ref("Deleted")),
                             **errors(WRITE_ERRORS)}, [cascade], tags=[tag]),
    }


def field_path(cls, tag):
    """``/api/<plural>/{id}/{field}``: read a field or relation; add or remove one link."""
    resource = cls.resource
    relations = [r.key for r in inspect(cls).relationships if r.key not in cls.hidden]
    fields = path_parameter("field", "a column or relation", {*cls.column_names(), *relations})
    out = {"get": operation(
        f"get_{resource}_field", f"a field of a {resource}: a value, a to-one object, or a "
        "page of a to-many relation", {**success(200, "the value", ANY), **errors(READ_ERRORS)},
        [ID, fields, AS_OF, *WINDOW], tags=[tag])}
    if cls.links:
        link = path_parameter("field", "a many-to-many link", cls.links)
        written = {**success(200, f"the {resource} as written", ref(component_name(resource))),
                   **errors(WRITE_ERRORS)}
        out["post"] = operation(
            f"link_{resource}", f"link a {resource} to one more object", written, [ID, link],
            body({"type": "object", "properties": {"id": {"type": "string"}},
                  "required": ["id"]}), tags=[tag])
        out["delete"] = operation(
            f"unlink_{resource}", f"remove one link of a {resource}", written,
            [ID, link, parameter("id", "query", required=True,
                                 description="the linked object's ID")], tags=[tag])
    return out


def bulk_responses():
    """The answers of an import: its report when rows were read (200, or 422 when any was
    refused and nothing was written), the one error shape otherwise."""
    out = {**success(200, "the report: every row valid (and written unless a dry run)",
                     ref("BulkReport")), **errors(WRITE_ERRORS)}
    out.update(success(422, "the report: some rows refused, nothing written", {"anyOf": [
        ref("BulkReport"), ref("Error")]}))
    return out


def bulk_path(cls, tag):
    """``/api/<plural>/bulk``: objects of one resource in one transaction."""
    rows = {"type": "array", "items": ref(component_name(cls.resource, "Create"))}
    request = {"oneOf": [rows, {"type": "object", "properties": {
        "objects": rows, "dry_run": {"type": "boolean"}, "update": {"type": "boolean"}},
        "required": ["objects"]}]}
    return {"post": operation(
        f"bulk_{cls.resource}", f"import {cls.plural}: every row written, or none",
        bulk_responses(),
        [parameter("dry_run", "query", {"type": "string", "enum": ["true", "false"]}),
         parameter("update", "query", {"type": "string", "enum": ["true", "false"]})],
        body(request, media=("application/json", "application/x-ndjson")), tags=[tag])}


def bulk_many_path(resources):
    """``/api/bulk``: objects of several resources, each naming its ``resource``."""
    row = {"type": "object", "properties": {"resource": {"type": "string",
                                                         "enum": sorted(resources)}},
           "required": ["resource"]}
    rows = {"type": "array", "items": row}
    request = {"oneOf": [rows, {"type": "object", "properties": {
        "objects": rows, "dry_run": {"type": "boolean"}, "update": {"type": "boolean"}},
        "required": ["objects"]}]}
    return {"post": operation(
        "bulk", "import objects of several resources, parents first: every row written, "
        "or none", bulk_responses(),
        [parameter("dry_run", "query", {"type": "string", "enum": ["true", "false"]}),
         parameter("update", "query", {"type": "string", "enum": ["true", "false"]})],
        body(request, media=("application/json", "application/x-ndjson")), tags=["bulk"])}


def action_parameters(action):
    """Query parameters of an action: its query options, what its flags set, fixed queries."""
    out = {}
    for arg in (*action.args, *action.options):
        if arg.type == "flag":
            for key, _value in arg.sets:
                out[key] = parameter(key, "query", {"type": "string",
                                                    "enum": ["true", "false"]}, description=arg.help)
        elif arg.send == "query":
            out[arg.name] = parameter(arg.name, "query", ARG_TYPES[arg.type],
                                      description=arg.help)
    for key, _value in action.query:
        out.setdefault(key, parameter(key, "query"))
    return list(out.values())


def action_body(action):
    """The JSON body of an action's ``body`` arguments, or None."""
    sent = [a for a in (*action.args, *action.options) if a.type != "flag" and a.send == "body"]
    if not sent:
        return None
    properties = {a.name: {**ARG_TYPES[a.type], "description": a.help} for a in sent}
    required = [a.name for a in action.args if a.send == "body"]
    return body({"type": "object", "properties": properties, "required": required},
                required=bool(required))


def action_path(cls, action, tag):
    """``(path, method, operation)`` of one declared action."""
    params = action_parameters(action)
    if action.scope != COLLECTION:
        params.insert(0, ID)
    method = action.method.lower()
    statuses = (200, 201) if method == "post" else (200,)
    responses = {}
    for status in statuses:
        responses.update(success(status, "the answer", ANY))
    statuses = set(WRITE_ERRORS if method == "post" else READ_ERRORS)
    statuses |= {STATUS[kind][0] for kind in action.refuses}
    responses.update(errors(sorted(statuses)))
    return ("/api/" + action.url_path(cls.plural), method,
            operation(f"{cls.resource}_{action.name}", action.help.format(resource=cls.resource),
                      responses, params, action_body(action), tags=[tag]))


def resource_paths(cls):
    """Every plain-face path of one resource: ``{path: path item}``."""
    tag = cls.resource
    base = f"/api/{cls.plural}"
    paths = {base: collection_path(cls, tag), base + "/{id}": item_path(cls, tag),
             base + "/{id}/{field}": field_path(cls, tag), base + "/bulk": bulk_path(cls, tag)}
    for action in cls.actions:
        path, method, op = action_path(cls, action, tag)
        paths.setdefault(path, {})[method] = op
    return paths
