"""Each rule of SPEC.md section 1 refuses bad input with the one error shape,
names the field, and leaves the database as it was."""
import json

import pytest

from tests.support.world import (
    ACCOUNT,
    APP,
    BUILD,
    DEPLOYMENT,
    DPROC,
    FLEET,
    NET,
    PART,
    PROVIDER,
    REGION,
    SERVICE,
    STACK_B,
    SUBNET,
    TARGET,
)

from .helpers import assert_error, build_world, counts, patch, post


@pytest.fixture
def world(client):
    build_world(client)
    return client


def refused(client, call, status, field, value=None):
    before = counts()
    body = assert_error(call(), status, field, value)
    assert counts() == before, "a refused request changed the database"
    return body


STAGING = ("environment", {"name": "staging"})
MEMORY = ("allocation_type", {"name": "memory", "unit": "GiB"})
LEDGER_BUILD = [("service", {"stack_id": STACK_B, "name": "ledger"}),
                ("build", {"service_id": STACK_B + ":ledger", "build_num": "1", "vcs_ref": "x"})]

#: (objects created first, resource, fields, status, field, words of the rule in the detail).
#: Missing fields, unknown references, ':' in names, duplicates, identity PATCHes and
#: deletes with children are generated for every resource in test_refusals.py.
BAD_CREATES = [
    ([], "application", {"name": ""}, 400, "name", "may not be empty"),
    ([], "application", {"name": 5.5}, 400, "name", "must be text"),
    ([], "application", {"name": "x", "colour": "red"}, 400, "colour", "not a field"),
    ([], "application", {"name": "x", "id": "x"}, 400, "id", "computed by the server"),
    ([], "application", {"name": "x", "defaults": [1, 2]}, 400, "defaults", "JSON object"),
    ([], "application", {"name": "x", "defaults": "text"}, 400, "defaults", "JSON object"),
    ([STAGING], "provider", {"environment_id": "staging", "provider_type_id": "aws",
                             "native_id": ACCOUNT}, 409, "native_id", "one environment"),
    ([], "network", {"partition_id": PART, "name": "n", "cidr": "10.0.0.1/16"}, 400, "cidr",
     "host bits"),
    ([], "network", {"partition_id": PART, "name": "n", "cidr": "banana"}, 400, "cidr",
     "prefix length"),
    ([], "network", {"partition_id": PART, "name": "n", "cidr": "10.0.0.0"}, 400, "cidr",
     "prefix length"),
    ([], "subnet", {"network_id": NET, "name": "s", "cidr": "10.1.0.0/24"}, 422, "cidr",
     "not inside network"),
    ([], "subnet", {"network_id": NET, "name": "s", "cidr": "10.0.1.0/24"}, 409, "cidr",
     "overlaps"),
    ([], "subnet", {"network_id": NET, "name": "s", "cidr": "10.0.0.0/20"}, 409, "cidr",
     "overlaps"),
    ([], "subnet", {"network_id": NET, "name": "s", "cidr": "10.0.0.0/8"}, 422, "cidr",
     "not inside network"),
    ([], "subnet", {"network_id": NET, "name": "s", "cidr": "fd00::/64"}, 422, "cidr",
     "not inside network"),
    (LEDGER_BUILD, "release", {"build_id": STACK_B + ":ledger:1", "deployment_id": DEPLOYMENT,
                               "build_num": "9"}, 422, "build_id", "is a build of"),
    ([], "allocation", {"deployment_proc_id": DPROC, "allocation_type_id": "cpu",
                        "watermark": "MEDIUM", "value": 1}, 400, "watermark", "one of LOW, HIGH"),
    ([MEMORY], "capacity", {"fleet_id": FLEET, "allocation_type_id": "memory", "value": -1},
     400, "value", "non-negative"),
    ([], "allocation", {"deployment_proc_id": DPROC, "allocation_type_id": "cpu",
                        "watermark": "HIGH", "value": -1}, 400, "value", "non-negative"),
    ([], "capacity", {"fleet_id": FLEET + "x", "allocation_type_id": "cpu", "value": "lots"},
     400, "value", "must be a number"),
]


@pytest.mark.parametrize("given,resource,fields,status,field,rule", BAD_CREATES,
                         ids=[f"{c[1]}-{c[4]}-{i}" for i, c in enumerate(BAD_CREATES)])
def test_bad_create_is_refused(world, given, resource, fields, status, field, rule):
    for given_resource, given_fields in given:
        assert post(world, given_resource, given_fields).status_code == 201
    body = refused(world, lambda: post(world, resource, fields), status, field)
    assert rule in body["detail"], body


def test_isolation_message_says_so(world):
    post(world, "environment", {"name": "staging"})
    body = refused(world, lambda: post(world, "provider", {
        "environment_id": "staging", "provider_type_id": "aws", "native_id": ACCOUNT}),
        409, "native_id")
    assert "one environment" in body["detail"] and PROVIDER in body["detail"]


def test_host_bits_error_names_the_network_meant(world):
    body = refused(world, lambda: post(world, "network", {
        "partition_id": PART, "name": "n", "cidr": "10.0.0.1/16"}), 400, "cidr")
    assert "10.0.0.0/16" in body["detail"]


def test_ipv6_networks_and_subnets(world):
    assert post(world, "network", {"partition_id": PART, "name": "v6",
                                   "cidr": "2001:db8::/48"}).status_code == 201
    ok = post(world, "subnet", {"network_id": PART + ":v6", "name": "a", "cidr": "2001:db8::/64"})
    assert ok.status_code == 201
    refused(world, lambda: post(world, "subnet", {"network_id": PART + ":v6", "name": "b",
                                                  "cidr": "2001:db8::/56"}), 409, "cidr")


