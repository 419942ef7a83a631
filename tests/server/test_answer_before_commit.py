"""Nothing is committed unless the success answer could be built.

Every view runs inside the request's transaction (:mod:`qairon.api.transactions`):
its ``commit()`` only flushes, and the real commit follows once the response,
headers included, exists and is a success. The routes below are added to a
fresh app on the same database, so the mechanism is tested on its own; the
last test takes the real path that once committed and then answered 500.
"""
import pytest
from flask import jsonify

from qairon import create_app
from qairon.core.errors import Conflict
from qairon.extensions import db
from qairon.models.infrastructure import Environment

from .helpers import count


@pytest.fixture
def probe(app):
    """A fresh app on the test database with routes that write, then answer in various ways."""
    probe_app = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "TESTING": True, "AUTH": "off"})

    def create(*names):
        for name in names:
            db.session.add(Environment(name=name))
            db.session.commit()

    @probe_app.post("/probe/bad-header")
    def bad_header():
        create("bad-header")
        response = jsonify({"id": "bad-header"})
        response.status_code = 201
        return response, {"Location": "http://x/\nInjected: yes"}

    @probe_app.post("/probe/refused")
    def refused():
        create("refused")
        return {"detail": "refused after the commit call"}, 422

    @probe_app.post("/probe/two-commits-then-conflict")
    def two_commits():
        create("first", "second")
        raise Conflict("refused after two commit calls", field="id")

    @probe_app.post("/probe/ok")
    def ok():
        create("ok")
        return {"id": "ok"}, 201

    yield probe_app.test_client()
    with probe_app.app_context():
        db.engine.dispose()


def test_success_is_committed(probe):
    assert probe.post("/probe/ok").status_code == 201
    assert count("environment") == 1


def test_answer_that_cannot_be_built_commits_nothing(probe):
    response = probe.post("/probe/bad-header")
    assert response.status_code == 500 and response.get_json()["status"] == 500
    assert count("environment") == 0


def test_error_answer_after_commit_call_commits_nothing(probe):
    assert probe.post("/probe/refused").status_code == 422
    assert count("environment") == 0


def test_a_request_is_one_transaction(probe):
    response = probe.post("/probe/two-commits-then-conflict")
    assert response.status_code == 409 and "two commit calls" in response.get_json()["detail"]
    assert count("environment") == 0


def test_jsonapi_create_whose_answer_fails_is_not_stored(client):
    """A name the Location header refuses: refused (or failed) without being stored, twice."""
    body = {"data": {"type": "environment", "attributes": {"name": "line\nbreak"}}}
    headers = {"Content-Type": "application/vnd.api+json"}
    first = client.post("/api/rest/v1/environment", json=body, headers=headers)
    assert first.status_code != 201
    assert count("environment") == 0
    second = client.post("/api/rest/v1/environment", json=body, headers=headers)
    assert second.status_code == first.status_code, second.get_json()
