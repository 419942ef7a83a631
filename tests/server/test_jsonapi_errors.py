"""Bad input on the JSON:API face gets the same rules and a clean JSON error (the refusals
generated for every resource are in test_refusals.py)."""
import json
import logging

import pytest
from flask import Response
from flask_restless.views.base import error_response
from sqlalchemy import text

from qairon.api.jsonapi_errors import translate
from qairon.pipeline import add_hook
from qairon.pipeline.hooks import hooks_of
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


@pytest.fixture
def clashing_hook(app):
    """A ``record`` hook whose own write breaks a database constraint (a real IntegrityError)."""
    def hook(session, _changes):
        session.execute(text("INSERT INTO environment (id, name, defaults, created_at, "
                             "last_updated_at) SELECT id, name, defaults, created_at, "
                             "last_updated_at FROM environment"))
    add_hook(app, "record", hook)
    yield hook
    hooks_of(app).remove("record", hook)


def test_database_errors_in_a_write_are_ours(world, clashing_hook, caplog):
    before = counts()
    for method, path, body in (
            ("post", "/api/rest/v1/application", document("application", {"name": "search"})),
            ("patch", "/api/rest/v1/application/ecommerce",
             document("application", {"defaults": {"a": 1}}, "ecommerce")),
            ("delete", "/api/rest/v1/stack/ecommerce:payments", None)):
        response = getattr(world, method)(path, data=body, headers=JSONAPI)
        assert response.status_code == 409, response.get_json()
        (error,) = response.get_json()["errors"]
        assert error["title"] == "Conflict" and "INSERT" not in error["detail"]
        assert "nothing was written" in error["detail"]
    assert counts() == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_errors_the_library_renders_are_translated(app):
    """A database error Flask-Restless-NG caught and rendered itself (title, SQL text) is
    answered in our words, with the status its kind deserves."""
    for title, status in (("Integrity Error", 409), ("Operational Error", 503),
                          ("Data Error", 400)):
        body, code, _headers = error_response(400, title=title,
                                              detail='(sqlite3.X) INSERT INTO "stack" [parameters]')
        with app.test_request_context("/api/rest/v1/stack/x/services"):
            answer = translate(Response(json.dumps(body), code,
                                        mimetype="application/vnd.api+json"))
        assert answer.status_code == status
        (error,) = answer.get_json()["errors"]
        assert set(error) == {"status", "title", "detail", "source"}
        assert "INSERT" not in error["detail"] and error["title"] != title