def test_patch_checks_rules(world):
    refused(world, lambda: patch(world, "application", APP, {"defaults": [1]}), 400,
            "defaults")
    refused(world, lambda: patch(world, "deployment", DEPLOYMENT,
                                 {"current_release_id": "nope"}), 422, "current_release_id",
            "nope")
    refused(world, lambda: patch(world, "build", BUILD, {"vcs_ref": None}), 400,
            "vcs_ref")
    refused(world, lambda: patch(world, "network", NET, {"cidr": "10.0.0.0/30"}), 422, "cidr")


def test_current_release_must_belong_to_the_deployment(world):
    other = post(world, "deployment", {"deployment_target_id": TARGET, "service_id": SERVICE,
                                       "tag": "canary"}).get_json()["id"]
    body = refused(world, lambda: patch(world, "deployment", other,
                                        {"current_release_id": DEPLOYMENT + ":7"}),
                   422, "current_release_id")
    assert "not of" in body["detail"]
    ok = patch(world, "deployment", DEPLOYMENT, {"current_release": DEPLOYMENT + ":7"})
    assert ok.status_code == 200
    embedded = ok.get_json()["current_release"]
    assert embedded["id"] == DEPLOYMENT + ":7"
    assert embedded["release_artifacts"][0]["upload_path"].endswith("op:r7")


def test_deployment_proc_must_be_of_the_deployments_service(world):
    post(world, "service", {"stack_id": STACK_B, "name": "ledger"})
    post(world, "proc", {"service_id": STACK_B + ":ledger", "name": "api"})
    body = refused(world, lambda: post(world, "deployment_proc", {
        "deployment_id": DEPLOYMENT, "proc_id": STACK_B + ":ledger:api"}), 422, "proc_id")
    assert "belongs to service" in body["detail"]


def cross_environment_world(client):
    for resource, fields in [
        ("environment", {"name": "staging"}),
        ("provider", {"environment_id": "staging", "provider_type_id": "aws",
                      "native_id": "999999999999"}),
        ("region", {"provider_id": "staging:aws:999999999999", "name": "us-east-1"}),
        ("zone", {"region_id": "staging:aws:999999999999:us-east-1", "name": "use1-az1"}),
        ("partition", {"region_id": "staging:aws:999999999999:us-east-1", "name": "a"}),
        ("fleet", {"partition_id": "staging:aws:999999999999:us-east-1:a",
                   "fleet_type_id": "nodegroup", "name": "w"}),
    ]:
        assert post(client, resource, fields).status_code == 201


LINKS = [
    ("deployments", DEPLOYMENT, "zones", "staging:aws:999999999999:us-east-1:use1-az1",
     REGION + ":use1-az1"),
    ("deployment_targets", TARGET, "fleets", "staging:aws:999999999999:us-east-1:a:nodegroup:w",
     FLEET),
    ("subnets", SUBNET, "fleets", "staging:aws:999999999999:us-east-1:a:nodegroup:w",
     FLEET),
    ("fleets", FLEET, "subnets", None, SUBNET),
]


@pytest.mark.parametrize("plural,owner,relation,foreign,local", LINKS)
def test_links_stay_in_one_environment(world, plural, owner, relation, foreign, local):
    cross_environment_world(world)
    url = f"/api/{plural}/{owner}/{relation}"
    if foreign:
        body = refused(world, lambda: world.post(url, json={"id": foreign}), 409, relation)
        assert "cannot cross environments" in body["detail"]
    added = world.post(url, json={"id": local})
    assert added.status_code == 200, added.get_json()
    listed = world.get(url).get_json()
    assert [o["id"] for o in listed["results"]] == [local]
    assert_error(world.post(url, json={"id": local}), 409, relation)
    assert world.delete(url, query_string={"id": local}).status_code == 200
    assert world.get(url).get_json()["count"] == 0
    assert_error(world.delete(url, query_string={"id": local}), 404, relation)


def test_link_to_unknown_object_is_404(world):
    assert_error(world.post(f"/api/deployments/{DEPLOYMENT}/zones", json={"id": "nope"}),
                 404, "id", "nope")
    assert_error(world.post(f"/api/deployments/{DEPLOYMENT}/releases", json={"id": "x"}),
                 400, "releases")


def test_malformed_requests(world):
    assert_error(world.post("/api/applications", data="{not json",
                            headers={"Content-Type": "application/json"}), 400, "body")
    assert_error(world.post("/api/applications", data=json.dumps([1])), 400, "body")
    assert_error(world.get("/api/widgets"), 404, "resource")
    assert_error(world.get("/api/applications/nope"), 404, "id", "nope")
    assert_error(world.get("/api/applications?limit=0"), 400, "limit")
    assert_error(world.get("/api/applications?limit=x"), 400, "limit")
    assert_error(world.get("/api/applications?filter=[{"), 400, "filter")
    assert_error(world.get("/api/applications?colour=red"), 400, "colour")
    assert_error(world.get("/api/services?filter=" + json.dumps(
        [{"name": "stack.colour", "op": "eq", "val": 1}])), 400, "filter")
    assert_error(world.get("/api/applications?sort=colour"), 400, "sort")
    assert_error(world.get("/api/applications/ecommerce/colour"), 404, "field")
    assert_error(world.delete("/api/applications/ecommerce?cascade=maybe"), 400, "cascade")
