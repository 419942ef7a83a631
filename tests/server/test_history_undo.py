"""Undo: restore a deleted object (and its subtree), revert a changeset; both refuse cleanly.

A restore or revert writes through the pipeline as one new changeset; a
refusal is a 409 naming what is in the way and writes nothing.
"""
import pytest

from qairon.models import REGISTRY
from tests.support.world import BUILD, DEPLOYMENT, REGION, RELEASE, SERVICE, TARGET

from .helpers import build_world, counts, patch, post
from .history_helpers import as_of, changes_in, changeset_count, changeset_of, post_json, without_times

ZONE = REGION + ":use1-az1"


@pytest.fixture
def world(client):
    build_world(client)
    assert post_json(client, f"/api/deployments/{DEPLOYMENT}/zones", {"id": ZONE}).status_code == 200
    assert patch(client, "deployment", DEPLOYMENT, {"current_release_id": RELEASE}).status_code == 200
    return client


def everything(client):
    """Every object of every resource, and the zone links, without update times."""
    out = {}
    for cls in REGISTRY.values():
        out[cls.resource] = without_times(
            client.get(f"/api/{cls.plural}?limit=1000").get_json()["results"])
    out["zones"] = client.get(f"/api/deployments/{DEPLOYMENT}/zones").get_json()
    return out


def test_restore_brings_a_cascade_deleted_subtree_back(world):
    client = world
    before = everything(client)
    deleted = client.delete("/api/stacks/ecommerce:checkout?cascade=true")
    assert deleted.status_code == 200
    assert client.get(f"/api/deployments/{DEPLOYMENT}").status_code == 404
    restored = client.post("/api/stacks/ecommerce:checkout/restore?subtree=true")
    assert restored.status_code == 201, restored.get_json()
    body = restored.get_json()
    assert body["changeset"] == changeset_of(restored) and body["links"] == 1
    gone = {r: n for r, n in deleted.get_json()["deleted"].items()}
    assert body["restored"] == gone
    assert everything(client) == before
    changes = changes_in(client, body["changeset"])
    assert {c["operation"] for c in changes} == {"create", "update", "link"}


def test_restore_alone_then_the_subtree_as_of_before_the_delete(world):
    client = world
    before = everything(client)
    deleted = client.delete("/api/stacks/ecommerce:checkout?cascade=true")
    alone = client.post("/api/stacks/ecommerce:checkout/restore")
    assert alone.status_code == 201, alone.get_json()
    assert alone.get_json()["restored"] == {"stack": 1}
    assert client.get(f"/api/services/{SERVICE}").status_code == 404
    moment = changeset_of(deleted) - 1
    rest = client.post(as_of("/api/stacks/ecommerce:checkout/restore?subtree=true", moment))
    assert rest.status_code == 201, rest.get_json()
    assert "stack" not in rest.get_json()["restored"]
    assert everything(client) == before


def test_restore_sets_back_the_references_a_cascade_cleared_outside_the_subtree(world):
    client = world
    before = everything(client)
    deleted = client.delete(f"/api/builds/{BUILD}?cascade=true")
    assert deleted.status_code == 200, deleted.get_json()
    assert client.get(f"/api/deployments/{DEPLOYMENT}").get_json()["current_release_id"] is None
    restored = client.post(f"/api/builds/{BUILD}/restore?subtree=true")
    assert restored.status_code == 201, restored.get_json()
    assert restored.get_json()["references"] == 1 and restored.get_json()["kept"] == []
    assert everything(client) == before


def test_restore_keeps_a_reference_set_to_something_else_since(world):
    client = world
    client.delete(f"/api/builds/{BUILD}?cascade=true")
    assert post(client, "build", {"service_id": SERVICE, "build_num": "43",
                                  "vcs_ref": "abc"}).status_code == 201
    assert post(client, "release", {"build_id": f"{SERVICE}:43", "deployment_id": DEPLOYMENT,
                                    "build_num": "8"}).status_code == 201
    newer = f"{DEPLOYMENT}:8"
    assert patch(client, "deployment", DEPLOYMENT, {"current_release_id": newer}).status_code == 200
    restored = client.post(f"/api/builds/{BUILD}/restore?subtree=true")
    assert restored.status_code == 201, restored.get_json()
    assert restored.get_json()["references"] == 0
    assert restored.get_json()["kept"] == [{"resource": "deployment", "id": DEPLOYMENT,
                                            "field": "current_release_id", "value": newer,
                                            "was": RELEASE}]
    assert client.get(f"/api/deployments/{DEPLOYMENT}").get_json()["current_release_id"] == newer


