"""The resource schema: what qcli generates its commands from, read off the registry."""
from sqlalchemy import JSON, DateTime, Float, inspect

from qairon.models import REGISTRY


def _kind(column):
    kind = column.type
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Float):
        return "number"
    return "string"


def resource_schema(cls):
    """The schema entry of one resource."""
    columns = cls.__table__.columns
    relations = inspect(cls).relationships
    options = {}
    for name, default in cls.option_fields().items():
        entry = {"type": _kind(columns[name])}
        if default is not None:
            entry["default"] = default
        options[name] = entry
    return {
        "plural": cls.plural,
        "doc": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "",
        "id_parts": list(cls.identity_fields()),
        "create": list(cls.create),
        "options": options,
        "fields": {name: _kind(columns[name]) for name in cls.column_names()},
        "to_one": {r.key: r.mapper.class_.resource for r in relations if not r.uselist},
        "to_many": {r.key: r.mapper.class_.resource for r in relations if r.uselist},
        "links": {name: relations[name].mapper.class_.resource for name in cls.links},
    }


def schema_document():
    """The whole schema, resources sorted by name."""
    return {"resources": {name: resource_schema(REGISTRY[name]) for name in sorted(REGISTRY)}}
