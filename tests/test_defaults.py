"""Effective defaults: the pure merge and ordering, and the endpoint that replaces
seed 001's ``merge_defaults`` shell function."""
from qairon.core import merge as defaults
from tests.server.helpers import build_world, patch
from tests.support.insight import statements
from tests.support.world import DEPLOYMENT, NET, PART, PROVIDER, SERVICE, STACK, TARGET

K8S_JQ = "[.items[] | {service: .metadata.name}] | sort_by(.service)"


# --- pure functions ---------------------------------------------------------

def test_later_layers_win_key_by_key_and_objects_merge():
    merged = defaults.deep_merge([{"a": {"x": 1, "y": [1, 2]}, "b": 1},
                                  {"a": {"y": [3], "z": {"k": 1}}},
                                  {"b": {"now": "object"}, "a": {"z": {"m": 2}}}])
    assert merged == {"a": {"x": 1, "y": [3], "z": {"k": 1, "m": 2}}, "b": {"now": "object"}}


def test_merge_never_changes_its_inputs():
    first, second = {"a": {"x": 1}}, {"a": {"y": 2}}
    merged = defaults.deep_merge([first, second])
    merged["a"]["x"] = 99
    assert first == {"a": {"x": 1}} and second == {"a": {"y": 2}}


def test_scalar_replaces_object_and_object_replaces_scalar():
    assert defaults.deep_merge([{"a": {"x": 1}}, {"a": 5}]) == {"a": 5}
    assert defaults.deep_merge([{"a": 5}, {"a": {"x": 1}}]) == {"a": {"x": 1}}
    assert defaults.deep_merge([]) == {}


def test_explain_names_the_last_layer_setting_each_leaf():
    layers = [({"id": "type"}, {"recon": {"k8s_jq": "J", "qairon_jq": "Q"}, "tags": [1]}),
              ({"id": "own"}, {"recon": {"k8s_context": "ctx"}, "tags": [2], "empty": {}})]
    merged = defaults.deep_merge(d for _s, d in layers)
    explained = {e["key"]: e["id"] for e in defaults.explain(layers, merged)}
    assert explained == {"recon.k8s_jq": "type", "recon.qairon_jq": "type",
                         "recon.k8s_context": "own", "tags": "own", "empty": "own"}
    assert defaults.explain(layers, merged)[0]["path"] == ["recon", "k8s_jq"]


def test_layer_order_is_ancestors_then_type_then_own():
    parents = {"dep": ["target", "service"], "target": ["partition"], "partition": ["env"],
               "service": ["stack"], "stack": ["app"]}
    types = {"target": "eks", "partition": None}
    order = defaults.layer_order("dep", lambda n: parents.get(n, []), lambda n: types.get(n))
    assert order == ["env", "partition", "eks", "target", "app", "stack", "service", "dep"]


# --- the endpoint -----------------------------------------------------------

def seed_defaults(client):
    build_world(client)
    patch(client, "environment", "prod", {"defaults": {"owner": "ops", "recon": {"env": "prod"}}})
    patch(client, "provider_type", "aws", {"defaults": {"recon": {"terraform": {
        "vpc_jq": ".values", "qairon_network_jq": "{cidr: .cidr}"}}}})
    patch(client, "deployment_target_type", "eks", {"defaults": {"recon": {
        "k8s_jq": K8S_JQ, "qairon_jq": ".[]"}, "replicas": [1, 2]}})
    patch(client, "deployment_target", TARGET, {"defaults": {"recon": {
        "k8s_context": "prod-eks-main-cluster"}, "replicas": [3]}})
    patch(client, "network", NET, {"defaults": {"recon": {
        "terraform_state_path": "s3://terraform-state/prod/vpc.tfstate"}}})
    patch(client, "application", "ecommerce", {"defaults": {"owner": "shop-team"}})


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_type_and_instance_merge_in_one_call(client):
    seed_defaults(client)
    merged = get(client, f"/api/deployment_targets/{TARGET}/defaults?effective=true")
    assert merged["recon"]["k8s_jq"] == K8S_JQ
    assert merged["recon"]["k8s_context"] == "prod-eks-main-cluster"
    assert merged["recon"]["terraform"]["vpc_jq"] == ".values"
    assert merged["recon"]["env"] == "prod" and merged["owner"] == "ops"
    assert merged["replicas"] == [3]


def test_without_effective_the_own_defaults_as_before(client):
    seed_defaults(client)
    own = get(client, f"/api/deployment_targets/{TARGET}/defaults")
    assert own == {"recon": {"k8s_context": "prod-eks-main-cluster"}, "replicas": [3]}
    assert get(client, f"/api/deployment_targets/{TARGET}/defaults?effective=false") == own
    get(client, f"/api/deployment_targets/{TARGET}/defaults?effective=maybe", 400)


def test_network_inherits_the_provider_type_patterns(client):
    seed_defaults(client)
    merged = get(client, f"/api/networks/{NET}/defaults?effective=true")
    assert merged["recon"]["terraform"]["qairon_network_jq"] == "{cidr: .cidr}"
    assert merged["recon"]["terraform_state_path"].startswith("s3://")


def test_explain_says_where_every_leaf_came_from(client):
    seed_defaults(client)
    doc = get(client, f"/api/deployments/{DEPLOYMENT}/defaults?effective=true&explain=true")
    sources = {e["key"]: (e["resource"], e["id"]) for e in doc["explain"]}
    assert sources["recon.k8s_jq"] == ("deployment_target_type", "eks")
    assert sources["recon.k8s_context"] == ("deployment_target", TARGET)
    assert sources["recon.terraform.vpc_jq"] == ("provider_type", "aws")
    assert sources["owner"] == ("application", "ecommerce")
    assert doc["defaults"]["owner"] == "shop-team"
    assert [(layer["resource"], layer["id"]) for layer in doc["layers"]] == [
        ("environment", "prod"), ("provider_type", "aws"), ("provider", PROVIDER),
        ("region", PROVIDER + ":us-east-1"), ("partition", PART), ("deployment_target_type", "eks"),
        ("deployment_target", TARGET), ("application", "ecommerce"),
        ("stack", STACK), ("service", SERVICE), ("deployment", DEPLOYMENT)]


def test_explain_alone_implies_effective(client):
    seed_defaults(client)
    doc = get(client, "/api/providers/" + PROVIDER + "/defaults?explain=true")
    assert [layer["id"] for layer in doc["layers"]] == ["prod", "aws", PROVIDER]


def test_unknown_object_and_cost(client):
    seed_defaults(client)
    get(client, "/api/deployment_targets/nope/defaults?effective=true", 404)
    get(client, "/api/deployment_targets/nope/defaults", 404)
    cost = statements(client, f"/api/deployments/{DEPLOYMENT}/defaults?effective=true")
    assert cost <= 12, cost  # one per resource kind of the ancestry (11 kinds), plus the session
