"""Strategies shared by both faces: field values, object bodies, filters, sorts.

Every strategy takes the :class:`~tests.fuzz.catalog.Catalog` and a resource
name, and draws field names from that resource's schema, plus some that do
not exist.
"""
import json

from hypothesis import strategies as st

from .values import DEPTHS, deep_json, flags, ids, json_values, numbers, raw_json, texts

OPS = ["eq", "==", "ne", "!=", "lt", "le", "gt", "ge", "<", ">", "<=", ">=", "in", "not_in",
       "like", "ilike", "is_null", "is_not_null", "has", "any", "equals", "contains", "", None,
       "regexp", "~", "startswith", "__eq__", "eq; DROP TABLE service", "OR 1=1", "nope", 1]
BAD_NAMES = ["nope", "", "id.id", "stack.", ".", "__class__", "a" * 300, "\x00", "defaults.x",
             "name; DROP TABLE service", "name'--", 'name" OR 1=1', "id)--", "*", "1=1"]


def field_names(cat, resource, dotted=True):
    """A field of ``resource``, a relation's field (``stack.name``), or a wrong name."""
    spec = cat.resources[resource]
    options = [st.sampled_from(sorted(spec["fields"])), st.sampled_from(BAD_NAMES)]
    relations = {**spec["to_one"], **spec["to_many"]}
    if dotted and relations:
        options.append(st.sampled_from(sorted(
            f"{relation}.{name}" for relation, target in relations.items()
            for name in cat.resources[target]["fields"])))
    return st.one_of(*options)


def value_for(cat, kind):
    """A value for a field of schema type ``kind``: usually plausible, often not."""
    plausible = {"json": st.dictionaries(st.text(max_size=8), json_values(), max_size=3),
                 "number": numbers(), "datetime": st.sampled_from(
                     ["2024-01-01T00:00:00Z", "notadate", "", "9999-99-99", "0"])}
    return st.one_of(plausible.get(kind, st.one_of(texts(), ids(cat.all_ids()))),
                     json_values(max_leaves=4))


def fields_object(cat, resource, extra=None):
    """A dict of some of ``resource``'s fields (any values) and maybe unknown ones."""
    spec = cat.resources[resource]
    optional = {name: value_for(cat, kind) for name, kind in spec["fields"].items()}
    optional["unknown_field"] = json_values(max_leaves=2)
    optional.update(extra or {})
    required = {name: st.one_of(texts(), ids(cat.all_ids())) for name in spec["create"]}
    rest = {name: value for name, value in optional.items() if name not in required}
    return st.one_of(st.fixed_dictionaries(required, optional=rest),
                     st.fixed_dictionaries({}, optional=optional))


@st.composite
def plausible_object(draw, cat, resource):
    """A valid create of the seed world with one field changed: often a new object."""
    samples = cat.samples[resource]
    fields = dict(samples[draw(st.integers(0, len(samples) - 1))])
    spec = cat.resources[resource]
    names = [f for f in spec["id_parts"] if not f.endswith("_id")]
    if names and draw(st.integers(0, 3)) < 3:  # a new name: usually a new object
        fields[draw(st.sampled_from(names))] = draw(st.one_of(
            st.text(alphabet="abcdefgh-.", min_size=1, max_size=12), texts()))
        return fields
    name = draw(st.sampled_from(sorted({*fields, *spec["options"]})))
    fields[name] = draw(st.one_of(texts(), value_for(cat, spec["fields"].get(name, "string"))))
    return fields


def object_body(cat, resource):
    """JSON text of an object body: fields, any JSON value, deep or broken JSON."""
    options = [fields_object(cat, resource), fields_object(cat, resource), json_values()]
    if resource in cat.samples:
        options = [plausible_object(cat, resource)] * 2 + options
    return raw_json(st.one_of(*options))


@st.composite
def filter_objects(draw, cat, resource, depth=0):
    """One filter: ``{"name", "op", "val"}`` (parts missing or wrong), or ``and``/``or``/``not``."""
    if depth < 2 and draw(st.integers(0, 5)) == 5:
        key = draw(st.sampled_from(["and", "or", "not"]))
        if key == "not":
            return {key: draw(filter_objects(cat, resource, depth + 1))}
        inner = draw(st.one_of(st.lists(filter_objects(cat, resource, depth + 1), max_size=3),
                               json_values(max_leaves=2)))
        return {key: inner}
    fields = {"name": field_names(cat, resource), "op": st.sampled_from(OPS),
              "val": st.one_of(json_values(max_leaves=3), ids(cat.all_ids())),
              "field": field_names(cat, resource, dotted=False)}
    return draw(st.fixed_dictionaries({}, optional=fields))


@st.composite
def filter_text(draw, cat, resource):
    """The JSON text of a filter in either spelling, or something that is not a filter."""
    choice = draw(st.integers(0, 9))
    if choice == 9:
        return draw(st.sampled_from(["", "[", "x", "null", "[1]", '[{"or":"x"}]',
                                     deep_json(draw(st.sampled_from(DEPTHS[:3])))]))
    if choice == 8:
        return json.dumps(draw(json_values()))
    filters = draw(st.lists(filter_objects(cat, resource), max_size=3))
    return json.dumps({"filters": filters} if choice % 2 else filters)


def sort_values(cat, resource):
    """A sort parameter: fields with ``-``, dotted, several, or nonsense."""
    one = st.builds(lambda sign, name: sign + name, st.sampled_from(["", "-", "+", "--"]),
                    field_names(cat, resource))
    return st.one_of(one, st.lists(one, min_size=2, max_size=3).map(",".join), texts())


def flag_json():
    """A flag as it may appear in a JSON body."""
    return st.one_of(st.booleans(), flags(), json_values(max_leaves=2))
