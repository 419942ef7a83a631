"""Rename: new IDs for an object and its descendants, every reference and link moved,
in one changeset; the old ID still answers in the history and says where it went."""
import pytest

from qairon.api.jsonapi_routes import PREFIX as JSONAPI
from tests.support.world import BUILD, DEPLOYMENT, PART, REGION, RELEASE, SERVICE, TARGET

from .helpers import build_world, counts, patch
from .history_helpers import as_of, changes_in, changeset_count, changeset_of, post_json

ZONE = REGION + ":use1-az1"
NEW_SERVICE = "ecommerce:checkout:orders"
NEW_DEPLOYMENT = f"{TARGET}:{NEW_SERVICE}:default"


@pytest.fixture
def world(client):
    build_world(client)
    assert post_json(client, f"/api/deployments/{DEPLOYMENT}/zones", {"id": ZONE}).status_code == 200
    assert patch(client, "deployment", DEPLOYMENT, {"current_release_id": RELEASE}).status_code == 200
    assert patch(client, "service", SERVICE, {"defaults": {"port": 80}}).status_code == 200
    return client


def test_rename_a_service_keeps_its_deployments_whole(world):
    client = world
    before = counts()
    response = post_json(client, f"/api/services/{SERVICE}/rename", {"name": "orders"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["id"] == NEW_SERVICE and body["changeset"] == changeset_of(response)
    assert counts() == before
    service = client.get(f"/api/services/{NEW_SERVICE}").get_json()
    assert service["defaults"] == {"port": 80}
    deployment = client.get(f"/api/deployments/{NEW_DEPLOYMENT}").get_json()
    assert deployment["service_id"] == NEW_SERVICE
    assert deployment["current_release"]["id"] == f"{NEW_DEPLOYMENT}:7"
    assert deployment["current_release"]["build_id"] == f"{NEW_SERVICE}:42"
    assert [z["id"] for z in client.get(
        f"/api/deployments/{NEW_DEPLOYMENT}/zones").get_json()["results"]] == [ZONE]
    assert client.get(f"/api/builds/{NEW_SERVICE}:42").status_code == 200
    old = client.get(f"/api/services/{SERVICE}")
    assert old.status_code == 404 and NEW_SERVICE in old.get_json()["detail"]
    assert old.get_json()["meta"] == {"renamed_to": NEW_SERVICE}
    assert NEW_DEPLOYMENT in client.get(f"/api/deployments/{DEPLOYMENT}").get_json()["detail"]
    jsonapi = client.get(f"{JSONAPI}/service/{SERVICE}",
                         headers={"Accept": "application/vnd.api+json"})
    assert jsonapi.status_code == 404
    [error] = jsonapi.get_json()["errors"]
    assert NEW_SERVICE in error["detail"] and error["meta"] == {"renamed_to": NEW_SERVICE}
    history = client.get(f"/api/services/{SERVICE}/history").get_json()["results"]
    assert history[0]["operation"] == "delete" and history[0]["note"] == {"renamed_to": NEW_SERVICE}
    new_history = client.get(f"/api/services/{NEW_SERVICE}/history").get_json()["results"]
    assert [c["object_id"] for c in new_history][:2] == [SERVICE, NEW_SERVICE]
    assert new_history[-1]["object_id"] == SERVICE and new_history[-1]["operation"] == "create"
    at = changeset_of(response) - 1
    assert client.get(as_of(f"/api/services/{SERVICE}", at)).get_json()["defaults"] == {"port": 80}
    assert client.get(as_of(f"/api/services/{NEW_SERVICE}", at)).status_code == 404
    changesets = {c["changeset"] for c in changes_in(client, body["changeset"])}
    assert changesets == {body["changeset"]}
    note = client.get(f"/api/changesets/{body['changeset']}").get_json()["note"]
    assert note == {"rename": {"resource": "service", "from": SERVICE, "to": NEW_SERVICE}}


def test_rename_moves_references_from_outside(world):
    client = world
    response = post_json(client, "/api/repos/git:ecommerce/rename", {"name": "shop"})
    assert response.status_code == 200, response.get_json()
    artifact = client.get(f"/api/build_artifacts/{BUILD}:image").get_json()
    assert artifact["input_repo_id"] == "git:shop"
    assert response.get_json()["references"] == 1


def test_rename_a_partition_rekeys_the_infrastructure_below(world):
    client = world
    response = post_json(client, f"/api/partitions/{PART}/rename", {"name": "use1a"})
    assert response.status_code == 200, response.get_json()
    new_part = REGION + ":use1a"
    targets = client.get("/api/deployment_targets").get_json()["results"]
    assert [t["id"] for t in targets] == [new_part + ":eks:main-cluster"]
    subnets = client.get("/api/subnets").get_json()["results"]
    assert [s["cidr"] for s in subnets] == ["10.0.0.0/22"]
    assert client.get(f"/api/partitions/{PART}").status_code == 404


def test_rename_refusals(world):
    client = world
    rows, changesets = counts(), changeset_count()
    taken = post_json(client, "/api/stacks/ecommerce:checkout/rename", {"name": "payments"})
    assert taken.status_code == 409 and "ecommerce:payments" in taken.get_json()["detail"]
    for body, status in (({"name": "a:b"}, 400), ({"name": ""}, 400), ({}, 400),
                         ({"name": "checkout"}, 400)):
        response = post_json(client, "/api/stacks/ecommerce:checkout/rename", body)
        assert response.status_code == status, body
        assert response.get_json()["source"]["field"] == "name"
    assert post_json(client, "/api/stacks/no:such/rename", {"name": "x"}).status_code == 404
    dproc = post_json(client, f"/api/deployment_procs/{DEPLOYMENT}:web/rename", {"name": "x"})
    assert dproc.status_code == 400
    assert counts() == rows and changeset_count() == changesets


def test_rename_refuses_to_duplicate_a_value_unique_beyond_the_id(world):
    """A provider account belongs to one provider: renaming the environment above it would
    hold the account twice while the old and new rows coexist; a 409 says so, nothing moves."""
    client = world
    before = counts()
    response = post_json(client, "/api/environments/prod/rename", {"name": "production"})
    assert response.status_code == 409
    body = response.get_json()
    assert "prod:aws:" in body["detail"] and "native_id" in body["detail"]
    assert body["meta"]["unique"]["fields"] == ["provider_type_id", "native_id"]
    assert counts() == before
