"""Every write is recorded, whatever its face or path, exactly once and in its own transaction.

Generic over the registry: each resource is created, patched and deleted on
the plain face and again on the JSON:API face; every write names its
changeset, which holds exactly that row's change with its values before and
after, and ``as_of`` each changeset answers the object as it was then.
"""
import json

import pytest

from qairon.extensions import db
from qairon.history.record import STAGED
from qairon.models import REGISTRY
from tests.support.world import DEPLOYMENT, NET, REGION, SERVICE

from .data import CASES, EXTRA
from .helpers import build_world, counts, patch, post
from .history_helpers import changes_in, changeset_count, changeset_of, post_json

RESOURCES = sorted(REGISTRY)
JSONAPI = {"Content-Type": "application/vnd.api+json", "Accept": "application/vnd.api+json"}
ZONE = REGION + ":use1-az1"


@pytest.fixture
def world(client):
    build_world(client)
    return client


def only_change(client, response, operation, resource, object_id):
    """The one change of the response's changeset, checked."""
    (change,) = changes_in(client, changeset_of(response))
    assert (change["operation"], change["resource"], change["object_id"]) == \
        (operation, resource, object_id)
    assert change["actor"] == "anonymous"
    return change


def _crud(client, resource, create, update, delete):
    fields, object_id, patch_fields = CASES[resource]
    plural = REGISTRY[resource].plural
    created = create(fields)
    assert created.status_code == 201, created.get_json()
    change = only_change(client, created, "create", resource, object_id)
    assert change["before"] is None and change["after"]["id"] == object_id
    for key, value in fields.items():
        assert change["after"][key] == value or float(change["after"][key]) == float(value)
    changed = update(object_id, patch_fields)
    assert changed.status_code in (200, 204), changed.get_json()
    change = only_change(client, changed, "update", resource, object_id)
    for key, value in patch_fields.items():
        assert change["after"][key] == value and key in change["changed"]
        assert change["before"][key] != value
    deleted = delete(object_id)
    assert deleted.status_code in (200, 204), deleted.get_json()
    change = only_change(client, deleted, "delete", resource, object_id)
    assert change["after"] is None and change["before"]["id"] == object_id
    moments = [changeset_of(r) for r in (created, changed, deleted)]
    url = f"/api/{plural}/{object_id}"
    assert client.get(url + f"?as_of={moments[0] - 1}").status_code == 404
    assert client.get(url + f"?as_of={moments[0]}").get_json()["defaults"] == {}
    at_patch = client.get(url + f"?as_of={moments[1]}").get_json()
    for key, value in patch_fields.items():
        assert at_patch[key] == value
    assert client.get(url + f"?as_of={moments[2]}").status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_on_both_faces(world, resource):
    client = world
    for extra_resource, fields in EXTRA.get(resource, []):
        assert post(client, extra_resource, fields).status_code == 201
    plural = REGISTRY[resource].plural
    _crud(client, resource, lambda f: post(client, resource, f),
          lambda i, f: patch(client, resource, i, f),
          lambda i: client.delete(f"/api/{plural}/{i}"))
    url = f"/api/rest/v1/{resource}"
    _crud(client, resource,
          lambda f: client.post(url, data=json.dumps(
              {"data": {"type": resource, "attributes": f}}), headers=JSONAPI),
          lambda i, f: client.patch(f"{url}/{i}", data=json.dumps(
              {"data": {"type": resource, "id": i, "attributes": f}}), headers=JSONAPI),
          lambda i: client.delete(f"{url}/{i}"))


