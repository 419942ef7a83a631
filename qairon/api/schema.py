"""The resource schema: what qcli generates its commands from, read off the registry.

Besides columns and relations, each resource exports what its class declares:
``links`` with their flags, the relations ``embedded`` in its plain
representation, and its ``actions`` (routes beyond CRUD, with their arguments
and how qcli prints the answer); and, for authorisation, whether it lives in an
environment (the first segment of its ID) and whether a token scoped to
environments may write it although it has none (``scoped_writable``). The
top-level ``order`` lists the resources parents first, the order bulk import
applies rows in.
"""
from sqlalchemy import JSON, DateTime, Float, Text, inspect

from qairon.identity.scope import placed_resources
from qairon.models import REGISTRY, dependency_order


def _kind(column):
    kind = column.type
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Float):
        return "number"
    if isinstance(kind, Text):
        return "text"
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
        "links": {name: link.schema(relations[name].mapper.class_.resource)
                  for name, link in cls.links.items()},
        "embedded": {name: list(lists) for name, lists in cls.embedded.items()},
        "actions": [action.schema(cls.resource, cls.plural) for action in cls.actions],
        "in_environment": cls.resource in placed_resources(),
        "scoped_writable": cls.scoped_writable,
    }


def schema_document():
    """The whole schema: resources sorted by name, and their dependency ``order``."""
    return {"resources": {name: resource_schema(REGISTRY[name]) for name in sorted(REGISTRY)},
            "order": dependency_order()}
