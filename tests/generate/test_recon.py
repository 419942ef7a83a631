"""Reconciliation on the server: patterns from effective defaults, real jq, the stored result,
the history of it, and /api/drift."""
import json
import os

import pytest

from qairon.core.recon import compare, entries, match_fields
from tests.generate.helpers import add_templates
from tests.server.helpers import build_world
from tests.support.world import NET, TARGET

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "features", "fixtures", "recon")
K8S = {"recon": {
    "k8s_jq": "[.items[] | {service: .metadata.name, namespace: .metadata.namespace, "
              "image: .spec.template.spec.containers[0].image}] | sort_by(.service)",
    "qairon_jq": "[.[] | {service: (.service_id | split(\":\") | .[-1]), namespace: "
                 "(.service_id | split(\":\") | .[1]), image: "
                 ".current_release.release_artifacts[0].upload_path}] | sort_by(.service)",
    "qairon_field": "deployments"}}


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def world(client):
    build_world(client)
    add_templates(client)
    assert client.patch("/api/deployment_target_types/eks", json={"defaults": K8S}
                        ).status_code == 200
    return client


def recon(client, name, query="actual_key=k8s_jq&match=service", object_id=TARGET,
          plural="deployment_targets", **body):
    return client.post(f"/api/{plural}/{object_id}/recon?{query}",
                       json=dict({"actual": fixture(name)}, **body))


def test_in_sync_then_drift_is_stored_on_the_object_and_listed(world):
    answer = recon(world, "kubectl_in_sync.json").get_json()
    assert answer["status"] == "in_sync" and answer["counts"]["qairon"] == 1
    assert world.get("/api/drift").get_json() == {"results": [], "total": 0}
    answer = recon(world, "kubectl_drift.json").get_json()
    assert answer["status"] == "drift"
    assert answer["changed"] == [{"key": {"service": "order-processor"}, "fields": {"image": {
        "qairon": "123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r7",
        "actual": "123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r6"}}}]
    assert [e["service"] for e in answer["unexpected"]] == ["refunds"]
    stored = world.get(f"/api/deployment_targets/{TARGET}").get_json()["recon"]
    assert stored["status"] == "drift" and stored["checked_by"] == "anonymous"
    assert stored["counts"] == {"qairon": 1, "actual": 2, "missing": 0, "unexpected": 1,
                                "changed": 1}
    listed = world.get("/api/drift?environment=prod").get_json()
    assert [(r["resource"], r["id"]) for r in listed["results"]] == [
        ("deployment_target", TARGET)]
    assert world.get("/api/drift?environment=dev").get_json()["total"] == 0
    history = world.get(f"/api/deployment_targets/{TARGET}/history").get_json()["results"]
    assert "recon" in history[0]["changed"]


def test_a_recon_result_cannot_be_written_by_a_client(world):
    response = world.patch(f"/api/deployment_targets/{TARGET}",
                           json={"recon": {"status": "in_sync"}})
    assert response.status_code == 400 and response.get_json()["source"]["field"] == "recon"


def test_a_missing_pattern_names_the_key_and_where_it_looked(world):
    response = recon(world, "kubectl_in_sync.json", "actual_key=argo_jq")
    body = response.get_json()
    assert response.status_code == 422
    assert body["source"]["field"] == "argo_jq"
    assert "no 'argo_jq' in the effective defaults.recon of deployment_target" in body["detail"]


def test_a_jq_error_names_the_pattern_and_its_object(world):
    bad = {"recon": dict(K8S["recon"], k8s_jq=".items[] | .nope.deeper[]")}
    assert world.patch("/api/deployment_target_types/eks", json={"defaults": bad}
                       ).status_code == 200
    response = recon(world, "kubectl_in_sync.json")
    body = response.get_json()
    assert response.status_code == 422
    assert body["detail"].startswith("jq pattern defaults.recon.k8s_jq failed on the actual "
                                     f"state for deployment_target '{TARGET}': Cannot iterate")


