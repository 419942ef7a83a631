"""Filters, sorting and pagination shared by both REST faces.

Filters use Flask-Restless-NG's language (``{"name", "op", "val"}``) in either
of its two spellings — a bare list or ``{"filters": [...]}`` — and accept
dotted relationship paths such as ``stack.application_id``; they are checked
by :mod:`qairon.api.filters` before a query is built.
"""
import json

from flask_restless import exceptions as restless_errors
from flask_restless.search import search

from qairon.api.params import whole_number
from qairon.core.errors import BadRequest
from qairon.core.jsontext import loads
from qairon.core.limits import LIMITS

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def parse_filter_text(text, field="filter"):
    """Parse the JSON text of a filter in either spelling into a list (not yet checked)."""
    return normalise_filters(loads(text, LIMITS.json_max_depth, root=field, field=field), field)


def normalise_filters(value, field="filter"):
    """Accept ``[...]`` or ``{"filters": [...]}``; return the list."""
    if isinstance(value, dict) and "filters" in value:
        value = value["filters"]
    if not isinstance(value, list):
        raise BadRequest(f'{field} must be a list of filter objects or {{"filters": [...]}}',
                         field=field)
    return value


def build_query(session, model, filters=(), sort=None):
    """A query for ``model`` with filters (as :func:`~qairon.api.filters.prepare_filters`
    returns them) and sorting applied."""
    filters = list(filters)
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
    following = ord(prefix[-1]) + 1
    upper = prefix[:-1] + chr(0xE000 if following == 0xD800 else following)  # skip surrogates
    name = filt.get("name")
    return {"and": [filt, {"name": name, "op": "ge", "val": prefix},
                    {"name": name, "op": "lt", "val": upper}]}


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
    """(limit, offset) from query parameters, checked: limit 1..1000, offset 0..2^63-1."""
    limit = whole_number("limit", args.get("limit", DEFAULT_LIMIT), 1, MAX_LIMIT)
    return limit, whole_number("offset", args.get("offset", 0))
