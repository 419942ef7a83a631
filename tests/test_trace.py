"""Traceability: the relation graph, the pure walk, and the trace, impact, neighbours,
provenance and lineage endpoints, with their cost in SQL statements."""
import pytest

from qairon.core import walk as trace
from qairon.insight import graph as relations
from qairon.models import REGISTRY
from qairon.models.declarations import Link
from tests.server.helpers import build_world, patch, post
from tests.support.insight import grow, link_target_to_fleet, statements
from tests.support.world import (
    BUILD,
    DEPLOYMENT,
    FLEET,
    IMAGE_REPO,
    PART,
    PROVIDER,
    REGION,
    RELEASE,
    SERVICE,
    SOURCE_REPO,
    STACK,
    STACK_B,
    SUBNET,
    TARGET,
)

# --- the pure walk ----------------------------------------------------------

GRAPH = {("a", "1"): [("b", "1"), ("c", "1")], ("b", "1"): [("d", "1")],
         ("c", "1"): [("d", "1"), ("a", "1")], ("d", "1"): [("e", "1")]}


def toy_step(calls):
    def step(frontier):
        calls.append(frontier)
        return [((r, i), "to_" + target[0], target)
                for r, ids in frontier.items() for i in ids for target in GRAPH.get((r, i), [])]
    return step


def test_walk_goes_level_by_level_and_reports_each_node_once():
    calls = []
    nodes = trace.walk([("a", "1")], toy_step(calls))
    assert [(n["resource"], n["depth"]) for n in nodes] == [("b", 1), ("c", 1), ("d", 2), ("e", 3)]
    assert nodes[2]["from"] == {"resource": "b", "id": "1"} and nodes[2]["via"] == "to_d"
    assert calls == [{"a": ["1"]}, {"b": ["1"], "c": ["1"]}, {"d": ["1"]}, {"e": ["1"]}]


def test_walk_depth_expand_and_seen():
    assert [n["resource"] for n in trace.walk([("a", "1")], toy_step([]), max_depth=1)] == ["b", "c"]
    only_b = trace.walk([("a", "1")], toy_step([]), expand=lambda n: n[0] == "b")
    assert [n["resource"] for n in only_b] == ["b", "c", "d"]
    assert [n["resource"] for n in trace.walk([("a", "1")], toy_step([]),
                                              seen={("d", "1")})] == ["b", "c"]


def test_counts_and_document():
    nodes = trace.walk([("a", "1")], toy_step([]))
    doc = trace.document("trace", "a", "1", nodes)
    assert doc["counts"] == {"b": 1, "c": 1, "d": 1, "e": 1} and doc["total"] == 4
    assert trace.group([("x", "2"), ("x", "1"), ("w", "9")]) == {"w": ["9"], "x": ["1", "2"]}


# --- the relation graph, read from the registry ------------------------------

def edges(resource):
    return {(e.name, e.target) for e in relations.graph()[0].get(resource, [])}


def test_graph_comes_from_the_mappers(app):
    assert edges("deployment") == {("deployment_target", "deployment_target"),
                                   ("service", "service"), ("zones", "zone")}
    assert ("fleets", "fleet") in edges("deployment_target")
    assert ("subnets", "subnet") in edges("fleet")
    assert ("repos", "repo") in edges("service")
    assert not any(e.target == "release" for e in relations.graph()[0]["deployment"])
    down = {(e.reverse, e.source) for e in relations.graph()[1]["fleet"]}
    assert down == {("deployment_targets", "deployment_target"), ("capacities", "capacity")}
    assert relations.infrastructure_resources() >= {"environment", "provider", "deployment"}
    assert "service" not in relations.infrastructure_resources()
    assert relations.reaching_infrastructure() == {"application", "stack", "service", "repo"}
    assert relations.junction_parents(REGISTRY["deployment"]) == ("deployment_target_id",
                                                                  "service_id")
    assert relations.junction_parents(REGISTRY["provider"]) == ()


