"""qcli trace, impact, neighbours, provenance, lineage, defaults and capacity against a
live server: the five seed questions, blast radius, merged defaults and the capacity
example, each one command."""
import json

import pytest

from qairon_qcli import client as qclient
from qairon_qcli import insight
from qairon_qcli.controllers import QCLIController, ReturningOutputController
from tests.qcli.conftest import serving
from tests.support.world import (
    BUILD,
    DEPLOYMENT,
    DPROC,
    FLEET,
    IMAGE_REPO,
    PART,
    PROVIDER,
    REGISTRY_HOST,
    RELEASE,
    SERVICE,
    STACK_B,
    SUBNET,
    TARGET,
)
from tests.support.world import WORLD as SEED_WORLD

TARGET_B = PART + ":eks:edge-cluster"
DEP_B = f"{TARGET_B}:ecommerce:payments:ledger:default"
K8S_JQ = "[.items[] | {service: .metadata.name}]"


@pytest.fixture(scope="module")
def live_server():
    """A server of this module's own, so that the seed world stays out of other suites."""
    yield from serving()


@pytest.fixture(scope="module")
def world(live_server):
    """The seed world, a second target with a ledger deployment on the same fleet,
    capacity 100 cpu against 30 + 25 allocated, and type and instance defaults."""
    qcli = QCLIController(ReturningOutputController(), endpoint=live_server.url)

    def create(resource, fields):
        try:
            qcli.client.create(qcli._plural(resource), fields)
        except qclient.Conflict:
            pass

    for resource, fields, _expected in SEED_WORLD:
        create(resource, fields)
    for resource, fields in [
            ("deployment_target", {"partition_id": PART, "deployment_target_type_id": "eks",
                                   "name": "edge-cluster"}),
            ("service", {"stack_id": STACK_B, "name": "ledger"}),
            ("proc", {"service_id": "ecommerce:payments:ledger", "name": "web"}),
            ("deployment", {"deployment_target_id": TARGET_B,
                            "service_id": "ecommerce:payments:ledger"}),
            ("deployment", {"deployment_target_id": TARGET, "service_id": SERVICE,
                            "tag": "canary"}),
            ("deployment_proc", {"deployment_id": DEP_B,
                                 "proc_id": "ecommerce:payments:ledger:web"}),
            ("allocation", {"deployment_proc_id": DEP_B + ":web", "allocation_type_id": "cpu",
                            "watermark": "LOW", "value": 25})]:
        create(resource, fields)
    for relation, other in (("deployment_targets", TARGET), ("deployment_targets", TARGET_B),
                            ("subnets", SUBNET)):
        try:
            qcli.assign(resource="fleet", resource_id=FLEET, relation=relation, other_id=other)
        except qclient.Conflict:
            pass
    qcli.set_field(resource="deployment", resource_id=DEPLOYMENT, field="current_release",
                   value=RELEASE)
    qcli.set_field(resource="repo", resource_id=IMAGE_REPO, field="url",
                   value=f"https://{REGISTRY_HOST}/op")
    qcli.set_field(resource="deployment_target_type", resource_id="eks", field="defaults",
                   value=json.dumps({"recon": {"k8s_jq": K8S_JQ, "qairon_jq": ".[]"}}))
    qcli.set_field(resource="deployment_target", resource_id=TARGET, field="defaults",
                   value='{"recon": {"k8s_context": "prod-eks-main-cluster"}}')
    return qcli


def lines(result):
    assert result.status == 0, result.stderr
    assert result.stderr == ""
    return [tuple(line.split("\t")) for line in result.stdout.splitlines()]


def test_forward_what_infrastructure_runs_this_service(live, world):
    rows = lines(live(["service", "trace", SERVICE]))
    for pair in [("deployment", DEPLOYMENT), ("deployment_target", TARGET), ("fleet", FLEET),
                 ("partition", PART), ("provider", PROVIDER),
                 ("environment", "prod")]:
        assert pair in rows
    assert all(len(row) == 2 for row in rows)


def test_backward_what_depends_on_this_fleet(live, world):
    rows = lines(live(["fleet", "impact", FLEET]))
    assert ("service", "ecommerce:payments:ledger") in rows and ("service", SERVICE) in rows
    assert ("deployment", DEP_B) in rows and ("deployment_target", TARGET_B) in rows
    doc = json.loads(live(["fleet", "impact", FLEET, "-o", "json"]).stdout)
    assert doc["counts"]["deployment_target"] == 2 and doc["counts"]["deployment"] == 3
    shallow = lines(live(["fleet", "impact", FLEET, "--depth", "1"]))
    assert {row[0] for row in shallow} == {"deployment_target", "capacity"}


def test_lateral_what_else_is_deployed_alongside(live, world):
    rows = lines(live(["deployment", "neighbours", DEPLOYMENT]))
    assert rows == [("deployment", f"{TARGET}:{SERVICE}:canary"), ("service", SERVICE)]