def test_restore_refusals(world):
    client = world
    response = client.post(f"/api/services/{SERVICE}/restore")
    assert response.status_code == 409 and "nothing to restore" in response.get_json()["detail"]
    assert client.post("/api/services/nothing:here:ever/restore").status_code == 404
    assert client.delete("/api/applications/ecommerce?cascade=true").status_code == 200
    rows, changesets = counts(), changeset_count()
    response = client.post(f"/api/services/{SERVICE}/restore")
    assert response.status_code == 409
    body = response.get_json()
    assert "ecommerce:checkout" in body["detail"]
    assert {"resource": "stack", "id": "ecommerce:checkout"} in \
        [{k: m[k] for k in ("resource", "id")} for m in body["meta"]["missing"]]
    assert counts() == rows and changeset_count() == changesets


def test_restore_as_of_a_moment(world):
    client = world
    first = patch(client, "application", "ecommerce", {"defaults": {"v": 1}})
    patch(client, "application", "ecommerce", {"defaults": {"v": 2}})
    assert client.delete("/api/applications/ecommerce?cascade=true").status_code == 200
    response = client.post(as_of("/api/applications/ecommerce/restore", changeset_of(first)))
    assert response.status_code == 201, response.get_json()
    assert client.get("/api/applications/ecommerce").get_json()["defaults"] == {"v": 1}


def test_revert_an_update_a_create_and_a_cascade(world):
    client = world
    before = everything(client)
    changed = patch(client, "deployment", DEPLOYMENT, {"defaults": {"replicas": 3},
                                                       "native_id": "x"})
    reverted = client.post(f"/api/changesets/{changeset_of(changed)}/revert")
    assert reverted.status_code == 200, reverted.get_json()
    assert reverted.get_json()["reverted"] == changeset_of(changed)
    assert everything(client) == before
    created = post(client, "stack", {"application_id": "ecommerce", "name": "tmp"})
    assert client.post(f"/api/changesets/{changeset_of(created)}/revert").status_code == 200
    assert client.get("/api/stacks/ecommerce:tmp").status_code == 404
    deleted = client.delete(f"/api/deployment_targets/{TARGET}?cascade=true")
    assert deleted.status_code == 200
    response = client.post(f"/api/changesets/{changeset_of(deleted)}/revert")
    assert response.status_code == 200, response.get_json()
    assert everything(client) == before
    note = client.get(f"/api/changesets/{response.get_json()['changeset']}").get_json()["note"]
    assert note == {"reverts": changeset_of(deleted)}


def test_revert_refuses_when_anything_changed_since(world):
    client = world
    changed = patch(client, "service", SERVICE, {"defaults": {"a": 1}})
    later = patch(client, "service", SERVICE, {"defaults": {"a": 2}})
    rows, changesets = counts(), changeset_count()
    response = client.post(f"/api/changesets/{changeset_of(changed)}/revert")
    assert response.status_code == 409
    body = response.get_json()
    assert body["meta"]["changed_since"] == [
        {"resource": "service", "id": SERVICE, "link": None, "other_id": None,
         "changeset": changeset_of(later)}]
    assert SERVICE in body["detail"]
    assert counts() == rows and changeset_count() == changesets
    created = post(client, "stack", {"application_id": "ecommerce", "name": "tmp"})
    assert post(client, "service", {"stack_id": "ecommerce:tmp", "name": "s"}).status_code == 201
    response = client.post(f"/api/changesets/{changeset_of(created)}/revert")
    assert response.status_code == 409 and "service" in response.get_json()["detail"]
    assert counts() == rows | {"stack": rows["stack"] + 1, "service": rows["service"] + 1}
    assert client.post("/api/changesets/99999999/revert").status_code == 404
