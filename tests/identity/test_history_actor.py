"""The change record names the token that wrote, and undo obeys the same scopes as writes.

A dev-scoped CI token's writes are recorded under its name; its refused prod write leaves
no record; it may not revert, restore or rename in prod, where an admin may.
"""
from tests.server.data import DEPLOYMENT, SERVICE
from tests.server.helpers import counts

from .conftest import DEV_DEPLOYMENT, bearer, issue, send


def changeset_count(client):
    return len(client.get("/api/changes?limit=1000").get_json()["results"])


def test_the_actor_of_every_change_is_the_token_and_undo_is_scoped(world, secured):
    client = world
    ci = bearer(issue("writer", ("dev",), name="ci-dev")[1])
    admin = bearer(issue("admin", name="ops")[1])
    patched = send(client, "PATCH", f"/api/deployments/{DEV_DEPLOYMENT}",
                   {"defaults": {"replicas": 2}}, ci)
    assert patched.status_code == 200, patched.get_json()
    changeset = int(patched.headers["Qairon-Changeset"])
    shown = client.get(f"/api/changesets/{changeset}").get_json()
    assert shown["actor"] == "ci-dev" and shown["request"]["method"] == "PATCH"
    assert [c["actor"] for c in client.get("/api/changes?actor=ci-dev").get_json()["results"]] \
        == ["ci-dev"]
    before, recorded = counts(), changeset_count(client)
    refused = send(client, "PATCH", f"/api/deployments/{DEPLOYMENT}", {"defaults": {"x": 1}}, ci)
    assert refused.status_code == 403
    assert counts() == before and changeset_count(client) == recorded
    prod = send(client, "PATCH", f"/api/services/{SERVICE}", {"defaults": {"y": 1}}, admin)
    assert prod.status_code == 200
    prod_changeset = int(prod.headers["Qairon-Changeset"])
    for method, path, body in (
            ("POST", f"/api/changesets/{prod_changeset}/revert", None),
            ("POST", f"/api/deployments/{DEPLOYMENT}/rename", {"name": "x"})):
        response = send(client, method, path, body, ci)
        assert response.status_code == 403, (path, response.get_json())
    assert counts() == before and changeset_count(client) == recorded + 1
    assert send(client, "POST", f"/api/changesets/{changeset}/revert", None, ci).status_code == 200
    reverted = send(client, "POST", f"/api/changesets/{prod_changeset}/revert", None, admin)
    assert reverted.status_code == 200
    assert client.get(f"/api/changesets/{reverted.get_json()['changeset']}").get_json()[
        "actor"] == "ops"