def test_nested_keys_and_instance_overrides_follow_the_layering(world):
    assert world.patch("/api/provider_types/aws", json={"defaults": {"recon": {"terraform": {
        "vpc_jq": ".values.root_module.resources[] | select(.type == \"aws_vpc\") | "
                  "{native_id: .values.id, cidr: .values.cidr_block}",
        "qairon_network_jq": "{native_id: .native_id, cidr: .cidr}"}}}}).status_code == 200
    assert world.patch(f"/api/networks/{NET}", json={"native_id": "vpc-0a1b2c3d4e5f60718"}
                       ).status_code == 200
    query = "actual_key=terraform.vpc_jq&qairon_key=terraform.qairon_network_jq&match=native_id"
    answer = recon(world, "terraform_extra_vpc.json", query, NET, "networks").get_json()
    assert answer["status"] == "drift"
    assert answer["unexpected"] == [{"cidr": "172.16.0.0/16", "native_id": "vpc-0badc0ffee0000001"}]
    assert world.patch(f"/api/networks/{NET}", json={"defaults": {"recon": {"match": "cidr"}}}
                       ).status_code == 200
    query = "actual_key=terraform.vpc_jq&qairon_key=terraform.qairon_network_jq"
    assert recon(world, "terraform_in_sync.json", query, NET, "networks").get_json()[
        "match"] == ["cidr"]


@pytest.mark.parametrize("field", [["deployments"], "nope", 3])
def test_a_field_that_is_not_one_is_a_422(world, field):
    defaults = {"recon": dict(K8S["recon"], qairon_field=field)}
    assert world.patch("/api/deployment_target_types/eks", json={"defaults": defaults}
                       ).status_code == 200
    response = recon(world, "kubectl_in_sync.json")
    assert response.status_code == 422 and response.get_json()["source"]["field"] == \
        "qairon_field"


def test_variables_come_from_defaults_and_the_request(world):
    assert world.patch("/api/repo_types/ecr", json={"defaults": {"recon": {
        "ecr_jq": "[.imageDetails[] | .imageTags[] | {image: ($repo + \":\" + .), "
                  "name: $repository}] | sort_by(.image)",
        "qairon_jq": "[.[] | {image: .upload_path, name: $repository}]",
        "qairon_field": "build_artifacts", "repository": "ecommerce/order-processor"}}}
    ).status_code == 200
    answer = recon(world, "ecr_in_sync.json", "actual_key=ecr_jq",
                   "ecr:ecommerce-order-processor", "repos",
                   vars={"repo": "123456789012.dkr.ecr.us-east-1.amazonaws.com/op"}).get_json()
    assert answer["status"] == "in_sync", answer


def test_a_reduced_actual_state_skips_the_actual_pattern(world):
    reduced = [{"service": "order-processor", "namespace": "checkout",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r7"}]
    response = world.post(f"/api/deployment_targets/{TARGET}/recon?reduced=true",
                          json={"actual": reduced})
    assert response.get_json()["status"] == "in_sync"


@pytest.mark.parametrize("body", [{}, {"actual": [], "extra": 1}, {"actual": [], "vars": []}])
def test_a_malformed_request_is_a_400(world, body):
    response = world.post(f"/api/deployment_targets/{TARGET}/recon", json=body)
    assert response.status_code == 400, response.get_json()


def test_compare_matches_by_fields_and_sorts_everything():
    intended = [{"s": "b", "v": 1}, {"s": "a", "v": 1}, {"s": "c", "v": 1}]
    actual = [{"v": 2, "s": "a"}, {"s": "d", "v": 1}, {"s": "b", "v": 1}]
    report = compare(intended, actual, ("s",))
    assert report["missing"] == [{"s": "c", "v": 1}]
    assert report["unexpected"] == [{"s": "d", "v": 1}]
    assert report["changed"] == [{"key": {"s": "a"}, "fields": {"v": {"qairon": 1,
                                                                        "actual": 2}}}]
    assert compare(list(reversed(intended)), actual, ("s",)) == report
    whole = compare([{"a": 1, "b": 2}], [{"b": 2, "a": 1}])
    assert whole["status"] == "in_sync" and whole["match"] == []


def test_entries_and_match_fields():
    assert entries([[1, 2]]) == [1, 2]
    assert entries([{"a": 1}, {"a": 2}]) == [{"a": 1}, {"a": 2}]
    assert entries([]) == []
    assert match_fields("a, b") == ("a", "b") and match_fields(["a"]) == ("a",)
    with pytest.raises(ValueError):
        match_fields([1])
