"""Bad input on the JSON:API face gets the same rules and a clean JSON error (the refusals
generated for every resource are in test_refusals.py)."""
import json

import pytest

from tests.support.world import TARGET

from .helpers import build_world, counts

JSONAPI = {"Content-Type": "application/vnd.api+json"}


@pytest.fixture
def world(client):
    build_world(client)
    return client


def document(resource, attributes, object_id=None):
    data = {"type": resource, "attributes": attributes}
    if object_id:
        data["id"] = object_id
    return json.dumps({"data": data})


CASES = [
    ("post", "/api/rest/v1/stack", document("stack", {"application_id": "ecommerce",
                                                      "name": ["x"]}), 400, "name"),
    ("post", "/api/rest/v1/capacity", document("capacity", {
        "fleet_id": "x", "allocation_type_id": "cpu", "value": "lots"}), 400, "value"),
    ("patch", "/api/rest/v1/application/ecommerce",
     document("application", {"defaults": [1]}, "ecommerce"), 400, "defaults"),
    ("post", "/api/rest/v1/stack", "{bad", 400, None),
    ("post", "/api/rest/v1/stack", document("stack", {"application_id": "ecommerce",
                                                      "colour": 1}), 400, None),
    ("get", "/api/rest/v1/stack/nope", None, 404, None),
    ("get", '/api/rest/v1/stack?filter[objects]=[{"name":"colour","op":"eq","val":1}]', None,
     400, None),
    ("post", f"/api/rest/v1/deployment_target/{TARGET}/relationships/fleets",
     json.dumps({"data": [{"type": "fleet", "id": "nope"}]}), 404, None),
]


@pytest.mark.parametrize("method,url,body,status,field", CASES)
def test_jsonapi_refusals(world, method, url, body, status, field):
    before = counts()
    response = getattr(world, method)(url, data=body, headers=JSONAPI)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["errors"][0]
    assert error["detail"] and "SQL" not in error["detail"] and "Traceback" not in error["detail"]
    if field:
        assert error["source"]["field"] == field and error["source"]["pointer"].startswith("/data")
    assert counts() == before
