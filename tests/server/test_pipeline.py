"""Every write path runs the one write pipeline: a recording hook sees every row.

A hook registered on the pipeline's ``record`` stage collects the changes of
one write through each path — plain face, JSON:API, bulk JSON, bulk JSON
lines, CSV through the real ``qcli`` against a real server, subnet allocation,
link and unlink, plain and cascade delete — and the test asserts it saw every
row written, with its operation and its values before and after.
"""
import json
import os
import subprocess
import sys
import threading

import pytest
from werkzeug.serving import make_server

from qairon.core.errors import Conflict
from qairon.pipeline import STAGES, add_hook
from qairon.pipeline.hooks import hooks_of
from tests.support.world import APP, DEPLOYMENT, NET, PART, SERVICE, STACK, SUBNET, ZONE

from .helpers import build_world, counts, patch, post

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Recorder:
    """A ``record`` hook that keeps every change it is given."""

    def __init__(self):
        self.changes = []

    def __call__(self, session, changes):
        self.changes.extend(changes)

    def take(self):
        """The changes seen since the last call, as (operation, resource, id) -> change."""
        seen, self.changes = self.changes, []
        return {(c.operation, c.resource, c.id): c for c in seen}


@pytest.fixture
def recorder(app):
    hook = Recorder()
    add_hook(app, "record", hook)
    yield hook
    hooks_of(app).remove("record", hook)


@pytest.fixture
def world(client, recorder):
    build_world(client)
    recorder.take()
    return client


def jsonapi(client, method, path, document):
    return client.open(f"/api/rest/v1/{path}", method=method, data=json.dumps(document),
                       headers={"Content-Type": "application/vnd.api+json"})


def test_plain_create_patch_delete(world, recorder):
    assert post(world, "environment", {"name": "dev", "defaults": {"tier": 2}}).status_code == 201
    (key, change), = recorder.take().items()
    assert key == ("create", "environment", "dev")
    assert change.before is None and change.after["defaults"] == {"tier": 2}
    assert change.after["created_at"] is not None

    assert patch(world, "environment", "dev", {"defaults": {"tier": 3}}).status_code == 200
    change = recorder.take()[("update", "environment", "dev")]
    assert (change.before["defaults"], change.after["defaults"]) == ({"tier": 2}, {"tier": 3})
    assert set(change.changed_fields) == {"defaults", "last_updated_at"}

    assert world.delete("/api/environments/dev").status_code == 200
    change = recorder.take()[("delete", "environment", "dev")]
    assert change.before["defaults"] == {"tier": 3} and change.after is None


def test_jsonapi_create_patch_delete(world, recorder):
    response = jsonapi(world, "POST", "environment",
                       {"data": {"type": "environment", "attributes": {"name": "qa"}}})
    assert response.status_code == 201, response.get_json()
    assert recorder.take()[("create", "environment", "qa")].after["name"] == "qa"
    response = jsonapi(world, "PATCH", "environment/qa", {"data": {
        "type": "environment", "id": "qa", "attributes": {"defaults": {"a": 1}}}})
    assert response.status_code in (200, 204), response.get_json()
    change = recorder.take()[("update", "environment", "qa")]
    assert (change.before["defaults"], change.after["defaults"]) == ({}, {"a": 1})
    assert world.delete("/api/rest/v1/environment/qa").status_code == 204
    assert recorder.take()[("delete", "environment", "qa")].before["defaults"] == {"a": 1}


