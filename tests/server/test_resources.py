"""One generic suite: create, get, list, filter, patch and delete every resource
on both REST faces, from the per-resource data in ``data.py``."""
import json

import pytest

from qairon.models import REGISTRY
from tests.support.world import WORLD

from .data import CASES, EXTRA
from .helpers import build_world, count, patch, post

RESOURCES = sorted(REGISTRY)


def test_every_resource_has_test_data():
    assert set(CASES) == set(REGISTRY)
    assert {row.resource for row in WORLD} == set(REGISTRY), "the seed world lacks a resource"


@pytest.fixture
def world(client):
    build_world(client)
    return client


def prepare(client, resource):
    for extra_resource, fields in EXTRA.get(resource, []):
        assert post(client, extra_resource, fields).status_code == 201


@pytest.mark.parametrize("resource", RESOURCES)
def test_plain_crud(world, resource):
    client = world
    fields, expected_id, change = CASES[resource]
    plural = REGISTRY[resource].plural
    prepare(client, resource)
    before = count(resource)

    created = post(client, resource, fields)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["id"] == expected_id and body["resource"] == resource
    assert created.headers["Location"].endswith(f"/api/{plural}/{expected_id}")
    assert body["defaults"] == {}
    for key, value in fields.items():
        assert body[key] == value or float(body[key]) == float(value)

    got = client.get(f"/api/{plural}/{expected_id}")
    assert got.status_code == 200 and got.get_json()["id"] == expected_id

    listed = client.get(f"/api/{plural}?limit=1000").get_json()
    assert listed["count"] == before + 1
    assert expected_id in [o["id"] for o in listed["results"]]

    filtered = client.get(f"/api/{plural}?id={expected_id}").get_json()
    assert [o["id"] for o in filtered["results"]] == [expected_id]
    by_json = client.get(f"/api/{plural}", query_string={"filter": json.dumps(
        {"filters": [{"name": "id", "op": "eq", "val": expected_id}]})}).get_json()
    assert by_json["count"] == 1

    changed = patch(client, resource, expected_id, change)
    assert changed.status_code == 200, changed.get_json()
    for key, value in change.items():
        assert client.get(f"/api/{plural}/{expected_id}").get_json()[key] == value

    deleted = client.delete(f"/api/{plural}/{expected_id}")
    assert deleted.status_code == 200, deleted.get_json()
    assert deleted.get_json()["deleted"] == {resource: 1}
    assert client.get(f"/api/{plural}/{expected_id}").status_code == 404
    assert count(resource) == before


JSONAPI = {"Content-Type": "application/vnd.api+json", "Accept": "application/vnd.api+json"}


@pytest.mark.parametrize("resource", RESOURCES)
def test_jsonapi_crud(world, resource):
    client = world
    fields, expected_id, change = CASES[resource]
    prepare(client, resource)
    url = f"/api/rest/v1/{resource}"
    document = {"data": {"type": resource, "attributes": fields}}
    created = client.post(url, data=json.dumps(document), headers=JSONAPI)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["data"]["id"] == expected_id

    got = client.get(f"{url}/{expected_id}")
    assert got.status_code == 200
    assert got.get_json()["data"]["attributes"]["defaults"] == {}

    listed = client.get(url, query_string={"filter[objects]": json.dumps(
        [{"name": "id", "op": "eq", "val": expected_id}])}).get_json()
    assert [o["id"] for o in listed["data"]] == [expected_id]

    document = {"data": {"type": resource, "id": expected_id, "attributes": change}}
    changed = client.patch(f"{url}/{expected_id}", data=json.dumps(document), headers=JSONAPI)
    assert changed.status_code in (200, 204), changed.get_json()
    attributes = client.get(f"{url}/{expected_id}").get_json()["data"]["attributes"]
    for key, value in change.items():
        assert attributes[key] == value

    assert client.delete(f"{url}/{expected_id}").status_code in (200, 204)
    assert client.get(f"{url}/{expected_id}").status_code == 404
