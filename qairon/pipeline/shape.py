"""Turn client-supplied JSON values into column values, or refuse them clearly.

Text columns refuse what cannot be stored or shown (:mod:`qairon.core.text`):
one-line columns (``String``: names, IDs, ``native_id``, ``url``...) every
control character, document columns (``Text``: a template, a config) all
but tab and line breaks. Number columns take finite numbers, also given as text; JSON columns an object,
also given as JSON text holding one.
"""
import math

from sqlalchemy import JSON, Float, Integer, String, Text

from qairon.core.errors import BadRequest
from qairon.core.jsontext import loads
from qairon.core.limits import LIMITS
from qairon.core.text import MULTI_LINE, ONE_LINE, clip, quoted, text_problem


def column_kind(column):
    """``"json"``, ``"document"``, ``"text"``, ``"number"`` or None for a column's type."""
    kind = column.type
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, Text):
        return "document"
    if isinstance(kind, String) or hasattr(kind, "impl") and isinstance(kind.impl, String):
        return "text"
    if isinstance(kind, (Float, Integer)):
        return "number"
    return None


def number(field, value):
    """A finite number from a JSON number or its text; :class:`BadRequest` naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadRequest(f"{field} must be a number, not {type(value).__name__}", field=field)
    try:
        result = float(value) if isinstance(value, str) else value
        finite = math.isfinite(result)
    except (ValueError, OverflowError):
        raise BadRequest(f"{field} {quoted(value)} must be a number", field=field) from None
    if not finite:
        raise BadRequest(f"{field} {quoted(value)} must be a finite number", field=field)
    return result


def coerce(cls, field, value):
    """Check and convert ``value`` for ``cls.field``; numbers given as text are accepted."""
    if value is None:
        return None
    kind = column_kind(cls.__table__.columns[field])
    if kind in ("text", "document"):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise BadRequest(f"{field} must be text, not {type(value).__name__}", field=field)
        text = str(value)
        problem = text_problem(field, text, ONE_LINE if kind == "text" else MULTI_LINE)
        if problem:
            raise BadRequest(problem, field=field)
        return text
    if kind == "number":
        return number(field, value)
    if kind == "json" and isinstance(value, str):
        return json_text_object(field, value)
    return value


def json_text_object(field, text):
    """The object a JSON column's value given as JSON text holds (``"{}"``, as the older
    Qairon's client sends ``defaults``); text holding anything else is refused."""
    try:
        value = loads(text, LIMITS.json_max_depth, root=field, field=field)
    except BadRequest as exc:
        raise BadRequest(f"{field} must be a JSON object, or JSON text holding one; "
                         f"{exc.detail}", field=field) from None
    if not isinstance(value, dict):
        raise BadRequest(f"{field} must be a JSON object, or JSON text holding one; this text "
                         f"holds {type(value).__name__}", field=field)
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
            raise BadRequest(f"{quoted(key)} is not a field of {cls.resource}; its fields are "
                             f"{', '.join(sorted(writable))}", field=clip(key))
        if value is None and column_kind(cls.__table__.columns[field]) == "json":
            raise BadRequest(f"{field} must be a JSON object, not null (give {{}} for none)",
                             field=field)
        out[field] = coerce(cls, field, value)
    return out


READ_ONLY = ("id", "resource", "created_at", "last_updated_at", "recon")