def test_bulk_json_and_json_lines(world, recorder):
    body = {"objects": [{"resource": "application", "name": "search"},
                        {"resource": "stack", "application_id": "search", "name": "api"}]}
    response = world.post("/api/bulk", data=json.dumps(body),
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    seen = recorder.take()
    assert set(seen) == {("create", "application", "search"), ("create", "stack", "search:api")}
    assert seen[("create", "stack", "search:api")].after["application_id"] == "search"

    lines = "\n".join(json.dumps({"name": n}) for n in ("a1", "a2", "a3"))
    response = world.post("/api/applications/bulk", data=lines,
                          headers={"Content-Type": "application/x-ndjson"})
    assert response.status_code == 200, response.get_json()
    assert set(recorder.take()) == {("create", "application", n) for n in ("a1", "a2", "a3")}


def test_bulk_update_records_before_and_after(world, recorder):
    body = {"objects": [{"name": "ecommerce", "defaults": {"owner": "shop"}}], "update": True}
    response = world.post("/api/applications/bulk", data=json.dumps(body),
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    change = recorder.take()[("update", "application", "ecommerce")]
    assert (change.before["defaults"], change.after["defaults"]) == ({}, {"owner": "shop"})


@pytest.fixture
def threaded_server(app):
    """This very app served over HTTP from a thread, so its hooks see qcli's requests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_csv_import_through_qcli(world, recorder, threaded_server, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text('name,defaults\nbilling,"{""owner"": ""finance""}"\nlogistics,\n')
    done = subprocess.run([sys.executable, "-m", "qairon_qcli", "csv_import", "import_csv",
                           "application", str(path)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT,
                          env={**os.environ, "QAIRON_ENDPOINT": threaded_server})
    assert done.returncode == 0, done.stderr
    seen = recorder.take()
    assert set(seen) == {("create", "application", "billing"),
                         ("create", "application", "logistics")}
    assert seen[("create", "application", "billing")].after["defaults"] == {"owner": "finance"}


def test_allocate_subnet(world, recorder):
    response = world.post(f"/api/networks/{NET}/allocate_subnet",
                          data=json.dumps({"additional_mask_bits": 8, "name": "auto0"}),
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.get_json()
    change = recorder.take()[("create", "subnet", NET + ":auto0")]
    assert change.after["cidr"] == response.get_json()["cidr"]
    assert change.after["network_id"] == NET


def test_link_and_unlink(world, recorder):
    url = f"/api/deployments/{DEPLOYMENT}/zones"
    response = world.post(url, data=json.dumps({"id": ZONE}),
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    change = recorder.take()[("link", "deployment", DEPLOYMENT)]
    assert change.after == {"relation": "zones", "id": ZONE} and change.before is None
    assert change.other == ("zone", ZONE)
    assert world.delete(url, query_string={"id": ZONE}).status_code == 200
    change = recorder.take()[("unlink", "deployment", DEPLOYMENT)]
    assert change.before == {"relation": "zones", "id": ZONE} and change.after is None


def test_link_from_the_other_side_is_told_from_the_left(world, recorder):
    fleet = PART + ":nodegroup:workers"
    url = f"/api/subnets/{SUBNET}/fleets"
    assert world.post(url, data=json.dumps({"id": fleet}),
                      headers={"Content-Type": "application/json"}).status_code == 200
    (key, change), = recorder.take().items()
    assert key == ("link", "subnet", SUBNET) and change.other == ("fleet", fleet)


def test_cascade_delete_records_every_row(world, recorder):
    world.post(f"/api/deployments/{DEPLOYMENT}/zones", data=json.dumps({"id": ZONE}),
               headers={"Content-Type": "application/json"})
    recorder.take()
    before = counts()
    response = world.delete(f"/api/applications/{APP}?cascade=true")
    assert response.status_code == 200, response.get_json()
    seen = recorder.take()
    deleted = {}
    for operation, resource, _id in seen:
        if operation == "delete":
            deleted[resource] = deleted.get(resource, 0) + 1
    assert deleted == response.get_json()["deleted"]
    after = counts()
    assert {r: before[r] - after[r] for r in before if before[r] != after[r]} == deleted
    assert seen[("delete", "service", SERVICE)].before["stack_id"] == STACK
    assert seen[("unlink", "deployment", DEPLOYMENT)].other == ("zone", ZONE)
    assert all(c.before is not None and c.after is None
               for (op, _r, _i), c in seen.items() if op == "delete")


def test_stages_run_in_order_and_a_hook_can_refuse(app, world):
    calls = []
    hooks = [(stage, (lambda s: lambda _session, changes: calls.append(s))(stage))
             for stage in reversed(STAGES)]
    for stage, hook in hooks:
        add_hook(app, stage, hook)

    def refuse(_session, changes):
        raise Conflict("refused by a hook", field="name")

    try:
        assert post(world, "environment", {"name": "ok"}).status_code == 201
        assert calls == list(STAGES)
        add_hook(app, "authorize", refuse)
        before = counts()
        response = post(world, "environment", {"name": "refused"})
        assert response.status_code == 409 and response.get_json()["detail"] == "refused by a hook"
        response = patch(world, "environment", "ok", {"defaults": {"x": 1}})
        assert response.status_code == 409
        assert counts() == before
        assert world.get("/api/environments/ok").get_json()["defaults"] == {}
    finally:
        for stage, hook in hooks:
            hooks_of(app).remove(stage, hook)
        if refuse in hooks_of(app).by_stage["authorize"]:
            hooks_of(app).remove("authorize", refuse)


def test_an_unknown_stage_is_refused(app):
    with pytest.raises(ValueError, match="unknown pipeline stage"):
        add_hook(app, "after_commit", lambda *_: None)
