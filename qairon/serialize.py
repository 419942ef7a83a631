"""Plain JSON representation of resources, and the eager loads it needs."""
from datetime import datetime, timezone

from sqlalchemy.orm import selectinload

#: Relations embedded in an object's plain representation: relation -> its to-many lists.
EMBEDDED = {
    "deployment": {"current_release": ("release_artifacts",)},
}


def _value(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite keeps no zone; every timestamp is UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat()
    return value


def columns_dict(obj):
    """``id``, ``resource`` and every visible column of ``obj``."""
    out = {"id": obj.id, "resource": obj.resource}
    for name in obj.column_names()[1:]:
        out[name] = _value(getattr(obj, name))
    return out


def to_dict(obj):
    """The plain-face object: columns plus the embedded relations of its resource."""
    out = columns_dict(obj)
    for relation, lists in EMBEDDED.get(obj.resource, {}).items():
        related = getattr(obj, relation)
        if related is None:
            out[relation] = None
            continue
        nested = columns_dict(related)
        for name in lists:
            nested[name] = [columns_dict(child) for child in getattr(related, name)]
        out[relation] = nested
    return out


def loader_options(cls):
    """Eager-load options so that serialising a page costs a constant number of queries."""
    options = []
    for relation, lists in EMBEDDED.get(cls.resource, {}).items():
        attr = getattr(cls, relation)
        if lists:
            loader = selectinload(attr)
            for name in lists:
                options.append(loader.selectinload(getattr(attr.property.mapper.class_, name)))
        else:
            options.append(selectinload(attr))
    return options