def test_provenance_where_is_this_deployments_binary(live, world):
    doc = json.loads(live(["deployment", "provenance", DEPLOYMENT, "-o", "json"]).stdout)
    artifact = doc["current_release"]["release_artifacts"][0]
    assert artifact["output_repo"]["url"].endswith("/op")
    assert artifact["output_repo"]["repo_type_id"] == "ecr"
    assert doc["vcs_ref"] == "9f2c1e7" and doc["build"]["build_artifacts"][0]["name"] == "image"
    assert ("build", BUILD) in lines(live(["deployment", "provenance", DEPLOYMENT]))


def test_lineage_what_commit_produced_this_artifact(live, world):
    doc = json.loads(live(["build_artifact", "lineage", BUILD + ":image", "-o", "json"]).stdout)
    assert doc["vcs_ref"] == "9f2c1e7"
    rows = lines(live(["release_artifact", "lineage", RELEASE + ":chart"]))
    assert ("release", RELEASE) in rows and ("deployment", DEPLOYMENT) in rows
    assert ("build", BUILD) in rows


def test_defaults_merged_in_one_command(live, world):
    result = live(["deployment_target", "defaults", TARGET])
    merged = json.loads(result.stdout)
    assert result.stdout.count("\n") == 1
    assert merged["recon"] == {"k8s_jq": K8S_JQ, "qairon_jq": ".[]",
                               "k8s_context": "prod-eks-main-cluster"}
    own = json.loads(live(["deployment_target", "defaults", TARGET, "--own"]).stdout)
    assert own == {"recon": {"k8s_context": "prod-eks-main-cluster"}}
    rows = lines(live(["deployment_target", "defaults", TARGET, "--explain"]))
    assert ("recon.k8s_jq", "deployment_target_type", "eks", json.dumps(K8S_JQ)) in rows
    assert ("recon.k8s_context", "deployment_target", TARGET, '"prod-eks-main-cluster"') in rows


def test_capacity_the_seed_example(live, world):
    assert lines(live(["fleet", "capacity", FLEET])) == [("cpu", "100", "55", "0", "45")]
    assert lines(live(["deployment_target", "capacity", TARGET_B])) == [
        ("cpu", "100", "55", "0", "45")]
    table = live(["fleet", "capacity", FLEET], tty=True).stdout.splitlines()
    assert table[0].split() == ["TYPE", "CAPACITY", "LOW", "HIGH", "AVAILABLE"]
    doc = json.loads(live(["fleet", "capacity", FLEET, "-o", "json"]).stdout)
    assert {t["id"]: t["allocated"][0]["low"] for t in doc["deployment_targets"]} == {
        TARGET: 30, TARGET_B: 25}


def test_capacity_report(live, world):
    rows = lines(live(["capacity", "report", "--environment", "prod"]))
    assert rows[0] == (FLEET, "cpu", "100", "55", "0", "45", "0.55")
    assert lines(live(["capacity", "report", "--environment", "nowhere"])) == []


def test_table_output_has_a_summary(live, world):
    out = live(["fleet", "impact", FLEET], tty=True).stdout.splitlines()
    assert out[0].split() == ["RESOURCE", "ID"] and out[-1].endswith("objects)")


def test_errors_and_usage(live, world):
    result = live(["service", "trace", "nope:x:y"])
    assert (result.status, result.stdout) == (3, "") and "does not exist" in result.stderr
    assert live(["service", "neighbours", SERVICE]).status == 2
    assert live(["fleet", "impact", FLEET, "--depth", "x"]).status == 2
    assert live(["fleet", "impact", FLEET, "--depth", "0"]).status == 2


def test_python_module_has_the_same_commands(live_server, world):
    qcli = QCLIController(ReturningOutputController(), endpoint=live_server.url)
    assert qcli.trace(resource="deployment", resource_id=DEPLOYMENT)["walk"] == "trace"
    assert qcli.impact(resource="fleet", resource_id=FLEET, depth=2)["depth"] == 2
    assert qcli.neighbours(deployment_id=DEPLOYMENT)["total"] == 2
    assert qcli.provenance(deployment_id=DEPLOYMENT)["vcs_ref"] == "9f2c1e7"
    assert qcli.lineage(resource="build_artifact", resource_id=BUILD + ":image")["build"]["id"] \
        == BUILD
    assert qcli.defaults(resource="deployment_target", resource_id=TARGET)["recon"]["qairon_jq"] \
        == ".[]"
    explained = qcli.defaults(resource="deployment_target", resource_id=TARGET, explain=True)
    assert explained["layers"][-1]["id"] == TARGET
    assert qcli.capacity(resource="fleet", resource_id=FLEET)["types"][0]["available"] == 45
    assert qcli.capacity_report(environment="prod")["fleets"][0]["id"] == FLEET
    assert DPROC.endswith(":web")


def test_pure_row_builders():
    assert insight.number(100.0) == "100" and insight.number(0.55) == "0.55"
    assert insight.number(None) == ""
    header, rows = insight.report_rows({"fleets": [{"id": "f", "types": []}]})
    assert rows == [("f", "", "", "", "", "", "")] and header[0] == "FLEET"
    assert insight.walk_summary({"counts": {}, "total": 0}) == "nothing (0 objects)"
