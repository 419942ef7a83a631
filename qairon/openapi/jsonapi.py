"""The JSON:API face (``/api/rest/v1/<resource>``) of every registered resource.

Its media type is ``application/vnd.api+json`` (plain ``application/json`` is
accepted in requests); documents carry ``data`` (one resource object, a list
of them, or null), ``included``, ``links`` and ``meta``; errors sit in
``errors``. The resource objects' attributes are the plain face's columns (less those a
resource hides from the older client, ``upstream.hidden``).
"""
from sqlalchemy import inspect

from qairon.api.errors import JSONAPI_PREFIX
from qairon.openapi.operations import (
    ANY,
    JSON,
    JSONAPI,
    READ_ERRORS,
    WRITE_ERRORS,
    body,
    errors,
    operation,
    parameter,
    path_parameter,
    success,
)
from qairon.openapi.schemas import body_schema, column_schema, component_name, nullable, ref

MEDIA = (JSONAPI, JSON)
RESOURCE_ID = path_parameter("resource_id", "the object's canonical ID")


def resource_object(cls):
    """A resource object of ``cls``: type, id, attributes (its columns), relationships."""
    columns = cls.__table__.columns
    attributes = {name: column_schema(columns[name]) for name in cls.column_names()[1:]
                  if name not in cls.upstream.hidden}
    return {"type": "object",
            "properties": {"type": {"const": cls.resource}, "id": {"type": "string"},
                           "attributes": {"type": "object", "properties": attributes},
                           "relationships": {"type": "object"}, "links": {"type": "object"},
                           "meta": {"type": "object"}},
            "required": ["type", "id"]}


def documents(cls):
    """Component schemas of the JSON:API face of ``cls``: object, one, many, new, change."""
    name = component_name(cls.resource)
    top = {"included": {"type": "array", "items": {"type": "object"}},
           "links": {"type": "object"}, "meta": {"type": "object"},
           "jsonapi": {"type": "object"}}

    def document(data):
        return {"type": "object", "properties": {"data": data, **top}, "required": ["data"]}

    def incoming(with_id, fields):
        data = {"type": "object", "properties": {
            "type": {"const": cls.resource}, "attributes": body_schema(cls, fields),
            "relationships": {"type": "object"}}, "required": ["type"]}
        if with_id:
            data["properties"]["id"] = {"type": "string"}
            data["required"].append("id")
        return document(data)

    identity = set(cls.identity_fields())
    return {name + "Resource": resource_object(cls),
            name + "Document": document(nullable(ref(name + "Resource"))),
            name + "Collection": document({"type": "array",
                                           "items": ref(name + "Resource")}),
            name + "New": incoming(False, cls.writable_fields()),
            name + "Change": incoming(True, [n for n in cls.writable_fields()
                                             if n not in identity])}


def _read_parameters(cls, many):
    out = [parameter("include", "query", description="relation paths, `,`-separated "
                     "(at most 2 deep)"),
           parameter(f"fields[{cls.resource}]", "query", description="attributes to answer")]
    if many:
        out += [parameter("page[size]", "query", {"type": "integer", "minimum": 0}),
                parameter("page[number]", "query", {"type": "integer", "minimum": 0}),
                parameter("sort", "query"),
                parameter("filter[objects]", "query", description="JSON filters"),
                parameter("filter[single]", "query", {"type": "string", "enum": ["0", "1"]})]
    return out


def resource_paths(cls):
    """Every JSON:API path of ``cls``: ``{path: path item}``."""
    resource, tag = cls.resource, f"{cls.resource} (JSON:API)"
    name = component_name(resource)
    base = f"{JSONAPI_PREFIX}/{resource}"
    relations = [r.key for r in inspect(cls).relationships if r.key not in cls.hidden]
    relations += [alias for alias, _ours in cls.upstream.collections]
    relation = path_parameter("relation_name", "a relation", relations or None)
    read_errors, write_errors = errors(READ_ERRORS, True), errors(WRITE_ERRORS, True)
    any_document = success(200, "a JSON:API document", ANY, JSONAPI)
    changed = {**success(200, "the linkage as stored", ANY, JSONAPI),
               **success(204, "done"), **write_errors}
    op = operation
    return {
        base: {
            "get": op(f"jsonapi_list_{resource}", f"list {resource} objects (JSON:API)",
                      {**success(200, "a page", ref(name + "Collection"), JSONAPI),
                       **read_errors}, _read_parameters(cls, True), tags=[tag]),
            "post": op(f"jsonapi_create_{resource}", f"create a {resource} (JSON:API)",
                       {**success(201, "the new object", ref(name + "Document"), JSONAPI),
                        **write_errors}, request_body=body(ref(name + "New"), MEDIA),
                       tags=[tag])},
        base + "/{resource_id}": {
            "parameters": [RESOURCE_ID],
            "get": op(f"jsonapi_get_{resource}", f"get a {resource} (JSON:API)",
                      {**success(200, "the object", ref(name + "Document"), JSONAPI),
                       **read_errors}, _read_parameters(cls, False), tags=[tag]),
            "patch": op(f"jsonapi_patch_{resource}", f"change a {resource} (JSON:API)",
                        {**success(200, "the object as written", ref(name + "Document"),
                                   JSONAPI), **success(204, "written"), **write_errors},
                        request_body=body(ref(name + "Change"), MEDIA), tags=[tag]),
            "delete": op(f"jsonapi_delete_{resource}", f"delete a {resource} (JSON:API)",
                         {**success(204, "deleted"), **write_errors},
                         [parameter("cascade", "query",
                                    {"type": "string", "enum": ["true", "false"]})],
                         tags=[tag])},
        base + "/{resource_id}/{relation_name}": {
            "get": op(f"jsonapi_related_{resource}", f"objects related to a {resource}",
                      {**any_document, **read_errors},
                      [RESOURCE_ID, relation, *_read_parameters(cls, True)], tags=[tag])},
        base + "/{resource_id}/{relation_name}/{related_resource_id}": {
            "get": op(f"jsonapi_related_one_{resource}", f"one object related to a {resource}",
                      {**any_document, **read_errors},
                      [RESOURCE_ID, relation, path_parameter("related_resource_id")],
                      tags=[tag])},
        base + "/{resource_id}/relationships/{relation_name}": {
            "parameters": [RESOURCE_ID, relation],
            "get": op(f"jsonapi_linkage_{resource}", f"the linkage of a {resource}'s relation",
                      {**any_document, **read_errors}, tags=[tag]),
            **{method: op(f"jsonapi_{method}_linkage_{resource}",
                          f"{verb} the linkage of a {resource}'s relation", changed,
                          request_body=body(ref("JsonApiLinkage"), MEDIA), tags=[tag])
               for method, verb in (("post", "add to"), ("patch", "replace"),
                                    ("delete", "remove from"))}},
    }
