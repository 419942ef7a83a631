"""Point-in-time reads: ``as_of`` a moment answers exactly what the present answered then.

Every read endpoint — lists with filters, sort and pagination, one object, a
field, relations, the walks, effective defaults, capacity, the JSON:API face —
is read now and remembered; after renames, deletes, patches, unlinks and new
objects, the same reads ``as_of`` that moment give the same answers — with the
past rewound from the tables and rebuilt from the record alike.
"""
import pytest

from qairon.history import past
from qairon.models import REGISTRY
from tests.support.world import BUILD, DEPLOYMENT, FLEET, NET, PART, REGION, RELEASE, SERVICE, TARGET, WORLD

from .helpers import build_world, patch, post
from .history_helpers import as_of, changeset_of, post_json, snapshot

ZONE = REGION + ":use1-az1"


@pytest.fixture(autouse=True, params=["rewind", "versions"])
def shape(request, monkeypatch):
    """Each test once with tables rewound, once with them rebuilt from every version."""
    monkeypatch.setattr(past, "REWIND_LIMIT", 10**9 if request.param == "rewind" else 0)
    return request.param


def read_urls():
    """Every kind of read over the seed world."""
    urls = [f"/api/{cls.plural}?limit=1000" for cls in REGISTRY.values()]
    urls += [f"/api/{REGISTRY[row.resource].plural}/{row.id}" for row in WORLD]
    urls += [
        "/api/services?sort=-name&limit=1&offset=1",
        "/api/stacks?application_id=ecommerce&sort=name",
        '/api/deployments?filter=[{"name":"service.stack_id","op":"eq","val":"ecommerce:checkout"}]',
        f"/api/deployments/{DEPLOYMENT}/zones",
        f"/api/deployments/{DEPLOYMENT}/current_release",
        f"/api/deployments/{DEPLOYMENT}/defaults",
        f"/api/services/{SERVICE}/deployments",
        f"/api/services/{SERVICE}/name",
        f"/api/deployments/{DEPLOYMENT}/trace",
        f"/api/partitions/{PART}/impact",
        f"/api/deployments/{DEPLOYMENT}/neighbours",
        f"/api/deployments/{DEPLOYMENT}/provenance",
        f"/api/build_artifacts/{BUILD}:image/lineage",
        f"/api/release_artifacts/{RELEASE}:chart/lineage",
        f"/api/deployments/{DEPLOYMENT}/defaults?effective=true&explain=true",
        f"/api/services/{SERVICE}/defaults?effective=true",
        f"/api/fleets/{FLEET}/capacity",
        f"/api/deployment_targets/{TARGET}/capacity",
        "/api/capacity/report",
        "/api/rest/v1/service",
        f"/api/rest/v1/deployment/{DEPLOYMENT}",
    ]
    return urls


def comparable(body):
    """An answer without its navigation links (they carry the query string)."""
    if isinstance(body, dict):
        return {k: comparable(v) for k, v in body.items()
                if k not in ("next", "previous", "links", "meta")}
    if isinstance(body, list):
        return [comparable(v) for v in body]
    return body


@pytest.fixture
def world(client):
    build_world(client)
    assert post_json(client, f"/api/deployments/{DEPLOYMENT}/zones", {"id": ZONE}).status_code == 200
    assert post_json(client, f"/api/deployment_targets/{TARGET}/fleets",
                     {"id": FLEET}).status_code == 200
    assert patch(client, "deployment", DEPLOYMENT, {"current_release_id": RELEASE}).status_code == 200
    for resource, object_id, defaults in (("environment", "prod", {"tier": 1, "log": "info"}),
                                          ("service", SERVICE, {"port": 80})):
        assert patch(client, resource, object_id, {"defaults": defaults}).status_code == 200
    return client


def moment(client):
    return client.get("/api/changes?limit=1").get_json()["results"][0]["changeset"]


def check(client, remembered, at):
    for url, body in remembered.items():
        response = client.get(as_of(url, at))
        assert response.status_code == 200, (url, response.get_json())
        assert response.headers["Qairon-As-Of"] == str(at) or not str(at).isdigit()
        assert comparable(response.get_json()) == comparable(body), url


def test_every_read_answers_as_it_did(world):
    client = world
    urls = read_urls()
    first, before = moment(client), snapshot(client, urls)
    for url, body in before.items():
        assert body is not None, url
    assert patch(client, "environment", "prod", {"defaults": {"tier": 2}}).status_code == 200
    assert patch(client, "capacity", FLEET + ":cpu", {"value": 10}).status_code == 200
    assert client.delete(f"/api/deployments/{DEPLOYMENT}/zones?id={ZONE}").status_code == 200
    assert post(client, "service", {"stack_id": "ecommerce:checkout", "name": "aaa"}).status_code == 201
    second, middle = moment(client), snapshot(client, urls)
    renamed = post_json(client, f"/api/services/{SERVICE}/rename", {"name": "orders"})
    assert renamed.status_code == 200, renamed.get_json()
    assert client.delete("/api/stacks/ecommerce:payments").status_code == 200
    assert client.delete(f"/api/networks/{NET}?cascade=true").status_code == 200
    assert client.get(f"/api/services/{SERVICE}").status_code == 404
    check(client, before, first)
    check(client, middle, second)
    at = client.get(f"/api/changesets/{second}").get_json()["at"]
    check(client, middle, at.replace("+00:00", "Z"))


def test_as_of_before_and_after_create_patch_delete_rename(world):
    client = world
    created = post(client, "application", {"name": "search"})
    patched = patch(client, "application", "search", {"defaults": {"owner": "s"}})
    stack = post(client, "stack", {"application_id": "search", "name": "api"})
    renamed = post_json(client, "/api/applications/search/rename", {"name": "find"})
    assert renamed.status_code == 200
    deleted = client.delete("/api/applications/find?cascade=true")
    c, p, s, r, d = (changeset_of(x) for x in (created, patched, stack, renamed, deleted))
    url = "/api/applications/search"
    assert client.get(as_of(url, c - 1)).status_code == 404
    assert client.get(as_of(url, c)).get_json()["defaults"] == {}
    assert client.get(as_of(url, p)).get_json()["defaults"] == {"owner": "s"}
    assert client.get(as_of("/api/stacks/search:api", s)).status_code == 200
    assert client.get(as_of(url, r)).status_code == 404
    assert client.get(as_of("/api/applications/find", r)).get_json()["defaults"] == {"owner": "s"}
    assert client.get(as_of("/api/stacks/find:api", r)).get_json()["application_id"] == "find"
    assert client.get(as_of("/api/applications/find", d)).status_code == 404
    listed = client.get(as_of("/api/stacks?application_id=search", s)).get_json()
    assert [o["id"] for o in listed["results"]] == ["search:api"]
    assert listed["count"] == 1


def test_as_of_leaves_the_connection_reading_the_present(world):
    client = world
    at = moment(client)
    assert post(client, "application", {"name": "later"}).status_code == 201
    for _ in range(5):
        assert client.get(as_of("/api/applications/later", at)).status_code == 404
        assert client.get("/api/applications/later").status_code == 200
    assert client.get(as_of("/api/applications?limit=1000", "not-a-time")).status_code == 400
    assert client.get("/api/applications/later").status_code == 200