def test_a_model_may_declare_its_dependencies(app, monkeypatch):
    monkeypatch.setattr(REGISTRY["subnet"], "links", {"fleets": Link(depends_on=True)})
    monkeypatch.setattr(REGISTRY["fleet"], "links", {"subnets": Link()})
    assert ("fleets", "fleet") in {(e.name, e.target) for e in
                                   relations.edges_of(REGISTRY["subnet"])}
    assert ("subnets", "subnet") not in {(e.name, e.target) for e in
                                         relations.edges_of(REGISTRY["fleet"])}


# --- the endpoints ---------------------------------------------------------

@pytest.fixture
def world(client):
    build_world(client)
    link_target_to_fleet(client)
    client.post(f"/api/fleets/{FLEET}/subnets", json={"id": SUBNET})
    patch(client, "deployment", DEPLOYMENT, {"current_release_id": RELEASE})
    return client


def pairs(doc):
    return {(n["resource"], n["id"]) for n in doc["nodes"]}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_trace_of_a_service_reaches_the_infrastructure_that_runs_it(world):
    doc = get(world, f"/api/services/{SERVICE}/trace")
    assert {("deployment", DEPLOYMENT), ("deployment_target", TARGET), ("partition", PART),
            ("region", REGION), ("provider", PROVIDER),
            ("environment", "prod"), ("fleet", FLEET), ("stack", STACK),
            ("application", "ecommerce")} <= pairs(doc)
    assert doc["counts"]["deployment"] == 1 and doc["resource"] == "service"
    assert ("build", BUILD) not in pairs(doc)


def test_trace_of_a_deployment_has_both_paths(world):
    doc = get(world, f"/api/deployments/{DEPLOYMENT}/trace")
    assert {("deployment_target", TARGET), ("environment", "prod"), ("fleet", FLEET),
            ("subnet", SUBNET), ("service", SERVICE), ("stack", STACK),
            ("application", "ecommerce"), ("deployment_target_type", "eks")} <= pairs(doc)
    assert all(n["direction"] == "up" for n in doc["nodes"])


def test_trace_of_a_root_is_empty(world):
    assert get(world, "/api/environments/prod/trace")["nodes"] == []


def test_impact_of_a_fleet_reaches_targets_deployments_and_services(world):
    doc = get(world, f"/api/fleets/{FLEET}/impact")
    assert {("deployment_target", TARGET), ("deployment", DEPLOYMENT),
            ("service", SERVICE), ("release", RELEASE)} <= pairs(doc)
    assert doc["counts"]["deployment"] == 1 and doc["counts"]["service"] == 1
    assert ("partition", PART) not in pairs(doc)


def test_impact_of_a_partition_and_its_depth(world):
    doc = get(world, f"/api/partitions/{PART}/impact")
    for kind in ("network", "subnet", "fleet", "deployment_target", "deployment", "release",
                 "release_artifact", "deployment_proc", "allocation", "service"):
        assert doc["counts"].get(kind), kind
    shallow = get(world, f"/api/partitions/{PART}/impact?depth=1")
    assert set(shallow["counts"]) == {"network", "fleet", "deployment_target"}
    assert shallow["depth"] == 1
    get(world, f"/api/partitions/{PART}/impact?depth=0", 400)
    get(world, f"/api/partitions/{PART}/impact?depth=x", 400)


def test_neighbours_are_the_other_deployments_on_the_target(world):
    post(world, "service", {"stack_id": STACK_B, "name": "ledger"})
    other = f"{TARGET}:ecommerce:payments:ledger:default"
    post(world, "deployment", {"deployment_target_id": TARGET,
                               "service_id": "ecommerce:payments:ledger"})
    doc = get(world, f"/api/deployments/{DEPLOYMENT}/neighbours")
    assert doc["neighbours"] == [{"id": other, "service_id": "ecommerce:payments:ledger",
                                  "tag": "default"}]
    assert pairs(doc) == {("deployment", other), ("service", "ecommerce:payments:ledger")}
    assert doc["deployment_target_id"] == TARGET


