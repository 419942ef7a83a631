"""Deleting: cascading on request, and refusals beyond the generated ones of test_refusals.py
(a second referrer, a current release)."""
import pytest

from tests.support.world import DEPLOYMENT, IMAGE_REPO, NET, PART, RELEASE, SERVICE, TARGET, ZONE

from .helpers import assert_error, build_world, count, counts, patch


@pytest.fixture
def world(client):
    build_world(client)
    return client


def test_cascade_deletes_the_subtree_in_one_transaction(world):
    patch(world, "deployment", DEPLOYMENT, {"current_release_id": RELEASE})
    response = world.delete("/api/applications/ecommerce?cascade=true")
    assert response.status_code == 200, response.get_json()
    deleted = response.get_json()["deleted"]
    assert deleted["application"] == 1 and deleted["stack"] == 2 and deleted["service"] == 1
    assert deleted["deployment"] == 1 and deleted["release"] == 1
    for resource in ("application", "stack", "service", "build", "deployment", "release",
                     "release_artifact", "deployment_proc", "allocation", "stack_config"):
        assert count(resource) == 0, resource
    assert count("deployment_target") == 1 and count("repo") == 2


def test_cascade_on_the_jsonapi_face(world):
    response = world.delete(f"/api/rest/v1/partition/{PART}?cascade=true")
    assert response.status_code in (200, 204), response.get_json()
    for resource in ("partition", "network", "subnet", "fleet", "deployment_target",
                     "deployment", "capacity"):
        assert count(resource) == 0, resource
    assert count("service") == 1


def test_a_referenced_repo_is_protected(world):
    body = assert_error(world.delete(f"/api/repos/{IMAGE_REPO}"), 409, "id", IMAGE_REPO)
    assert "build_artifact" in body["detail"]


def test_deleting_a_current_release_needs_cascade_and_clears_it(world):
    patch(world, "deployment", DEPLOYMENT, {"current_release_id": RELEASE})
    assert_error(world.delete(f"/api/releases/{RELEASE}"), 409, "id", RELEASE)
    response = world.delete(f"/api/releases/{RELEASE}?cascade=true")
    assert response.status_code == 200
    assert world.get(f"/api/deployments/{DEPLOYMENT}").get_json()["current_release"] is None
    assert count("deployment") == 1 and count("release_artifact") == 0


def test_links_go_with_their_objects(world):
    world.post(f"/api/deployment_targets/{TARGET}/fleets", json={"id": PART + ":nodegroup:workers"})
    world.post(f"/api/subnets/{NET}:eks0/fleets", json={"id": PART + ":nodegroup:workers"})
    response = world.delete(f"/api/fleets/{PART}:nodegroup:workers?cascade=true")
    assert response.status_code == 200
    assert world.get(f"/api/deployment_targets/{TARGET}/fleets").get_json()["count"] == 0
    assert count("deployment_target") == 1 and count("subnet") == 1


def test_delete_leaf(world):
    response = world.delete(f"/api/deployment_procs/{DEPLOYMENT}:web?cascade=true")
    assert response.get_json()["deleted"] == {"deployment_proc": 1, "allocation": 1}
    assert count("proc") == 1 and world.get(f"/api/services/{SERVICE}").status_code == 200



def test_a_linked_object_is_not_deleted_silently(world):
    """A link is a dependant: deleting a zone a deployment runs in is refused, naming it."""
    world.post(f"/api/deployments/{DEPLOYMENT}/zones", json={"id": ZONE})
    before = counts()
    body = assert_error(world.delete(f"/api/zones/{ZONE}"), 409, "id", ZONE)
    assert "1 deployment link" in body["detail"]
    assert body["meta"]["children"] == {"deployment link": 1}
    assert counts() == before
    assert world.get(f"/api/deployments/{DEPLOYMENT}/zones").get_json()["count"] == 1


def test_cascade_removes_the_links_of_what_it_deletes(world):
    world.post(f"/api/deployments/{DEPLOYMENT}/zones", json={"id": ZONE})
    response = world.delete(f"/api/zones/{ZONE}?cascade=true")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["deleted"] == {"zone": 1}
    assert world.get(f"/api/deployments/{DEPLOYMENT}/zones").get_json()["count"] == 0
    assert count("deployment") == 1
