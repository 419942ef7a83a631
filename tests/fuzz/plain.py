"""Requests to the plain face ``/api/...``: lists with filters, items, fields,
detail routes, writes, links, bulk imports and actions, all drawn from the catalog."""
import json

from hypothesis import strategies as st

from .bodies import field_names, fields_object, filter_text, flag_json, object_body, sort_values
from .request import FuzzRequest
from .values import counts, flags, ids, json_values, numbers, raw_json, texts

CONTENT_TYPES = ["application/json"] * 12 + [
    "text/plain", "application/x-www-form-urlencoded", None, "application/vnd.api+json",
    "application/x-ndjson", "application/json; charset=latin-1"]
NDJSON = "application/x-ndjson"


def resource_names(cat):
    """A registered resource name."""
    return st.sampled_from(sorted(cat.resources))


def known(cat, resource):
    """An ID for ``resource``: its own seed IDs, others, or hostile ones."""
    return ids(cat.known.get(resource, set()) or cat.all_ids())


@st.composite
def list_request(draw, cat):
    resource = draw(resource_names(cat))
    params = {"limit": counts(), "offset": counts(), "sort": sort_values(cat, resource),
              "filter": filter_text(cat, resource), "cascade": flags()}
    query = draw(st.lists(st.sampled_from(sorted(params)), max_size=3, unique=True))
    pairs = [(name, draw(params[name])) for name in query]
    pairs += draw(st.lists(st.tuples(field_names(cat, resource), texts()), max_size=2))
    return FuzzRequest("plain.list", "GET", f"/api/{cat.plural(resource)}", pairs)


@st.composite
def item_request(draw, cat):
    resource = draw(resource_names(cat))
    spec = cat.resources[resource]
    object_id = draw(known(cat, resource))
    suffix = draw(st.one_of(st.just(""), st.sampled_from(
        sorted({*spec["fields"], *spec["to_one"], *spec["to_many"]})), texts()))
    path = f"/api/{spec['plural']}/{object_id}" + (f"/{suffix}" if suffix else "")
    return FuzzRequest("plain.get", draw(st.sampled_from(["GET", "GET", "HEAD"])), path)


def argument_value(cat, argument):
    """A value for a declared action argument of the schema, usually of its type."""
    typed = {"integer": numbers(), "json": json_values(), "flag": flags()}
    return st.one_of(typed.get(argument.get("type"), texts()), texts(), json_values(max_leaves=2))


def action_arguments(action, send):
    """The declared arguments and options of ``action`` sent in the ``body`` or ``query``."""
    return [a for a in (*action.get("args", []), *action.get("options", []))
            if a.get("send", "query") == send]


@st.composite
def action_request(draw, cat):
    """A declared action, on its own resource or another, with drawn arguments."""
    resource, action = cat.actions[draw(st.integers(0, len(cat.actions) - 1))]
    target = draw(st.one_of(st.just(resource), st.just(resource), resource_names(cat)))
    path = "/api/" + action["path"]
    if "{id}" in path:
        path = path.replace(action["path"].split("/", 1)[0], cat.plural(target), 1)
        path = path.replace("{id}", draw(known(cat, target)))
    names = {a["name"]: argument_value(cat, a) for a in action_arguments(action, "query")}
    names.update({key: flags() for key in action.get("query", {})})
    names["unknown"] = texts()
    query = [(n, draw(names[n])) for n in draw(st.lists(st.sampled_from(sorted(names)),
                                                        max_size=2, unique=True))]
    if action["method"] == "GET":
        return FuzzRequest("plain.action", "GET", path, query)
    fields = {a["name"]: argument_value(cat, a) for a in action_arguments(action, "body")}
    fields["unknown"] = json_values(max_leaves=2)
    body = raw_json(st.one_of(st.fixed_dictionaries({}, optional=fields), json_values()))
    return FuzzRequest("plain.action", action["method"], path, query, draw(body),
                       draw(st.sampled_from(CONTENT_TYPES)))


@st.composite
def write_request(draw, cat):
    resource = draw(resource_names(cat))
    plural = cat.plural(resource)
    method = draw(st.sampled_from(["POST", "POST", "PATCH", "PUT", "DELETE"]))
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    if method == "POST":
        return FuzzRequest("plain.create", method, f"/api/{plural}", [],
                           draw(object_body(cat, resource)), content_type)
    path = f"/api/{plural}/{draw(known(cat, resource))}"
    if method == "DELETE":
        return FuzzRequest("plain.delete", method, path, [("cascade", draw(flags()))])
    return FuzzRequest("plain.patch", method, path, [], draw(object_body(cat, resource)),
                       content_type)


@st.composite
def link_request(draw, cat):
    linking = sorted(name for name, spec in cat.resources.items() if spec["links"])
    resource = draw(st.sampled_from(linking))
    spec = cat.resources[resource]
    link = draw(st.one_of(st.sampled_from(sorted(spec["links"])), texts()))
    path = f"/api/{spec['plural']}/{draw(known(cat, resource))}/{link}"
    target = spec["links"].get(link, {}).get("resource")
    other = ids(cat.known.get(target, set()) or cat.all_ids())
    if draw(st.booleans()):
        body = raw_json(st.one_of(st.fixed_dictionaries({"id": other}), json_values()))
        return FuzzRequest("plain.link", "POST", path, [], draw(body),
                           draw(st.sampled_from(CONTENT_TYPES)))
    return FuzzRequest("plain.unlink", "DELETE", path, [("id", draw(other))])


def bulk_row(cat, resource, many):
    """One bulk row; on ``/api/bulk`` it names its resource (any JSON value, even)."""
    if not many:
        return st.one_of(fields_object(cat, resource), json_values(max_leaves=3))
    return st.one_of(fields_object(cat, resource, {"resource": st.one_of(
        st.just(resource), json_values(max_leaves=2))}), json_values(max_leaves=3))


@st.composite
def bulk_request(draw, cat):
    resource = draw(resource_names(cat))
    many = draw(st.booleans())
    path = "/api/bulk" if many else f"/api/{cat.plural(resource)}/bulk"
    rows = draw(st.lists(bulk_row(cat, resource, many), max_size=6))
    if draw(st.integers(0, 3)) == 0:
        lines = [json.dumps(row) for row in rows] + draw(st.lists(texts(), max_size=2))
        query = [("dry_run", draw(flags()))] if draw(st.booleans()) else []
        return FuzzRequest("plain.bulk", "POST", path, query, "\n".join(lines), NDJSON)
    options = {"dry_run": flag_json(), "update": flag_json()}
    body = st.one_of(st.fixed_dictionaries({"objects": st.just(rows)}, optional=options),
                     st.just(rows), json_values())
    return FuzzRequest("plain.bulk", "POST", path, [], draw(raw_json(body)),
                       draw(st.sampled_from(CONTENT_TYPES)))


def plain_requests(cat):
    """Any request to the plain face, weighted towards the common ones."""
    return st.one_of(list_request(cat), list_request(cat), item_request(cat), item_request(cat),
                     action_request(cat), action_request(cat), write_request(cat),
                     write_request(cat), write_request(cat), link_request(cat),
                     bulk_request(cat), bulk_request(cat))
