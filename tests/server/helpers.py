"""Small helpers for talking to the app like curl does."""
import json

from qairon.extensions import db
from qairon.models import REGISTRY

from .data import WORLD


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


def assert_error(response, status, field):
    """The response is the one error shape, with ``status`` and naming ``field``."""
    body = response.get_json()
    assert response.status_code == status, body
    assert body["status"] == status
    assert body["source"] and body["source"]["field"] == field, body
    assert field.split(".")[0] in body["detail"] or body["detail"], body
    return body
