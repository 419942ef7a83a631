"""JSON Schemas read off the models, and the shapes every answer shares.

A resource gets four components, named from its resource name in CamelCase
(``deployment_target`` -> ``DeploymentTarget``): the plain object, its create
body (the positional ``create`` fields required), its patch body (no ID part:
those are changed by ``rename``) and its list envelope. A column's schema
follows its declared type, so a new resource or column is described with no
edits. The error shape is the one of :mod:`qairon.api.errors`.
"""
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text

from qairon.api.errors import STATUS
from qairon.core.ids import NAME_MAX_LENGTH

#: Text as the server takes it (:mod:`qairon.core.text`, :mod:`qairon.core.ids`): no control
#: characters in one-line text, tab and line breaks allowed in documents, and a name part
#: neither empty nor padded with white space nor holding the ID separator ``:``.
CONTROLS = "\\x00-\\x1f\\x7f-\\x9f"
ONE_LINE = f"^[^{CONTROLS}]*$"
DOCUMENT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
NAME = f"^[^\\s:{CONTROLS}]([^:{CONTROLS}]*[^\\s:{CONTROLS}])?$"

REF = "#/components/schemas/"


def component_name(resource, suffix=""):
    """``deployment_target`` -> ``DeploymentTarget`` (+ ``suffix``)."""
    return "".join(part.capitalize() for part in resource.split("_")) + suffix


def ref(name):
    """A ``$ref`` to the component schema ``name``."""
    return {"$ref": REF + name}


def nullable(schema):
    """``schema`` or null."""
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def column_schema(column):
    """The JSON Schema of one column's values, from its declared type."""
    kind = column.type
    if isinstance(kind, JSON):
        schema = {"type": "object"}
    elif isinstance(kind, DateTime):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, Integer):
        schema = {"type": "integer"}
    elif isinstance(kind, Float):
        schema = {"type": "number"}
    else:
        schema = {"type": "string"}
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        schema["description"] = f"ID of a {target}"
    return nullable(schema) if column.nullable else schema


def _embedded(cls, relation, lists):
    """The schema of an embedded to-one relation with its to-many lists."""
    target = getattr(cls, relation).property.mapper.class_
    schema = ref(component_name(target.resource))
    if lists:
        items = {name: {"type": "array", "items": ref(component_name(
            getattr(target, name).property.mapper.class_.resource))} for name in lists}
        schema = {"allOf": [schema, {"type": "object", "properties": items,
                                     "required": list(lists)}]}
    return nullable(schema)


def object_schema(cls):
    """The plain-face object of ``cls``: ``id``, ``resource``, every column, embedded relations."""
    columns = cls.__table__.columns
    properties = {"id": {"type": "string"}, "resource": {"const": cls.resource}}
    properties.update({name: column_schema(columns[name]) for name in cls.column_names()[1:]})
    for relation, lists in cls.embedded.items():
        properties[relation] = _embedded(cls, relation, lists)
    doc = (cls.__doc__ or cls.resource).strip().splitlines()[0]
    return {"type": "object", "description": doc, "properties": properties,
            "required": list(properties)}


def input_schema(cls, name):
    """What a request body may give for the column ``name`` of ``cls``."""
    column = cls.__table__.columns[name]
    schema = column_schema(column)
    if isinstance(column.type, JSON):
        return {"type": "object"}  # null is refused: {} is none
    if name in cls.name_fields():
        return {"type": "string", "minLength": 1, "maxLength": NAME_MAX_LENGTH, "pattern": NAME}
    if isinstance(column.type, Text):
        return {**schema, "pattern": DOCUMENT}
    if isinstance(column.type, String) or getattr(column.type, "impl", None) is not None:
        return {**schema, "pattern": ONE_LINE}
    return schema


def body_schema(cls, names, required=()):
    """A request body of the fields ``names`` (unknown fields are refused)."""
    properties = {name: input_schema(cls, name) for name in names}
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


def create_schema(cls):
    """The create body: the positional ``create`` fields required, the options optional."""
    return body_schema(cls, cls.writable_fields(), cls.create)


def patch_schema(cls):
    """The patch body: writable fields that are not part of the ID."""
    identity = set(cls.identity_fields())
    return body_schema(cls, [n for n in cls.writable_fields() if n not in identity])


def list_schema(item):
    """The plain face's list envelope around ``item`` schemas."""
    link = {"type": ["string", "null"], "format": "uri"}
    return {"type": "object",
            "properties": {"count": {"type": "integer", "minimum": 0}, "next": link,
                           "previous": link, "results": {"type": "array", "items": item}},
            "required": ["count", "next", "previous", "results"]}


ERROR = {
    "type": "object",
    "description": "The one error shape: the status, its title, a sentence naming the field, "
                   "the value and the rule, and the field (or null).",
    "properties": {
        "status": {"type": "integer", "enum": sorted({s for s, _t in STATUS.values()})},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "source": nullable({"type": "object", "properties": {"field": {"type": "string"}}}),
        "meta": {"type": "object"},
    },
    "required": ["status", "title", "detail", "source"],
}
JSONAPI_ERRORS = {
    "type": "object",
    "description": "JSON:API errors: the one error shape inside ``errors`` (status as text).",
    "properties": {"errors": {"type": "array", "minItems": 1, "items": {
        "type": "object",
        "properties": {**ERROR["properties"], "status": {"type": "string"}},
        "required": ["status", "title", "detail", "source"]}}},
    "required": ["errors"],
}
DELETED = {"type": "object", "description": "How many objects of each resource went.",
           "properties": {"deleted": {"type": "object",
                                      "additionalProperties": {"type": "integer"}}},
           "required": ["deleted"]}
BULK_REPORT = {"type": "object", "description": "The import's report: rows read, written, "
                                                "refused (each naming its row), the changeset.",
               "properties": {"error_count": {"type": "integer"},
                              "errors": {"type": "array", "items": {"type": "object"}},
                              "committed": {"type": "boolean"}},
               "required": ["error_count", "errors", "committed"]}
LINKAGE = {"type": "object", "description": "Relationship data: one resource identifier "
                                            "`{type, id}`, a list of them, or null.",
           "properties": {"data": {}}, "required": ["data"]}
SHARED = {"Error": ERROR, "JsonApiErrors": JSONAPI_ERRORS, "Deleted": DELETED,
          "BulkReport": BULK_REPORT, "JsonApiLinkage": LINKAGE}


def resource_components(cls):
    """The four component schemas of one resource."""
    name = component_name(cls.resource)
    return {name: object_schema(cls), name + "Create": create_schema(cls),
            name + "Patch": patch_schema(cls), name + "List": list_schema(ref(name))}