def test_provenance_of_a_deployment(world):
    patch(world, "repo", IMAGE_REPO, {"url": "https://ecr.example/op"})
    doc = get(world, f"/api/deployments/{DEPLOYMENT}/provenance")
    assert doc["vcs_ref"] == "9f2c1e7" and doc["build"]["id"] == BUILD
    artifact = doc["current_release"]["release_artifacts"][0]
    assert artifact["upload_path"].endswith("op:r7")
    assert artifact["output_repo"]["repo_type_id"] == "ecr"
    assert artifact["output_repo"]["url"] == "https://ecr.example/op"
    assert doc["build"]["build_artifacts"][0]["output_repo"]["id"] == IMAGE_REPO
    assert ("build", BUILD) in pairs(doc) and ("repo", SOURCE_REPO) in pairs(doc)


def test_provenance_without_a_current_release(world):
    patch(world, "deployment", DEPLOYMENT, {"current_release_id": None})
    doc = get(world, f"/api/deployments/{DEPLOYMENT}/provenance")
    assert (doc["current_release"], doc["build"], doc["vcs_ref"], doc["nodes"]) == (
        None, None, None, [])


def test_lineage_of_artifacts(world):
    doc = get(world, f"/api/build_artifacts/{BUILD}:image/lineage")
    assert (doc["vcs_ref"], doc["build"]["id"], doc["service_id"]) == ("9f2c1e7", BUILD, SERVICE)
    assert doc["artifact"]["output_repo"]["id"] == IMAGE_REPO
    doc = get(world, f"/api/release_artifacts/{RELEASE}:chart/lineage")
    assert doc["release"]["id"] == RELEASE and doc["deployment"]["id"] == DEPLOYMENT
    assert doc["vcs_ref"] == "9f2c1e7" and doc["build"]["id"] == BUILD
    assert {("release", RELEASE), ("deployment", DEPLOYMENT), ("build", BUILD)} <= pairs(doc)


def test_errors_and_routes(world):
    assert get(world, "/api/services/nope:x:y/trace", 404)["source"]["field"] == "id"
    get(world, "/api/nothings/x/trace", 404)
    get(world, f"/api/services/{SERVICE}/neighbours", 404)
    get(world, f"/api/builds/{BUILD}/lineage", 404)
    get(world, f"/api/deployments/{DEPLOYMENT}:nope/provenance", 404)
    get(world, f"/api/build_artifacts/{BUILD}:nope/lineage", 404)
    assert get(world, f"/api/services/{SERVICE}")["id"] == SERVICE
    post(world, "repo", {"repo_type_id": "git", "name": "org/shop"})
    world.post(f"/api/services/{SERVICE}/repos", json={"id": "git:org/shop"})
    doc = get(world, "/api/repos/git:org/shop/impact")
    assert doc["id"] == "git:org/shop" and ("service", SERVICE) in pairs(doc)
    assert ("deployment", DEPLOYMENT) in pairs(get(world, "/api/repos/git:org/shop/trace"))
    assert get(world, f"/api/deployments/{DEPLOYMENT}/releases")["count"] == 1


URLS = [f"/api/services/{SERVICE}/trace", f"/api/deployments/{DEPLOYMENT}/trace",
        f"/api/fleets/{FLEET}/impact", f"/api/partitions/{PART}/impact",
        "/api/environments/prod/impact", f"/api/deployments/{DEPLOYMENT}/neighbours",
        f"/api/deployments/{DEPLOYMENT}/provenance",
        f"/api/release_artifacts/{RELEASE}:chart/lineage"]


def test_walks_cost_a_fixed_number_of_statements(world):
    small = {url: statements(world, url) for url in URLS}
    grow(300)
    large = {url: statements(world, url) for url in URLS}
    assert large == small
    assert max(small.values()) <= 25, small
    doc = get(world, f"/api/fleets/{FLEET}/impact")
    assert doc["counts"]["deployment"] == 301 and doc["counts"]["release"] == 301
    assert get(world, f"/api/deployments/{DEPLOYMENT}/neighbours")["total"] == 301
