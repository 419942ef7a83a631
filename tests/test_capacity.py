"""Capacity: the seed's example (100 CPU, 30 + 25 allocated, 45 available), the
per-target view, the report ranked worst first, and their cost in statements."""
import pytest

from qairon.insight import capacity
from tests.server.helpers import build_world, post
from tests.support.insight import grow, link_target_to_fleet, statements
from tests.support.world import DPROC, FLEET, PART, PROC, SERVICE, TARGET

TARGET_B = PART + ":eks:edge-cluster"
DEP_B = f"{TARGET_B}:{SERVICE}:default"


# --- pure functions ---------------------------------------------------------

def test_summarise_per_type():
    rows = capacity.summarise({"cpu": 100.0, "mem": 64.0},
                              {("cpu", "LOW"): 55.0, ("cpu", "HIGH"): 80.0, ("gpu", "LOW"): 1.0},
                              {"cpu": "cores"})
    cpu, gpu, mem = rows
    assert (cpu["capacity"], cpu["low"], cpu["high"], cpu["available"], cpu["available_high"],
            cpu["utilisation"], cpu["unit"]) == (100.0, 55.0, 80.0, 45.0, 20.0, 0.55, "cores")
    assert (gpu["capacity"], gpu["available"], gpu["utilisation"]) == (0.0, -1.0, None)
    assert (mem["low"], mem["available"], mem["utilisation"]) == (0.0, 64.0, 0.0)


def test_rank_worst_first():
    def fleet(name, **types):
        return {"id": name, "types": capacity.summarise(
            {k: v[0] for k, v in types.items() if v[0]},
            {(k, "LOW"): v[1] for k, v in types.items()}, {})}
    ranked = capacity.rank([fleet("idle"), fleet("half", cpu=(100, 50)),
                            fleet("full", cpu=(10, 9), mem=(10, 1)),
                            fleet("nothing-offered", cpu=(0, 5))])
    assert [f["id"] for f in ranked] == ["nothing-offered", "full", "half", "idle"]
    assert ranked[1]["utilisation"] == 0.9 and ranked[3]["utilisation"] is None


# --- the endpoints -----------------------------------------------------------

@pytest.fixture
def seed_example(client):
    """Fleet (capacity: 100 CPU) serving target A (allocated 30) and target B (25)."""
    build_world(client)
    link_target_to_fleet(client)
    for resource, fields in [
            ("deployment_target", {"partition_id": PART, "deployment_target_type_id": "eks",
                                   "name": "edge-cluster"}),
            ("deployment", {"deployment_target_id": TARGET_B, "service_id": SERVICE}),
            ("deployment_proc", {"deployment_id": DEP_B, "proc_id": PROC}),
            ("allocation", {"deployment_proc_id": DEP_B + ":web", "allocation_type_id": "cpu",
                            "watermark": "LOW", "value": 25}),
            ("allocation", {"deployment_proc_id": DEP_B + ":web", "allocation_type_id": "cpu",
                            "watermark": "HIGH", "value": 40}),
            ("allocation", {"deployment_proc_id": DPROC, "allocation_type_id": "cpu",
                            "watermark": "HIGH", "value": 50})]:
        response = post(client, resource, fields)
        assert response.status_code == 201, response.get_json()
    response = client.post(f"/api/fleets/{FLEET}/deployment_targets", json={"id": TARGET_B})
    assert response.status_code == 200
    return client


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_the_seed_example(seed_example):
    doc = get(seed_example, f"/api/fleets/{FLEET}/capacity")
    (cpu,) = doc["types"]
    assert (cpu["allocation_type_id"], cpu["capacity"], cpu["low"], cpu["available"]) == (
        "cpu", 100, 55, 45)
    assert (cpu["high"], cpu["available_high"], cpu["unit"]) == (90, 10, "cores")
    per_target = {t["id"]: t["allocated"][0]["low"] for t in doc["deployment_targets"]}
    assert per_target == {TARGET: 30, TARGET_B: 25}


def test_a_target_sees_its_fleets_and_its_own_share(seed_example):
    doc = get(seed_example, f"/api/deployment_targets/{TARGET_B}/capacity")
    assert doc["fleets"] == [FLEET]
    (cpu,) = doc["types"]
    assert (cpu["capacity"], cpu["low"], cpu["available"]) == (100, 55, 45)
    assert doc["allocated_here"] == [{"allocation_type_id": "cpu", "unit": "cores",
                                      "low": 25, "high": 40}]


def test_a_target_on_no_fleet_has_no_capacity(seed_example):
    post(seed_example, "deployment_target", {"partition_id": PART,
                                             "deployment_target_type_id": "eks", "name": "lone"})
    doc = get(seed_example, f"/api/deployment_targets/{PART}:eks:lone/capacity")
    assert doc["fleets"] == [] and doc["types"] == []


def test_report_ranks_fleets_and_filters_by_environment(seed_example):
    post(seed_example, "fleet", {"partition_id": PART, "fleet_type_id": "nodegroup",
                                 "name": "batch"})
    post(seed_example, "capacity", {"fleet_id": PART + ":nodegroup:batch",
                                    "allocation_type_id": "cpu", "value": 50})
    seed_example.post(f"/api/fleets/{PART}:nodegroup:batch/deployment_targets",
                      json={"id": TARGET_B})
    post(seed_example, "environment", {"name": "staging"})
    post(seed_example, "provider", {"environment_id": "staging", "provider_type_id": "aws",
                                    "native_id": "999"})
    post(seed_example, "region", {"provider_id": "staging:aws:999", "name": "r"})
    post(seed_example, "partition", {"region_id": "staging:aws:999:r", "name": "p"})
    post(seed_example, "fleet", {"partition_id": "staging:aws:999:r:p",
                                 "fleet_type_id": "nodegroup", "name": "idle"})
    report = get(seed_example, "/api/capacity/report")
    assert [(f["id"], f["utilisation"]) for f in report["fleets"]] == [
        (FLEET, 0.55), (PART + ":nodegroup:batch", 0.5), ("staging:aws:999:r:p:nodegroup:idle", None)]
    prod = get(seed_example, "/api/capacity/report?environment=prod")
    assert prod["environment"] == "prod" and len(prod["fleets"]) == 2
    assert get(seed_example, "/api/capacity/report?environment=pro")["fleets"] == []
    assert get(seed_example, "/api/capacity/report?environment=p_od")["fleets"] == []


def test_capacity_errors(seed_example):
    get(seed_example, "/api/fleets/nope/capacity", 404)
    get(seed_example, "/api/deployment_targets/nope/capacity", 404)
    get(seed_example, f"/api/services/{SERVICE}/capacity", 404)
    assert get(seed_example, f"/api/capacities/{FLEET}:cpu")["value"] == 100


def test_capacity_costs_a_fixed_number_of_statements(seed_example):
    urls = [f"/api/fleets/{FLEET}/capacity", f"/api/deployment_targets/{TARGET}/capacity",
            "/api/capacity/report", "/api/capacity/report?environment=prod"]
    small = {url: statements(seed_example, url) for url in urls}
    grow(300)
    assert {url: statements(seed_example, url) for url in urls} == small
    assert max(small.values()) <= 8, small
    (cpu,) = get(seed_example, f"/api/fleets/{FLEET}/capacity")["types"]
    assert cpu["low"] == pytest.approx(55 + 300 * 0.1)
