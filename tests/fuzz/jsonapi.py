"""Requests to the JSON:API face ``/api/rest/v1/...``: collections with page,
include, sort, fields and filter parameters; resources, related resources and
relationship endpoints; and documents with data, attributes and relationships."""
import json

from hypothesis import strategies as st

from .bodies import fields_object, filter_text, plausible_object, sort_values
from .plain import known, resource_names
from .request import JSONAPI_PREFIX, FuzzRequest
from .values import counts, flags, json_values, raw_json, texts

JSONAPI = "application/vnd.api+json"
CONTENT_TYPES = [JSONAPI] * 6 + ["application/json"] * 4 + [
    "text/plain", None, "application/x-www-form-urlencoded", JSONAPI + "; ext=bulk"]


@st.composite
def include_path(draw, cat, resource):
    """A relation path of 1 to 6 steps (``providers.regions.partitions``), or nonsense."""
    if draw(st.integers(0, 5)) == 5:
        return draw(texts())
    steps, current = [], resource
    for _ in range(draw(st.integers(1, 6))):
        spec = cat.resources[current]
        relations = {**spec["to_one"], **spec["to_many"]}
        if not relations:
            break
        name = draw(st.sampled_from(sorted(relations)))
        steps.append(name)
        current = relations[name]
    return ".".join(steps) or "nope"


@st.composite
def query(draw, cat, resource):
    """JSON:API query parameters, each present or not, valid or not."""
    params = {
        "page[size]": counts(), "page[number]": counts(), "page[offset]": counts(),
        "include": st.lists(include_path(cat, resource), min_size=1, max_size=3).map(",".join),
        "sort": sort_values(cat, resource), "filter[objects]": filter_text(cat, resource),
        f"fields[{resource}]": st.lists(st.sampled_from(
            sorted(cat.resources[resource]["fields"])), max_size=3).map(",".join),
        "filter[single]": flags(), "cascade": flags(), "page": texts(), "include[": texts(),
    }
    names = draw(st.lists(st.sampled_from(sorted(params)), max_size=4, unique=True))
    return [(name, draw(params[name])) for name in names]


def identifier(cat, resource=None):
    """A resource identifier object ``{"type", "id"}``, or a broken one."""
    types = st.sampled_from(sorted(cat.resources)) if resource is None else st.one_of(
        st.just(resource), st.sampled_from(sorted(cat.resources)))
    good = st.fixed_dictionaries({"type": types, "id": known(cat, resource or "service")})
    return st.one_of(good, good, st.fixed_dictionaries({}, optional={
        "type": json_values(max_leaves=2), "id": json_values(max_leaves=2)}))


def linkage(cat, resource=None):
    """Relationship data: one identifier, a list, null, or any JSON value."""
    return st.one_of(identifier(cat, resource), st.lists(identifier(cat, resource), max_size=3),
                     st.none(), json_values(max_leaves=3))


@st.composite
def document(draw, cat, resource, object_id=None):
    """A JSON:API document for a create or update of ``resource``, often malformed."""
    spec = cat.resources[resource]
    relations = {**spec["to_one"], **spec["to_many"]}
    relationships = st.dictionaries(
        st.one_of(st.sampled_from(sorted(relations) or ["none"]), texts()),
        st.one_of(st.fixed_dictionaries({"data": linkage(cat)}), json_values(max_leaves=2)),
        max_size=2)
    attributes = [fields_object(cat, resource), json_values(max_leaves=3)]
    if resource in cat.samples:
        attributes = [plausible_object(cat, resource)] * 2 + attributes
    data = {"type": st.one_of(st.just(resource), texts(), json_values(max_leaves=1)),
            "attributes": st.one_of(*attributes),
            "relationships": relationships}
    if object_id is not None:
        data["id"] = st.one_of(st.just(object_id), known(cat, resource))
    typed = {key: value for key, value in data.items() if key != "type"}
    inner = st.one_of(st.fixed_dictionaries({"type": st.just(resource)}, optional=typed),
                      st.fixed_dictionaries({}, optional=data), json_values(max_leaves=3))
    return draw(raw_json(st.one_of(st.fixed_dictionaries({"data": inner}),
                                   st.fixed_dictionaries({"data": st.none()}),
                                   json_values(max_leaves=3))))


@st.composite
def read_request(draw, cat):
    resource = draw(resource_names(cat))
    spec = cat.resources[resource]
    relations = sorted({*spec["to_one"], *spec["to_many"]}) or ["none"]
    shape = draw(st.integers(0, 5))
    base = f"{JSONAPI_PREFIX}/{resource}"
    if shape == 0:
        base = f"{JSONAPI_PREFIX}/{spec['plural']}"
    elif shape in (2, 3):
        base += f"/{draw(known(cat, resource))}"
    elif shape == 4:
        relation = draw(st.one_of(st.sampled_from(relations), texts()))
        base += f"/{draw(known(cat, resource))}/{relation}"
        if draw(st.booleans()):
            base += f"/{draw(known(cat, resource))}"
    elif shape == 5:
        relation = draw(st.one_of(st.sampled_from(relations), texts()))
        base += f"/{draw(known(cat, resource))}/relationships/{relation}"
    return FuzzRequest("jsonapi.read", "GET", base, draw(query(cat, resource)))


@st.composite
def write_request(draw, cat):
    resource = draw(resource_names(cat))
    method = draw(st.sampled_from(["POST", "POST", "PATCH", "PATCH", "DELETE"]))
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    collection = f"{JSONAPI_PREFIX}/{resource}"
    if method == "POST":
        return FuzzRequest("jsonapi.create", method, collection, [],
                           draw(document(cat, resource)), content_type)
    object_id = draw(known(cat, resource))
    if method == "DELETE":
        return FuzzRequest("jsonapi.delete", method, f"{collection}/{object_id}",
                           [("cascade", draw(flags()))])
    return FuzzRequest("jsonapi.patch", method, f"{collection}/{object_id}", [],
                       draw(document(cat, resource, object_id)), content_type)


@st.composite
def relationship_request(draw, cat):
    resource = draw(resource_names(cat))
    spec = cat.resources[resource]
    relations = {**spec["to_one"], **spec["to_many"]}
    if not relations:
        relations = {"none": resource}
    relation = draw(st.sampled_from(sorted(relations)))
    method = draw(st.sampled_from(["PATCH", "PATCH", "POST", "DELETE"]))
    path = f"{JSONAPI_PREFIX}/{resource}/{draw(known(cat, resource))}/relationships/{relation}"
    body = st.one_of(st.fixed_dictionaries({"data": linkage(cat, relations[relation])}),
                     json_values(max_leaves=3))
    return FuzzRequest("jsonapi.relationship", method, path, [],
                       json.dumps(draw(body)), draw(st.sampled_from(CONTENT_TYPES)))


def jsonapi_requests(cat):
    """Any request to the JSON:API face."""
    return st.one_of(read_request(cat), read_request(cat), read_request(cat),
                     write_request(cat), write_request(cat), relationship_request(cat))
