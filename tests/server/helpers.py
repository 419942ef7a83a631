"""Small helpers for talking to the app like curl does."""
import json

from qairon.extensions import db
from qairon.models import REGISTRY
from tests.support.world import WORLD


def post(client, resource, fields):
    """POST a plain JSON body to ``/api/<plural>`` as curl would."""
    return client.post(f"/api/{REGISTRY[resource].plural}", data=json.dumps(fields),
                       headers={"Content-Type": "application/json", "Accept": "*/*"})


def patch(client, resource, object_id, fields):
    return client.patch(f"/api/{REGISTRY[resource].plural}/{object_id}",
                        data=json.dumps(fields), headers={"Content-Type": "application/json"})


def build_world(client):
    """Create the seed example through the plain face; assert every ID on the way."""
    for resource, fields, expected in WORLD:
        response = post(client, resource, fields)
        assert response.status_code == 201, (resource, response.get_json())
        assert response.get_json()["id"] == expected


def count(resource):
    """Rows of ``resource`` in the database right now."""
    db.session.remove()
    return db.session.query(REGISTRY[resource]).count()


def counts():
    """Rows of every resource, to assert that a refused request wrote nothing."""
    return {name: count(name) for name in REGISTRY}


def names(detail, field, value=None):
    """True when ``detail`` names ``field``: by its name or, for ``id``, by quoting the ID
    itself (``stack 'ecommerce:checkout' already exists``), as docs/API_CONTRACT.md says."""
    return field in detail or (field == "id" and value is not None and repr(value) in detail)


def assert_error(response, status, field, value=None):
    """The response is the one error shape, with ``status``, ``source.field`` and a detail
    that names ``field`` (and quotes ``value`` when given)."""
    body = response.get_json()
    assert response.status_code == status, body
    assert body["status"] == status and body["title"], body
    assert body["source"] and body["source"]["field"] == field, body
    assert names(body["detail"], field, value), f"the detail does not name {field!r}: {body}"
    if value is not None:
        assert str(value) in body["detail"], f"the detail does not quote {value!r}: {body}"
    return body
