"""The two faces as seed 001 uses them: curl defaults, filters in both spellings,
dotted paths, relation endpoints, embedded current_release, health and version."""
import json

import pytest

from qairon.version import __version__
from tests.support.sqlcount import QueryCounter
from tests.support.world import BUILD, DEPLOYMENT, RELEASE, SERVICE, STACK, TARGET, WORLD

from .helpers import build_world, patch, post


@pytest.fixture
def world(client):
    build_world(client)
    return client


def test_seed_example_ids(world):
    """Every ID of the seed's example, exactly as the seed writes it."""
    for resource, _fields, expected in WORLD:
        plural = {"capacity": "capacities"}.get(resource, resource + "s")
        assert world.get(f"/api/{plural}/{expected}").status_code == 200, expected
    assert TARGET == "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster"
    assert world.get("/api/networks/prod:aws:123456789012:us-east-1:us-east-1a:main-vpc"
                     ).get_json()["cidr"] == "10.0.0.0/16"


def test_curl_defaults_work_on_both_faces(world):
    listed = world.get("/api/services", headers={"Accept": "*/*"})
    assert listed.status_code == 200 and listed.get_json()["results"][0]["id"] == SERVICE
    created = world.post("/api/rest/v1/application",
                         data=json.dumps({"data": {"type": "application",
                                                   "attributes": {"name": "search"}}}),
                         headers={"Accept": "*/*", "Content-Type": "application/json"})
    assert created.status_code == 201, created.get_json()
    got = world.get("/api/rest/v1/service", headers={"Accept": "*/*"})
    assert got.status_code == 200 and got.get_json()["data"][0]["id"] == SERVICE


def test_dotted_filters_on_both_faces(world):
    post(world, "application", {"name": "search"})
    post(world, "stack", {"application_id": "search", "name": "api"})
    post(world, "service", {"stack_id": "search:api", "name": "query"})
    query = {"filters": [{"name": "stack.application_id", "op": "eq", "val": "ecommerce"}]}
    plain = world.get("/api/services", query_string={"filter": json.dumps(query)}).get_json()
    assert [o["id"] for o in plain["results"]] == [SERVICE]
    assert world.get("/api/services?stack.application_id=search").get_json()["count"] == 1
    for spelling in (query, query["filters"]):
        api = world.get("/api/rest/v1/service",
                        query_string={"filter[objects]": json.dumps(spelling)}).get_json()
        assert [o["id"] for o in api["data"]] == [SERVICE]
    deep = [{"name": "service.stack.application_id", "op": "eq", "val": "ecommerce"}]
    assert world.get("/api/deployments", query_string={"filter": json.dumps(deep)}
                     ).get_json()["count"] == 1


def test_relation_endpoints(world):
    services = world.get("/api/stacks/ecommerce:checkout/services").get_json()
    assert [o["id"] for o in services["results"]] == [SERVICE]
    assert world.get("/api/stacks/ecommerce:payments/services").get_json()["results"] == []
    assert world.get(f"/api/services/{SERVICE}/stack").get_json()["id"] == STACK
    assert world.get(f"/api/services/{SERVICE}/name").get_json() == "order-processor"
    assert world.get(f"/api/deployments/{DEPLOYMENT}/current_release").get_json() is None
    artifacts = world.get("/api/repos/ecr:ecommerce-order-processor/build_artifacts").get_json()
    assert artifacts["results"][0]["upload_path"].endswith("op:42")
    rel = world.get("/api/rest/v1/stack/ecommerce:checkout/services").get_json()
    assert [o["id"] for o in rel["data"]] == [SERVICE]


def test_deployment_embeds_current_release_with_artifacts(world):
    patch(world, "deployment", DEPLOYMENT, {"current_release_id": RELEASE})
    listed = world.get(f"/api/deployment_targets/{TARGET}/deployments").get_json()["results"]
    assert listed[0]["current_release"]["release_artifacts"][0]["upload_path"].endswith("op:r7")
    one = world.get(f"/api/deployments/{DEPLOYMENT}").get_json()
    assert one["current_release"]["build_id"] == BUILD


def test_pagination_links(world):
    for i in range(5):
        post(world, "application", {"name": f"app{i}"})
    first = world.get("/api/applications?limit=2").get_json()
    assert first["count"] == 6 and len(first["results"]) == 2 and first["previous"] is None
    second = world.get(first["next"]).get_json()
    assert second["previous"] and [o["id"] for o in second["results"]] == ["app2", "app3"]
    assert world.get("/api/applications?limit=2&offset=4").get_json()["next"] is None
    api = world.get("/api/rest/v1/application?page[size]=2").get_json()
    assert api["links"]["next"]


def test_health_ready_and_version(client):
    for path in ("/up", "/ready"):
        response = client.get(path)
        assert response.status_code == 200 and response.get_json()["status"] == "ok"
        assert response.headers["Qairon-Version"] == __version__
    missing = client.get("/nothing-here")
    assert missing.status_code == 404 and missing.is_json


def test_schema_lists_every_resource(client):
    resources = client.get("/api/schema").get_json()["resources"]
    assert resources["build"]["create"] == ["service_id", "build_num", "vcs_ref"]
    assert resources["deployment"]["options"]["tag"] == {"type": "string", "default": "default"}
    deployment = client.get("/api/schema").get_json()["resources"]["deployment"]
    assert deployment["links"] == {"zones": {"resource": "zone", "isolated": True,
                                             "depends_on": True}}
    assert deployment["embedded"] == {"current_release": ["release_artifacts"]}
    assert [a["name"] for a in deployment["actions"]] == [
        "trace", "impact", "defaults", "history", "restore", "rename", "render", "recon",
        "neighbours", "provenance"]


def queries(client, url):
    with QueryCounter() as counter:
        response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return counter.count


def test_lists_cost_a_constant_number_of_queries(world):
    patch(world, "deployment", DEPLOYMENT, {"current_release_id": RELEASE})
    small = {url: queries(world, url) for url in LIST_URLS}
    for i in range(60):
        post(world, "deployment", {"deployment_target_id": TARGET, "service_id": SERVICE,
                                   "tag": f"t{i}"})
        post(world, "release", {"build_id": BUILD,
                                "deployment_id": f"{TARGET}:{SERVICE}:t{i}", "build_num": "1"})
        patch(world, "deployment", f"{TARGET}:{SERVICE}:t{i}",
              {"current_release_id": f"{TARGET}:{SERVICE}:t{i}:1"})
    for url, n in small.items():
        assert queries(world, url) == n, url


LIST_URLS = [
    "/api/deployments?limit=1000",
    f"/api/deployment_targets/{TARGET}/deployments?limit=1000",
    f"/api/services/{SERVICE}/deployments",
    "/api/rest/v1/deployment?page[size]=1000",
    f"/api/rest/v1/deployment_target/{TARGET}/deployments",
    "/api/releases?limit=1000",
    "/api/rest/v1/release?page[size]=1000",
]
