"""The JSON:API face keeps the plain face's contract: query parameters, write documents,
errors in the one shape and in our words, timestamps, bounded include, and nothing
committed unless the answer can be sent."""
import json
import logging
import re

import pytest

from tests.support.sqlcount import QueryCounter
from tests.support.world import DEPLOYMENT, RELEASE, SERVICE

from .helpers import build_world, counts, post

V1 = "/api/rest/v1"
JSONAPI = {"Content-Type": "application/vnd.api+json"}
UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")
LEAKS = ("<class", "qairon.", "SQL", "Traceback", "flask_restless", "No resource with ID",
         "Model does not have", "Unable to decode", "Failed to deserialize")


@pytest.fixture
def world(client):
    build_world(client)
    return client


@pytest.fixture
def quiet(caplog):
    """Fails the test if anything was logged at ERROR (ordinary 4xx log no traceback)."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


def refused(response, status, **source):
    """The response is one error in the one shape, in our words, with the ``source`` given."""
    body = response.get_json()
    assert response.status_code == status, body
    (error,) = body["errors"]
    assert error["status"] == str(status) and error["title"] and error["detail"], error
    assert not [leak for leak in LEAKS if leak in error["detail"]], error
    for key, value in source.items():
        assert (error["source"] or {}).get(key) == value, error
    return error


def send(client, method, path, document, headers=JSONAPI):
    data = document if isinstance(document, str) else json.dumps(document)
    return client.open(V1 + path, method=method, data=data, headers=headers)


def resource(kind, attributes=None, relationships=None, object_id=None):
    data = {"type": kind, "attributes": attributes or {}}
    if relationships is not None:
        data["relationships"] = relationships
    if object_id is not None:
        data["id"] = object_id
    return {"data": data}


def link(kind, object_id):
    return {"data": {"type": kind, "id": object_id}}


QUERIES = [
    ("service?page[size]=abc", "page[size]"),
    ("service?page[size]=0", "page[size]"),
    ("service?page[size]=-1", "page[size]"),
    ("service?page[size]=1001", "page[size]"),
    ("service?page[number]=abc", "page[number]"),
    ("service?page[number]=0", "page[number]"),
    ("service?page[number]=99999999999999999999999", "page[number]"),
    ("service?page[size]=1000&page[number]=9223372036854776", "page[number]"),
    ("service?include=nope", "include"),
    ("service?include=stack.nope", "include"),
    ("environment/prod?include=providers.regions.partitions", "include"),
    ("service?sort=zzz.yyy", "sort"),
    ("service?sort=zzz", "sort"),
    ("stack?sort=services.name", "sort"),
    ("service?filter[objects]=x", "filter[objects]"),
    ('service?filter[objects]=[{"name":"zz","op":"eq","val":1}]', "filter[objects]"),
    ('service?filter[objects]={"nope":1}', "filter[objects]"),
    ("stack/ecommerce:checkout/services?sort=zzz", "sort"),
    ("stack/ecommerce:checkout/relationships/services?page[size]=abc", "page[size]"),
    (f"service/{SERVICE}?include=nope", "include"),
]


def test_bad_parameters_are_400_naming_them(world, quiet):
    for query, parameter in QUERIES:
        refused(world.get(f"{V1}/{query}"), 400, parameter=parameter)


def test_servable_parameters_still_work(world):
    post(world, "service", {"stack_id": "ecommerce:payments", "name": "ledger"})
    names = world.get(f"{V1}/service?sort=-stack.name,name").get_json()["data"]
    assert [o["id"] for o in names] == ["ecommerce:payments:ledger", SERVICE]
    query = {"filters": [{"name": "stack.application_id", "op": "eq", "val": "ecommerce"}]}
    filtered = world.get(f"{V1}/service", query_string={"filter[objects]": json.dumps(query),
                                                        "page[size]": "1", "page[number]": "2"})
    assert filtered.status_code == 200 and filtered.get_json()["meta"]["total"] == 2
    assert world.get(f"{V1}/service?sort=0").status_code == 200


def test_include_is_served_within_bounds(world):
    answer = world.get(f"{V1}/service?include=stack.application,deployments&page[size]=1")
    body = answer.get_json()
    assert answer.status_code == 200, body
    assert sorted((o["type"], o["id"]) for o in body["included"]) == [
        ("application", "ecommerce"), ("deployment", DEPLOYMENT), ("stack", "ecommerce:checkout")]
    assert "include=stack.application,deployments" in body["links"]["first"]
    assert "include=stack.application,deployments" in answer.headers["Link"]
    one = world.get(f"{V1}/deployment/{DEPLOYMENT}?include=releases,service").get_json()
    assert {o["id"] for o in one["included"]} == {RELEASE, SERVICE}
    related = world.get(f"{V1}/stack/ecommerce:checkout/services?include=stack").get_json()
    assert [o["id"] for o in related["included"]] == ["ecommerce:checkout"]


def test_include_bounds_are_configurable(world, app, monkeypatch, quiet):
    monkeypatch.setitem(app.config, "JSONAPI_MAX_INCLUDED", 1)
    error = refused(world.get(f"{V1}/stack?include=services,application"), 400,
                    parameter="include")
    assert "more than 1" in error["detail"]
    monkeypatch.setitem(app.config, "JSONAPI_MAX_INCLUDE_DEPTH", 1)
    refused(world.get(f"{V1}/stack?include=services.procs"), 400, parameter="include")
    assert world.get(f"{V1}/stack/ecommerce:checkout?include=application").status_code == 200


def _include_queries(client):
    with QueryCounter() as counter:
        answer = client.get(f"{V1}/service?include=stack.application,deployments,procs")
    assert answer.status_code == 200, answer.get_json()
    return counter.count


def test_include_costs_a_constant_number_of_queries(world):
    small = _include_queries(world)
    for i in range(15):
        post(world, "service", {"stack_id": "ecommerce:payments", "name": f"s{i}"})
        post(world, "proc", {"service_id": f"ecommerce:payments:s{i}", "name": "web"})
    assert _include_queries(world) == small


def test_library_errors_come_in_our_shape_and_words(world, quiet):
    checkout = "stack/ecommerce:checkout"
    assert "does not exist" in refused(world.get(f"{V1}/stack/nope"), 404)["detail"]
    refused(send(world, "PATCH", "/stack/nope", resource("stack", {}, object_id="nope")), 404)
    refused(world.delete(f"{V1}/stack/nope"), 404)
    refused(world.get(f"{V1}/stack/nope/services"), 404)
    refused(world.get(f"{V1}/stack/nope/relationships/services"), 404)
    assert "not among" in refused(world.get(f"{V1}/{checkout}/services/nope"), 404)["detail"]
    refused(world.get(f"{V1}/{checkout}/nope"), 404)
    refused(send(world, "PATCH", f"/{checkout}/relationships/nope", {"data": []}), 404)
    refused(send(world, "POST", "/stack", resource("stack", {"name": "x"}),
                 headers={"Content-Type": "text/plain"}), 415, header="Content-Type")
    refused(world.get(f"{V1}/stack", headers={"Accept": "text/html"}), 406, header="Accept")
    refused(send(world, "POST", "/stack", resource("service", {"name": "x"})), 409,
            pointer="/data/type")
    refused(send(world, "PATCH", f"/{checkout}", resource("stack", {}, object_id="other")), 409,
            pointer="/data/id")
    refused(send(world, "PATCH", f"/{checkout}", resource("stack", {})), 400, pointer="/data/id")
    refused(send(world, "PATCH", f"/{checkout}/relationships/application",
                 link("stack", "ecommerce")), 409, pointer="/data")
    refused(send(world, "POST", f"/{checkout}/relationships/application",
                 link("application", "ecommerce")), 400, pointer="/data")
    refused(send(world, "DELETE", f"/{checkout}/relationships/services",
                 {"data": [{"type": "service", "id": "ecommerce:payments:x"}]}), 404)
    refused(send(world, "DELETE", "/application/ecommerce/relationships/stacks",
                 {"data": [{"type": "stack", "id": "nope"}]}), 404, pointer="/data")
    refused(send(world, "DELETE", f"/{checkout}/relationships/services", {}), 400)
    refused(send(world, "POST", "/stack", "{bad"), 400, pointer="")


def test_urls_not_served(world, quiet):
    error = refused(world.get(f"{V1}/services"), 404)
    assert f"{V1}/service is served" in error["detail"]
    error = refused(world.get(f"{V1}/nothing"), 404)
    assert len(error["detail"]) < 200 and "/api/schema" in error["detail"]
    refused(world.get(V1), 404)
    assert "PATCH" in refused(send(world, "PUT", "/stack/ecommerce:checkout", {}), 405)["detail"]


DOCUMENTS = [
    ({"data": None}, "/data"),
    ({}, "/data"),
    ([], "/data"),
    ({"data": []}, "/data"),
    ({"data": "stack"}, "/data"),
    (resource("stack", {"application_id": "ecommerce", "name": "x", "colour": 1}),
     "/data/attributes/colour"),
    (resource("stack", {"application_id": "ecommerce", "name": "x", "created_at": "notadate"}),
     "/data/attributes/created_at"),
    (resource("stack", {"application_id": "ecommerce", "name": "x",
                        "created_at": "2020-01-01T00:00:00+00:00"}), "/data/attributes/created_at"),
    (resource("stack", {"application_id": "ecommerce", "name": "x",
                        "last_updated_at": "2020-01-01T00:00:00+00:00"}),
     "/data/attributes/last_updated_at"),
    (resource("stack", {"application_id": "ecommerce", "name": "x", "resource": "service"}),
     "/data/attributes/resource"),
    ({"data": {"type": "stack", "attributes": [1]}}, "/data/attributes"),
    ({"data": {"type": "stack", "attributes": {"name": "x"}, "colour": 1}}, "/data"),
    (resource("stack", {"name": "x"}, {"application": {"data": "ecommerce"}}),
     "/data/relationships/application"),
    (resource("stack", {"name": "x"}, {"application": "ecommerce"}),
     "/data/relationships/application"),
    (resource("stack", {"name": "x", "application_id": "ecommerce"},
              {"application": link("application", "other")}),
     "/data/attributes/application_id"),
    (resource("stack", {"name": "x"}, {"nope": link("application", "ecommerce")}),
     "/data/relationships/nope"),
]


def test_create_documents_pass_the_input_step(world, quiet):
    before = counts()
    for document, pointer in DOCUMENTS:
        refused(send(world, "POST", "/stack", document), 400, pointer=pointer)
    assert counts() == before


def test_patch_documents_pass_the_input_step(world, quiet):
    path = "/stack/ecommerce:checkout"
    for attributes in ({"created_at": "notadate"}, {"last_updated_at": "2020-01-01"},
                       {"colour": 1}, {"defaults": [1]}):
        name = next(iter(attributes))
        refused(send(world, "PATCH", path, resource("stack", attributes, object_id=path[7:])),
                400, pointer=f"/data/attributes/{name}")
    echoed = resource("stack", {"id": "ecommerce:checkout", "defaults": {"k": 1}},
                      object_id="ecommerce:checkout")
    assert send(world, "PATCH", path, echoed).status_code == 200


def test_parent_as_relationship_or_field(world):
    as_relationship = resource("stack", {"name": "catalog"},
                               {"application": link("application", "ecommerce")})
    created = send(world, "POST", "/stack", as_relationship)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["data"]["id"] == "ecommerce:catalog"
    plain = world.get("/api/stacks/ecommerce:catalog").get_json()
    assert plain["application_id"] == "ecommerce"
    both = resource("stack", {"name": "search", "application_id": "ecommerce"},
                    {"application": link("application", "ecommerce")})
    assert send(world, "POST", "/stack", both).status_code == 201
    service = resource("service", {"name": "x"}, {"stack": link("stack", "ecommerce:checkout")})
    assert send(world, "POST", "/service", service).get_json()["data"]["id"] == \
        "ecommerce:checkout:x"


def test_client_id_must_be_the_computed_one(world, quiet):
    fields = {"application_id": "ecommerce", "name": "catalog"}
    before = counts()
    refused(send(world, "POST", "/stack", resource("stack", fields, object_id="catalog")), 409,
            pointer="/data/id")
    assert counts() == before
    created = send(world, "POST", "/stack", resource("stack", fields,
                                                     object_id="ecommerce:catalog"))
    assert created.status_code == 201 and created.get_json()["data"]["id"] == "ecommerce:catalog"


def test_cascade_is_a_flag(world, quiet):
    refused(world.delete(f"{V1}/stack/ecommerce:checkout?cascade=maybe"), 400,
            parameter="cascade")
    refused(world.delete(f"{V1}/stack/ecommerce:checkout?cascade=no"), 409)
    assert world.delete(f"{V1}/stack/ecommerce:payments?cascade=1").status_code == 204
    assert world.get("/api/stacks/ecommerce:payments").status_code == 404


def test_nothing_is_committed_unless_the_answer_can_be_sent(world, quiet):
    before = counts()
    answer = send(world, "POST", "/stack",
                  resource("stack", {"application_id": "ecommerce", "name": "a\nb"}))
    assert 400 <= answer.status_code < 500, answer.get_json()
    assert counts() == before


def _stamps(obj):
    return [obj["attributes"][k] for k in ("created_at", "last_updated_at")]


def test_timestamps_carry_their_utc_offset_on_both_faces(world):
    created = send(world, "POST", "/application", resource("application", {"name": "search"}))
    changed = send(world, "PATCH", "/application/search",
                   resource("application", {"defaults": {"a": 1}}, object_id="search"))
    one = world.get(f"{V1}/application/search").get_json()["data"]
    listed = world.get(f"{V1}/application").get_json()["data"]
    included = world.get(f"{V1}/stack/ecommerce:checkout?include=application").get_json()
    stamps = (_stamps(created.get_json()["data"]) + _stamps(changed.get_json()["data"])
              + _stamps(one) + [s for o in listed for s in _stamps(o)]
              + _stamps(included["included"][0]))
    plain = world.get("/api/applications/search").get_json()
    stamps += [plain["created_at"], plain["last_updated_at"]]
    assert all(UTC.match(s) for s in stamps), stamps
    assert _stamps(one) == [plain["created_at"], plain["last_updated_at"]]