def test_a_refused_write_leaves_no_record(world):
    before, rows = changeset_count(), counts()
    assert post(world, "environment", {"name": "prod"}).status_code == 409
    assert patch(world, "environment", "prod", {"defaults": []}).status_code == 400
    assert world.delete("/api/applications/ecommerce").status_code == 409
    response = world.post("/api/bulk", data=json.dumps({"objects": [
        {"resource": "application", "name": "fine"},
        {"resource": "stack", "application_id": "nowhere", "name": "x"}]}),
        headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and response.get_json()["changeset"] is None
    assert changeset_count() == before and counts() == rows


def test_a_read_writes_no_changeset(world):
    response = world.get("/api/environments")
    assert "Qairon-Changeset" not in response.headers


def test_bulk_names_its_changeset_holding_every_row(world):
    body = {"objects": [{"resource": "application", "name": f"app{i}"} for i in range(5)]}
    response = world.post("/api/bulk", data=json.dumps(body),
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["changeset"] == changeset_of(response)
    changes = changes_in(world, report["changeset"])
    assert sorted(c["object_id"] for c in changes) == [f"app{i}" for i in range(5)]
    assert world.get(f"/api/changesets/{report['changeset']}").get_json()["summary"] == \
        {"application": {"create": 5}}
    dry = world.post("/api/bulk", data=json.dumps(dict(body, dry_run=True, objects=[
        {"resource": "application", "name": "dry"}])), headers={"Content-Type": "application/json"})
    assert dry.status_code == 200 and dry.get_json()["changeset"] is None
    assert "Qairon-Changeset" not in dry.headers


def test_links_allocation_and_cascade(world):
    url = f"/api/deployments/{DEPLOYMENT}/zones"
    linked = post_json(world, url, {"id": ZONE})
    assert linked.status_code == 200
    (change,) = changes_in(world, changeset_of(linked))
    assert change["operation"] == "link" and change["relation"] == "zones"
    assert change["other"] == {"resource": "zone", "id": ZONE}
    allocated = post_json(world, f"/api/networks/{NET}/allocate_subnet",
                          {"additional_mask_bits": 8, "name": "auto0"})
    assert allocated.status_code == 201
    only_change(world, allocated, "create", "subnet", NET + ":auto0")
    before = counts()
    deleted = world.delete("/api/applications/ecommerce?cascade=true")
    assert deleted.status_code == 200
    changes = changes_in(world, changeset_of(deleted))
    gone = {}
    for c in changes:
        if c["operation"] == "delete":
            gone[c["resource"]] = gone.get(c["resource"], 0) + 1
    assert gone == deleted.get_json()["deleted"]
    after = counts()
    assert gone == {r: before[r] - after[r] for r in before if before[r] != after[r]}
    assert any(c["operation"] == "unlink" and c["other"]["id"] == ZONE for c in changes)


def test_a_savepoint_that_rolls_back_takes_its_records_with_it(app):
    from qairon.models import REGISTRY as registry
    session = db.session
    environment = registry["environment"]
    with session.begin_nested():
        session.add(environment(name="kept"))
        session.flush()
    nested = session.begin_nested()
    session.add(environment(name="dropped"))
    session.flush()
    nested.rollback()
    staged = [json.loads(r.text) for _, rows in session.info[STAGED] for r in rows]
    assert [r["object_id"] for r in staged] == ["kept"]
    session.commit()
    changes = app.test_client().get("/api/changes").get_json()["results"]
    assert [c["object_id"] for c in changes] == ["kept"]


def test_changes_filters_and_a_stable_cursor(world):
    for name in ("dev", "qa", "perf"):
        assert post(world, "environment", {"name": name}).status_code == 201
    every = world.get("/api/changes?limit=1000").get_json()["results"]
    ids = [c["id"] for c in every]
    assert ids == sorted(ids, reverse=True)
    pages, url, written = [], "/api/changes?limit=7", 0
    while url:
        page = world.get(url).get_json()
        pages += [c["id"] for c in page["results"]]
        if page["results"]:  # a write between pages does not move the cursor
            assert post(world, "application", {"name": f"x{len(pages)}"}).status_code == 201
            written += 1
        url = page["next"]
    assert pages == ids
    assert [c["object_id"] for c in world.get(
        "/api/changes?resource=environment&limit=3").get_json()["results"]] == \
        ["perf", "qa", "dev"]
    assert [c["operation"] for c in world.get("/api/changes?id=qa").get_json()["results"]] == \
        ["create"]
    prefixed = world.get(f"/api/changes?id_prefix={REGION}&limit=1000").get_json()["results"]
    assert prefixed and all(c["object_id"].startswith(REGION) for c in prefixed)
    assert world.get("/api/changes?actor=nobody").get_json()["results"] == []
    newest = every[0]["id"]
    followed = world.get(f"/api/changes?after={newest}").get_json()
    assert [c["resource"] for c in followed["results"]] == ["application"] * written
    assert followed["cursor"] == followed["results"][-1]["id"]
    since = every[2]["changeset"]
    assert [c["object_id"] for c in world.get(
        f"/api/changes?since={since}&until={since + 1}&resource=environment")
        .get_json()["results"]] == ["qa", "dev"]


def test_bad_moments_are_refused_clearly(world):
    first = world.get("/api/changes?limit=1000").get_json()["results"][-1]
    response = world.get("/api/environments?as_of=yesterday-ish")
    assert response.status_code == 400 and response.get_json()["source"]["field"] == "as_of"
    response = world.get("/api/environments?as_of=2001-01-01")
    assert response.status_code == 400
    assert "before the start of the history" in response.get_json()["detail"]
    assert response.get_json()["meta"]["history_starts"]["changeset"] == first["changeset"]
    assert world.get("/api/environments?as_of=99999999").status_code == 404
    assert world.get("/api/changes?cursor=-1").status_code == 400
    assert world.get("/api/changesets/99999999").status_code == 404


def test_each_version_ends_where_the_next_change_of_its_row_begins(world):
    """``superseded_by`` of every version (a create, update or link) is the next change of
    the same row or link, None for the latest, after every kind of write (the end of a
    delete or unlink does not matter: no state shows them)."""
    from sqlalchemy import select

    from qairon.history.models import change
    client = world
    assert patch(client, "service", SERVICE, {"defaults": {"a": 1}}).status_code == 200
    assert post_json(client, f"/api/deployments/{DEPLOYMENT}/zones", {"id": ZONE}).status_code == 200
    assert client.delete(f"/api/deployments/{DEPLOYMENT}/zones?id={ZONE}").status_code == 200
    assert post_json(client, f"/api/deployments/{DEPLOYMENT}/zones", {"id": ZONE}).status_code == 200
    deleted = client.delete("/api/stacks/ecommerce:checkout?cascade=true")
    assert client.post("/api/stacks/ecommerce:checkout/restore?subtree=true").status_code == 201
    assert post_json(client, f"/api/services/{SERVICE}/rename", {"name": "orders"}).status_code == 200
    body = {"objects": [{"name": "ecommerce", "defaults": {"v": 2}}], "update": True}
    assert client.post("/api/applications/bulk", data=json.dumps(body),
                       headers={"Content-Type": "application/json"}).status_code == 200
    assert client.post(f"/api/changesets/{changeset_of(deleted) + 1}/revert").status_code == 409
    db.session.remove()
    rows = db.session.execute(select(change.c.id, change.c.resource, change.c.object_id,
                                     change.c.link, change.c.other_id, change.c.operation,
                                     change.c.superseded_by).order_by(change.c.id)).all()
    versions = {}
    for row in rows:
        versions.setdefault((row.resource, row.object_id, row.link, row.other_id), []).append(row)
    assert len(versions) > 30
    for key, chain in versions.items():
        for version, following in zip(chain, chain[1:] + [None], strict=True):
            if version.operation in ("delete", "unlink"):
                continue
            expected = None if following is None else following.id
            assert version.superseded_by == expected, (key, version, following)
