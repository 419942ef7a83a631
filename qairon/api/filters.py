"""Filters checked before any query is built, on both faces: every mistake is a 400
naming the filter, never an empty answer or "Unable to construct query".

A filter is ``{"name": <field>, "op": <operator>, "val": <value>}`` (``"field":
<other column>`` may replace ``val``), or ``{"or": [filters]}`` /
``{"and": [filters]}``. A dotted name (``stack.application_id``) goes through
relations. :func:`prepare_filters` checks the structure, the field, the
operator (:data:`OPERATORS`; a near miss such as ``equals`` is answered with
the name to use) and the type of the value against the column, and returns
the filters in the form Flask-Restless-NG's query builder takes: dotted names
expanded into ``has``/``any``, values converted (numbers given as text).
"""
from datetime import datetime

from sqlalchemy import DateTime, inspect
from sqlalchemy.dialects import postgresql

from qairon.core.cidr import parse_cidr
from qairon.core.errors import BadRequest, QaironError
from qairon.core.text import quoted
from qairon.pipeline.shape import column_kind, number

UNARY = ("is_null", "is_not_null")
COMPARE = ("eq", "ne", "gt", "ge", "lt", "le")
TEXT = ("like", "not_like", "ilike")
LISTS = ("in", "not_in")
NESTED = ("has", "any")
#: The operators, by the names the documentation gives; ``==`` and friends are accepted too.
OPERATORS = COMPARE + TEXT + LISTS + UNARY + NESTED
SYMBOLS = {"==": "eq", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
#: Spellings that are close enough to suggest the right name.
NEAR = {"equals": "eq", "equal_to": "eq", "=": "eq", "neq": "ne", "not_equal_to": "ne",
        "does_not_equal": "ne", "gte": "ge", "geq": "ge", "lte": "le", "leq": "le",
        "contains": "like", "is": "eq", "not": "ne", "null": "is_null"}
KEYS = ("name", "op", "val", "field")
#: Most filter objects and list values one request may hold.
MAX_TERMS = 1000


def _refuse(where, field, message):
    raise BadRequest(f"{where}: {message}", field=field)


def operator(op, where, field):
    """The canonical name of ``op``, or a 400 listing the operators."""
    if isinstance(op, str) and op in OPERATORS:
        return op
    if isinstance(op, str) and op in SYMBOLS:
        return SYMBOLS[op]
    hint = f" (did you mean {NEAR[op]!r}?)" if isinstance(op, str) and op in NEAR else ""
    given = "no op" if op is None else f"unknown operator {quoted(op)}"
    _refuse(where, field, f"{given}{hint}; the operators are {', '.join(OPERATORS)} "
                          f"(and ==, !=, >, >=, <, <=)")


def _is_cidr(column):
    variant = getattr(column.type, "_variant_mapping", {}).get("postgresql")
    return isinstance(variant, (postgresql.CIDR, postgresql.INET))


def _scalar(column, op, value, where, field):
    """``value`` checked and converted for one comparison with ``column``."""
    kind, name = column_kind(column), column.key
    if kind == "json":
        if not isinstance(value, dict):
            _refuse(where, field, f"{name} is a JSON object: compare it with an object such "
                                  f'as {{"tier": 1}}, not {quoted(value)}')
        return value
    if isinstance(value, (dict, list)):
        _refuse(where, field, f"{name} {op} takes one value, not a JSON "
                              f"{'object' if isinstance(value, dict) else 'list'}")
    if kind == "number":
        try:
            return number("val", value)
        except QaironError:
            _refuse(where, field, f"{name} is a number; {quoted(value)} is not")
    if kind in ("text", "document"):
        if isinstance(value, int) and not isinstance(value, bool) and op in ("eq", "ne"):
            value = str(value)
        if not isinstance(value, str):
            _refuse(where, field, f"{name} is text: give the value of {op} as text, "
                                  f"not {type(value).__name__} {quoted(value)}")
        if _is_cidr(column) and op in ("eq", "ne"):
            try:
                return str(parse_cidr(value, "val"))
            except QaironError as exc:
                _refuse(where, field, f"{name}: {exc.detail}")
        if op in TEXT and (len(value) - len(value.rstrip("\\"))) % 2:
            _refuse(where, field, f"the {op} pattern {quoted(value)} ends with a lone "
                                  f"backslash (\\ escapes the character after it)")
        return value
    if isinstance(column.type, DateTime):
        try:
            datetime.fromisoformat(value if isinstance(value, str) else "?")
        except ValueError:
            _refuse(where, field, f"{name} is a time: give an ISO 8601 text such as "
                                  f"2024-05-01T12:00:00+00:00, not {quoted(value)}")
    return value


def _allowed(column, op, where, field):
    kind, name = column_kind(column), column.key
    if op in TEXT and (kind not in ("text", "document") or _is_cidr(column)):
        _refuse(where, field, f"{op} compares text patterns; {name} is not plain text "
                              f"(use eq, ne, in{'' if _is_cidr(column) else ', gt, lt...'})")
    if kind == "json" and op not in ("eq", "ne") + UNARY:
        _refuse(where, field, f"{name} is a JSON object: filter it with eq, ne or is_null")
    if _is_cidr(column) and op in ("gt", "ge", "lt", "le"):
        _refuse(where, field, f"{name} is a network: filter it with eq, ne, in or not_in")
    if isinstance(column.type, DateTime) and op in LISTS:
        _refuse(where, field, f"{name} is a time: compare it with eq, gt, ge, lt or le")


def _column_filter(model, column, filt, op, where, field):
    name = column.key
    if op in UNARY:
        return {"name": name, "op": op}
    _allowed(column, op, where, field)
    if "field" in filt:
        other = filt["field"]
        if not isinstance(other, str) or other not in model.__table__.columns or \
                other in model.hidden:
            _refuse(where, field, f"field {quoted(other)} is not a field of {model.resource}")
        if type(model.__table__.columns[other].type) is not type(column.type):
            _refuse(where, field, f"{name} and {other} hold different kinds of values; "
                                  f"compare a field with one of its own kind")
        return {"name": name, "op": op, "field": other}
    value = filt.get("val")
    if value is None:
        _refuse(where, field, f"{name} {op} has no val: give the value to compare with "
                              f'("val": ...), or use is_null / is_not_null')
    if op in LISTS:
        if not isinstance(value, list):
            _refuse(where, field, f"{op} takes a JSON list of values, not {quoted(value)}")
        value = [_scalar(column, "eq", v, f"{where}.val[{i}]", field)
                 for i, v in enumerate(value)]
    else:
        value = _scalar(column, op, value, where, field)
    return {"name": name, "op": op, "val": value}


def _relation_filter(model, relation, filt, op, where, field):
    name, target = relation.key, relation.mapper.class_
    nested = "any" if relation.uselist else "has"
    if op in UNARY and not relation.uselist:
        return {"name": name, "op": op}
    if op not in NESTED:
        _refuse(where, field, f"{name} is a relation of {model.resource}: filter on its "
                              f"fields with a dotted name such as {name}.id, or with {nested}")
    if op != nested:
        _refuse(where, field, f"{name} is a to-{'many' if relation.uselist else 'one'} "
                              f"relation: use {nested}, not {op}")
    value = filt.get("val")
    if not isinstance(value, dict):
        _refuse(where, field, f'{op} takes a filter on {target.resource} as val, such as '
                              f'{{"name": "id", "op": "eq", "val": "..."}}')
    return {"name": name, "op": op, "val": _one(target, value, f"{where}.val", field)}


def _one(model, filt, where, field):
    if not isinstance(filt, dict):
        _refuse(where, field, f'a filter is an object such as {{"name": "id", "op": "eq", '
                              f'"val": "..."}}, not {quoted(filt)}')
    junction = [key for key in ("or", "and") if key in filt]
    if junction:
        key = junction[0]
        if len(filt) != 1:
            _refuse(where, field, f'an "{key}" filter holds only its list of filters')
        items = filt[key]
        if not isinstance(items, list) or not items:
            _refuse(where, field, f'"{key}" takes a non-empty list of filters, not {quoted(items)}')
        return {key: [_one(model, f, f"{where}.{key}[{i}]", field) for i, f in enumerate(items)]}
    unknown = sorted(str(k) for k in filt if k not in KEYS)
    if unknown:
        _refuse(where, field, f"unknown key {quoted(unknown[0])}; a filter has name, op and "
                              f"val (or field), or is an or/and list")
    name = filt.get("name")
    if not isinstance(name, str) or not name:
        _refuse(where, field, f"no name: give the field to filter on as \"name\" "
                              f"(got {quoted(name)})")
    op = operator(filt.get("op"), where, field)
    head, _, rest = name.partition(".")
    relations = inspect(model).relationships
    if rest:
        if head not in relations or head in model.hidden:
            _refuse(where, field, f"{quoted(head)} in {quoted(name)} is not a relation of "
                                  f"{model.resource}")
        relation = relations[head]
        inner = _one(relation.mapper.class_, dict(filt, name=rest), where, field)
        return {"name": head, "op": "any" if relation.uselist else "has", "val": inner}
    if head in relations and head not in model.hidden:
        return _relation_filter(model, relations[head], filt, op, where, field)
    columns = model.__table__.columns
    if head not in columns or head in model.hidden:
        _refuse(where, field, f"{quoted(head)} is not a field of {model.resource}")
    return _column_filter(model, columns[head], filt, op, where, field)


def prepare_filters(model, filters, field="filter"):
    """Check ``filters`` (a list) against ``model``; return them ready for the query builder.

    Every refusal is a :class:`BadRequest` naming ``field`` (the query
    parameter) and, in its sentence, the filter by position: ``filter[1].or[0]``.
    """
    if not isinstance(filters, list):
        raise BadRequest(f'{field} must be a list of filters or {{"filters": [...]}}', field=field)
    terms, stack = 0, list(filters)
    while stack:
        item = stack.pop()
        terms += 1
        if terms > MAX_TERMS:
            raise BadRequest(f"{field} holds more than {MAX_TERMS:,} filters and values; "
                             f"split the query", field=field)
        if isinstance(item, (dict, list)):
            stack.extend(item.values() if isinstance(item, dict) else item)
    return [_one(model, f, f"{field}[{i}]", field) for i, f in enumerate(filters)]


def prepare_pair(model, name, value):
    """The filter of a ``?name=value`` query parameter (equality), checked like the others."""
    return _one(model, {"name": name, "op": "eq", "val": value}, f"?{name}", name)
