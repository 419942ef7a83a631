"""Filters, sorting and pagination shared by both REST faces.

Filters use Flask-Restless-NG's language (``{"name", "op", "val"}``) in either
of its two spellings — a bare list or ``{"filters": [...]}`` — and accept
dotted relationship paths such as ``stack.application_id``.
"""
import json

from flask_restless import exceptions as restless_errors
from flask_restless.search import search
from sqlalchemy import inspect

from qairon.core.errors import BadRequest

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def parse_filter_text(text, field="filter"):
    """Parse the JSON text of a filter in either spelling into a list."""
    try:
        value = json.loads(text)
    except ValueError:
        raise BadRequest(f"{field} is not valid JSON: {text[:80]!r}", field=field) from None
    return normalise_filters(value, field)


def normalise_filters(value, field="filter"):
    """Accept ``[...]`` or ``{"filters": [...]}``; return the list."""
    if isinstance(value, dict) and "filters" in value:
        value = value["filters"]
    if not isinstance(value, list) or not all(isinstance(f, dict) for f in value):
        raise BadRequest(f'{field} must be a list of filter objects or {{"filters": [...]}}',
                         field=field)
    return value


def expand_dotted(model, filt):
    """Rewrite ``{"name": "a.b", ...}`` into nested ``has``/``any`` filters on ``model``."""
    if "or" in filt or "and" in filt:
        key = "or" if "or" in filt else "and"
        return {key: [expand_dotted(model, f) for f in filt[key]]}
    name = filt.get("name", "")
    if not isinstance(name, str) or "." not in name:
        return filt
    head, rest = name.split(".", 1)
    relationships = inspect(model).relationships
    if head not in relationships:
        raise BadRequest(f"filter name {name!r}: {head!r} is not a relation of "
                         f"{getattr(model, 'resource', model.__name__)}", field="filter")
    relation = relationships[head]
    inner = expand_dotted(relation.mapper.class_, dict(filt, name=rest))
    return {"name": head, "op": "any" if relation.uselist else "has", "val": inner}


def build_query(session, model, filters=(), sort=None):
    """A query for ``model`` with filters and sorting applied; bad input -> BadRequest."""
    filters = [expand_dotted(model, f) for f in filters]
    for f in filters:
        _check_field(model, f)
    if "like" in json.dumps(filters) and byte_ordered(session):
        filters = [prefix_range(f) for f in filters]
    sort = sort or [("+", "id")]
    try:
        return search(session, model, filters=filters, sort=sort)
    except restless_errors.BadRequest as exc:
        raise BadRequest(f"filter: {exc.details}", field="filter") from None


#: Collations that order text by code point, where a prefix is a key range.
BYTE_ORDER = ("C", "POSIX", "C.UTF-8", "C.utf8")
_COLLATION = {}


def byte_ordered(session):
    """True on a PostgreSQL database whose collation orders text by code point."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    key = str(bind.url)
    if key not in _COLLATION:
        _COLLATION[key] = session.connection().exec_driver_sql(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()"
        ).scalar() in BYTE_ORDER
    return _COLLATION[key]


def prefix_range(filt):
    """``like 'abc%'`` -> the same filter plus ``>= 'abc'`` and ``< 'abd'``, so that a
    B-tree index serves it (PostgreSQL uses one for LIKE only under the C collation).
    Only for a literal prefix: the LIKE stays, so the rows are exactly the same."""
    if "or" in filt or "and" in filt:
        key = "or" if "or" in filt else "and"
        return {key: [prefix_range(f) for f in filt[key]]}
    value = filt.get("val")
    if filt.get("op") != "like" or not isinstance(value, str) or not value.endswith("%"):
        return filt
    prefix = value[:-1]
    if not prefix or any(c in prefix for c in "%_\\") or prefix[-1] == "\U0010ffff":
        return filt
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    name = filt.get("name")
    return {"and": [filt, {"name": name, "op": "ge", "val": prefix},
                    {"name": name, "op": "lt", "val": upper}]}


def _check_field(model, filt):
    if "or" in filt or "and" in filt:
        for f in filt.get("or", filt.get("and", [])):
            _check_field(model, f)
        return
    name = filt.get("name")
    if not hasattr(model, str(name)):
        raise BadRequest(f"filter name {name!r} is not a field of {model.resource}",
                         field="filter")


def parse_sort(text, model):
    """``name,-created_at`` -> [("+", "name"), ("-", "created_at")], fields checked."""
    if not text:
        return None
    out = []
    for item in text.split(","):
        direction, name = ("-", item[1:]) if item.startswith("-") else ("+", item)
        if name not in model.column_names():
            raise BadRequest(f"sort field {name!r} is not a field of {model.resource}",
                             field="sort")
        out.append((direction, name))
    return out


def parse_window(args):
    """(limit, offset) from query parameters, checked."""
    values = {}
    for name, default in (("limit", DEFAULT_LIMIT), ("offset", 0)):
        raw = args.get(name, default)
        try:
            values[name] = int(raw)
        except (TypeError, ValueError):
            raise BadRequest(f"{name} {raw!r} must be a whole number", field=name) from None
        if values[name] < 0:
            raise BadRequest(f"{name} {raw!r} may not be negative", field=name)
    if not 1 <= values["limit"] <= MAX_LIMIT:
        raise BadRequest(f"limit {values['limit']} must be between 1 and {MAX_LIMIT}",
                         field="limit")
    return values["limit"], values["offset"]
