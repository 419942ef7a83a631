"""The ``dependencies`` plugin on a real server: typed edges, their rules, and the walks.

order-processor (stack checkout) calls payment-gateway (stack payments): the
impact of payment-gateway crosses the service boundary and lists
order-processor and its deployment; the trace of order-processor reaches
payment-gateway. Allowed type pairs, cardinality and environment isolation are
the rules' answers; an end is not deleted while an edge names it.
"""
import pytest
import requests

from qairon.models import REGISTRY
from tests.plugins.support import plugin_schema, qcli
from tests.support.live_server import LiveServer
from tests.support.world import DEPLOYMENT, FLEET, NEIGHBOURS, NET, PAYMENT_GATEWAY, REFUNDS, SERVICE, WORLD

CALLS = f"{SERVICE}:calls:{PAYMENT_GATEWAY}"


@pytest.fixture(scope="module")
def server():
    with LiveServer(extra_env={"QAIRON_PLUGINS": "dependencies"}) as live:
        for row in list(WORLD) + list(NEIGHBOURS[:2]):
            plural = REGISTRY[row.resource].plural
            answer = requests.post(f"{live.url}/api/{plural}", json=row.fields)
            assert answer.status_code == 201, answer.text
        yield live


def post(server, plural, fields):
    return requests.post(f"{server.url}/api/{plural}", json=fields)


def test_impact_and_trace_cross_service_boundaries(server, tmp_path):
    assert post(server, "dependency_types", {"name": "calls", "source_resource": "service",
                                             "target_resource": "service"}).status_code == 201
    made = post(server, "dependencies", {"dependency_type_id": "calls", "source": SERVICE,
                                         "target": PAYMENT_GATEWAY})
    assert made.status_code == 201, made.text
    assert made.json()["id"] == CALLS
    schema = plugin_schema(server, tmp_path / "schema.json")
    impact = qcli(server, schema, "service", "impact", PAYMENT_GATEWAY, "-o", "json")
    assert impact.returncode == 0, impact.stderr
    import json
    nodes = {(n["resource"], n["id"]): n for n in json.loads(impact.stdout)["nodes"]}
    assert nodes[("service", SERVICE)]["via"] == "calls"
    assert ("deployment", DEPLOYMENT) in nodes
    trace = requests.get(f"{server.url}/api/services/{SERVICE}/trace").json()
    assert ("service", PAYMENT_GATEWAY) in {(n["resource"], n["id"]) for n in trace["nodes"]}
    # the JSON:API face serves the plugin's resources too
    listed = requests.get(f"{server.url}/api/rest/v1/dependency").json()
    assert [item["id"] for item in listed["data"]] == [CALLS]


def test_allowed_pairs_cardinality_and_isolation(server):
    assert post(server, "dependency_types", {
        "name": "primary-db", "source_resource": "service", "target_resource": "fleet",
        "cardinality": "many-to-one"}).status_code == 201
    wrong_pair = post(server, "dependencies", {"dependency_type_id": "primary-db",
                                               "source": SERVICE, "target": NET})
    assert wrong_pair.status_code == 422 and "fleet" in wrong_pair.text
    assert post(server, "dependencies", {"dependency_type_id": "primary-db", "source": SERVICE,
                                         "target": FLEET}).status_code == 201
    dev_fleet = FLEET.replace("prod:", "dev:", 1)
    second = post(server, "dependencies", {"dependency_type_id": "primary-db",
                                           "source": SERVICE, "target": dev_fleet})
    assert second.status_code in (404, 409, 422)
    assert post(server, "dependency_types", {
        "name": "peers", "source_resource": "fleet", "target_resource": "network",
        "cardinality": "one-to-one"}).status_code == 201
    assert post(server, "dependencies", {"dependency_type_id": "peers", "source": FLEET,
                                         "target": NET}).status_code == 201
    unknown = post(server, "dependency_types", {"name": "x", "source_resource": "service",
                                                "target_resource": "gizmo"})
    assert unknown.status_code == 422 and "'gizmo' is not a resource" in unknown.text
    bad = post(server, "dependency_types", {"name": "y", "source_resource": "service",
                                            "target_resource": "service",
                                            "cardinality": "some"})
    assert bad.status_code == 400 and "cardinality" in bad.text
    itself = post(server, "dependencies", {"dependency_type_id": "calls", "source": REFUNDS,
                                           "target": REFUNDS})
    assert itself.status_code == 422 and "itself" in itself.text


def test_many_to_one_and_environment_isolation(server):
    prod_env = [("environment", {"name": "qa"}),
                ("provider", {"environment_id": "qa", "provider_type_id": "aws",
                              "native_id": "222222222222"}),
                ("region", {"provider_id": "qa:aws:222222222222", "name": "r"}),
                ("partition", {"region_id": "qa:aws:222222222222:r", "name": "p"}),
                ("network", {"partition_id": "qa:aws:222222222222:r:p", "name": "n",
                             "cidr": "10.9.0.0/16"})]
    for resource, fields in prod_env:
        assert post(server, REGISTRY[resource].plural, fields).status_code == 201
    assert post(server, "dependency_types", {
        "name": "routes-to", "source_resource": "fleet",
        "target_resource": "network"}).status_code == 201
    crossed = post(server, "dependencies", {"dependency_type_id": "routes-to", "source": FLEET,
                                            "target": "qa:aws:222222222222:r:p:n"})
    assert crossed.status_code == 409 and "one environment" in crossed.text
    one = post(server, "dependency_types", {"name": "owned-by", "source_resource": "service",
                                            "target_resource": "service",
                                            "cardinality": "many-to-one"})
    assert one.status_code == 201
    assert post(server, "dependencies", {"dependency_type_id": "owned-by", "source": REFUNDS,
                                         "target": SERVICE}).status_code == 201
    twice = post(server, "dependencies", {"dependency_type_id": "owned-by", "source": REFUNDS,
                                          "target": PAYMENT_GATEWAY})
    assert twice.status_code == 409 and "many-to-one" in twice.text


def test_an_end_is_not_deleted_while_an_edge_names_it(server):
    refused = requests.delete(f"{server.url}/api/services/{PAYMENT_GATEWAY}")
    assert refused.status_code == 409 and CALLS in refused.text
    assert requests.delete(f"{server.url}/api/dependencies/{CALLS}").status_code in (200, 204)
    history = requests.get(f"{server.url}/api/dependencies/{CALLS}/history")
    assert history.status_code == 200 and "delete" in history.text


def test_the_plugin_migration_matches_its_models(server):
    done = server.flask("db", "check")
    assert done.returncode == 0 and "No new upgrade operations" in done.stdout + done.stderr, \
        done.stderr[-3000:]
    heads = server.flask("db", "heads").stdout
    assert "(dependencies) (head)" in heads
