"""Turn client-supplied JSON values into column values, or refuse them clearly."""
from sqlalchemy import JSON, Float, Integer, String, Text

from qairon.core.errors import BadRequest


def coerce(cls, field, value):
    """Check and convert ``value`` for ``cls.field``; numbers given as text are accepted."""
    column = cls.__table__.columns[field]
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, (String, Text)) or hasattr(kind, "impl") and isinstance(kind.impl, String):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise BadRequest(f"{field} must be text, not {type(value).__name__}", field=field)
        return str(value)
    if isinstance(kind, (Float, Integer)):
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise BadRequest(f"{field} {value!r} must be a number", field=field) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadRequest(f"{field} must be a number, not {type(value).__name__}", field=field)
        return value
    return value


def assignable(cls, data, current=None):
    """Validate a plain JSON body against ``cls``: known, writable fields only.

    ``current`` is the object being patched; echoing back its read-only fields
    unchanged (as clients that PATCH what they GET do) is accepted.
    """
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object of fields", field="body")
    writable = set(cls.writable_fields())
    out = {}
    for key, value in data.items():
        field = key if key in writable or f"{key}_id" not in writable else f"{key}_id"
        if field in READ_ONLY:
            echoed = key == "resource" and value == cls.resource or (
                current is not None and key == "id" and value == current.id)
            if echoed:
                continue
            raise BadRequest(f"{key} is computed by the server and cannot be set", field=key)
        if field not in writable:
            raise BadRequest(f"{key!r} is not a field of {cls.resource}; its fields are "
                             f"{', '.join(sorted(writable))}", field=key)
        out[field] = coerce(cls, field, value)
    return out


READ_ONLY = ("id", "resource", "created_at", "last_updated_at")
