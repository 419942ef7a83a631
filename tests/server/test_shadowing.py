"""Every ID stays addressable: detail routes (``/trace``, ``/defaults``, ``/free``, ...)
never capture an object whose own ID ends in that suffix.

The suffixes are read from the app's URL map, so a new detail route is covered
without editing this test.
"""
import re

import pytest

from qairon import create_app
from tests.support.world import NET, PART, SERVICE

from .helpers import build_world, post

DETAIL = re.compile(r"^/api/(<plural>|[a-z_]+)/<path:object_id>/([a-z_]+)$")


def detail_routes():
    """(plural or None for any, suffix) of every GET detail route."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    out = []
    for rule in app.url_map.iter_rules():
        match = DETAIL.match(rule.rule)
        if match and "GET" in rule.methods:
            plural = None if match.group(1) == "<plural>" else match.group(1)
            out.append((plural, match.group(2)))
    return sorted(out, key=lambda route: (route[0] or "", route[1]))


ROUTES = detail_routes()


def test_the_detail_routes_are_found():
    suffixes = {suffix for _plural, suffix in ROUTES}
    assert {"trace", "impact", "defaults", "free"} <= suffixes


def shadowing_object(client, plural, suffix):
    """Create an object whose ID is an existing ID of ``plural`` plus ``/<suffix>``."""
    if plural == "networks":
        response = post(client, "network", {"partition_id": PART, "name": f"main-vpc/{suffix}",
                                            "cidr": "10.9.0.0/16"})
        plain_id = NET
    else:
        response = post(client, "service", {"stack_id": "ecommerce:checkout",
                                            "name": f"order-processor/{suffix}"})
        plain_id = SERVICE
    assert response.status_code == 201, response.get_json()
    return plain_id, response.get_json()["id"]


@pytest.mark.parametrize(("plural", "suffix"), ROUTES,
                         ids=[f"{p or '<plural>'}/{s}" for p, s in ROUTES])
def test_whole_path_as_id_wins_over_a_detail_route(client, plural, suffix):
    build_world(client)
    namesake, object_id = shadowing_object(client, plural, suffix)
    assert object_id == f"{namesake}/{suffix}"
    collection = plural or "services"
    response = client.get(f"/api/{collection}/{object_id}")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["id"] == object_id
    field = client.get(f"/api/{collection}/{object_id}/name")
    assert field.status_code == 200 and field.get_json().endswith(suffix)


def test_a_detail_of_an_id_with_a_slash(client):
    build_world(client)
    _namesake, object_id = shadowing_object(client, None, "trace")
    response = client.get(f"/api/services/{object_id}/trace")
    assert response.status_code == 200, response.get_json()
    assert object_id in response.get_data(as_text=True)
    assert client.get(f"/api/services/{SERVICE}/impact").status_code == 200


def test_jsonapi_serves_ids_with_slashes(client):
    """On the JSON:API face too: the object, its relations, its relationships, PATCH, DELETE."""
    build_world(client)
    for name in ("api/stack", "a/b/c"):
        assert post(client, "service", {"stack_id": "ecommerce:checkout",
                                        "name": name}).status_code == 201
    base = "/api/rest/v1/service/ecommerce:checkout:"
    shadowing = client.get(base + "api/stack")
    assert shadowing.status_code == 200
    assert shadowing.get_json()["data"]["id"] == "ecommerce:checkout:api/stack"
    deep = client.get(base + "a/b/c")
    assert deep.status_code == 200 and deep.get_json()["data"]["id"] == "ecommerce:checkout:a/b/c"
    related = client.get(base + "a/b/c/stack")
    assert related.status_code == 200 and related.get_json()["data"]["id"] == "ecommerce:checkout"
    link = client.get(base + "a/b/c/relationships/stack")
    assert link.status_code == 200 and link.get_json()["data"]["id"] == "ecommerce:checkout"
    body = {"data": {"type": "service", "id": "ecommerce:checkout:a/b/c",
                     "attributes": {"defaults": {"k": 1}}}}
    patched = client.patch(base + "a/b/c", json=body,
                           headers={"Content-Type": "application/vnd.api+json"})
    assert patched.status_code == 200, patched.get_json()
    assert client.get(f"/api/services/{'ecommerce:checkout:a/b/c'}/defaults").get_json() == {"k": 1}
    assert client.delete(base + "a/b/c").status_code == 204
    assert client.get(base + "a/b/c").status_code == 404
