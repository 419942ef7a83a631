"""Every generated refusal (``refusals.py``) on the plain face, the JSON:API face and
through bulk import, on each database: the status, an error naming the field and the
rule, and nothing changed — the row count of every table and the aimed-at row's values.

The world is built once per database and module; a case that wrongly writes fails and
has the world rebuilt, so the cases after it still start from the seed world.
"""
import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from qairon.extensions import db
from qairon.models import REGISTRY
from tests.conftest import wipe

from .helpers import names, post
from .refusals import CASES_ALL, CREATES, RELATIONSHIP_CASES, ROWS, relation_of

JSONAPI = {"Content-Type": "application/vnd.api+json", "Accept": "application/vnd.api+json"}
BULK_CASES = [case for case in CASES_ALL if case.kind in CREATES]


def fingerprint():
    """Row count of every table (links included), in one statement."""
    tables = db.metadata.sorted_tables
    counts = db.session.execute(select(*(
        select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables)))
    return dict(counts.one()._mapping)


def row_values(resource, object_id):
    """Every column of one row, or None."""
    table = REGISTRY[resource].__table__
    row = db.session.execute(select(table).where(table.c.id == object_id)).mappings().first()
    return dict(row) if row else None


class World:
    """The refusal world on one database: built on first use, rebuilt after a write."""

    def __init__(self, app):
        self.app = app
        self.baseline = None
        self.rows = {}

    def ensure(self, client):
        """Build the world unless it is intact."""
        if self.baseline is not None:
            return
        wipe(self.app)
        for row in ROWS:
            response = post(client, row.resource, row.fields)
            assert response.status_code == 201, (row, response.get_json())
            assert response.get_json()["id"] == row.id
        db.session.remove()
        self.baseline = fingerprint()
        self.rows = {(row.resource, row.id): row_values(row.resource, row.id) for row in ROWS}

    def assert_unchanged(self, case, response):
        """Nothing was written: every table's count and the aimed-at row are as built.
        Checked first, so that a case that wrote has the world rebuilt for the next one."""
        answer = f"answered {response.status_code} {response.get_data(as_text=True)[:300]}"
        db.session.remove()
        now = fingerprint()
        if now != self.baseline:
            changed = {t: (self.baseline[t], n) for t, n in now.items() if self.baseline[t] != n}
            self.baseline = None
            raise AssertionError(f"{case.name} {answer} and changed row counts "
                                 f"(before, after): {changed}")
        target = case.target or next(r.id for r in ROWS if r.resource == case.resource)
        after = row_values(case.resource, target)
        if after != self.rows[(case.resource, target)]:
            self.baseline = None
            raise AssertionError(f"{case.name} {answer} and changed {case.resource} "
                                 f"{target!r} to {after}")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request):
    """The refusal world on each database, built once for this module."""
    return World(request.getfixturevalue(f"{request.param}_app"))


@pytest.fixture
def client(world):
    with world.app.app_context():
        client = world.app.test_client()
        world.ensure(client)
        yield client
        db.session.remove()


def plain_request(client, case):
    """The case as curl sends it to ``/api/<plural>``."""
    plural = REGISTRY[case.resource].plural
    headers = {"Content-Type": "application/json"}
    if case.kind in CREATES:
        return client.post(f"/api/{plural}", data=json.dumps(case.fields), headers=headers)
    if case.kind == "identity":
        return client.patch(f"/api/{plural}/{case.target}", data=json.dumps(case.fields),
                            headers=headers)
    return client.delete(f"/api/{plural}/{case.target}")


def jsonapi_request(client, case):
    """The case as a JSON:API document to ``/api/rest/v1/<resource>``."""
    url = f"/api/rest/v1/{case.resource}"
    data = {"type": case.resource, "attributes": case.fields}
    if case.kind in CREATES:
        return client.post(url, data=json.dumps({"data": data}), headers=JSONAPI)
    if case.kind == "identity":
        document = {"data": dict(data, id=case.target)}
        return client.patch(f"{url}/{case.target}", data=json.dumps(document), headers=JSONAPI)
    return client.delete(f"{url}/{case.target}", headers=JSONAPI)


def assert_names(case, detail):
    """The detail names the field, quotes the value, states the rule (and the children)."""
    assert names(detail, case.field, case.value), f"{detail!r} does not name {case.field}"
    if case.value is not None:
        assert str(case.value) in detail, f"{detail!r} does not quote {case.value!r}"
    assert case.rule in detail, f"{detail!r} does not say {case.rule!r}"
    for child in case.children or ():
        assert child in detail, f"{detail!r} does not name the children {case.children}"


@pytest.mark.parametrize("case", CASES_ALL, ids=lambda case: case.name)
def test_plain_face(world, client, case):
    response = plain_request(client, case)
    world.assert_unchanged(case, response)
    body = response.get_json()
    assert response.status_code == case.status, body
    assert body["status"] == case.status and body["title"], body
    assert body["source"] == {"field": case.field}, body
    assert_names(case, body["detail"])
    if case.children:
        assert body["meta"]["children"] == case.children, body


def source_names(source, field):
    """A JSON:API ``source`` naming ``field``: as ``field`` or as a pointer ending in it."""
    source = source or {}
    return source.get("field") == field or str(source.get("pointer", "")).endswith("/" + field)


def filled_on_jsonapi(case):
    """A create missing a field the JSON:API face fills for the older client (a config's
    ``config``, see docs/MIGRATING.md): not a refusal there."""
    return case.kind == "missing" and case.field in dict(REGISTRY[case.resource].upstream.fill)


@pytest.mark.parametrize("case", [c for c in CASES_ALL if not filled_on_jsonapi(c)],
                         ids=lambda case: case.name)
def test_jsonapi_face(world, client, case):
    response = jsonapi_request(client, case)
    world.assert_unchanged(case, response)
    body = response.get_json()
    assert response.status_code == case.status, body
    (error,) = body["errors"]
    assert error["status"] == str(case.status) and error["title"], error
    assert source_names(error["source"], case.field), error
    assert_names(case, error["detail"])


def relationships_request(client, case):
    """The case with its reference under ``relationships``, as JSON:API clients send it."""
    url = f"/api/rest/v1/{case.resource}"
    relation = relation_of(case.resource, case.field)
    target = dict(REGISTRY[case.resource].references())[case.field]
    data = {"type": case.resource,
            "attributes": {k: v for k, v in case.fields.items() if k != case.field},
            "relationships": {relation: {"data": {"type": target,
                                                  "id": case.fields[case.field]}}}}
    if case.kind in CREATES:
        return client.post(url, data=json.dumps({"data": data}), headers=JSONAPI)
    data["id"] = case.target
    return client.patch(f"{url}/{case.target}", data=json.dumps({"data": data}),
                        headers=JSONAPI)


@pytest.mark.parametrize("case", RELATIONSHIP_CASES, ids=lambda case: case.name)
def test_jsonapi_relationships(world, client, case):
    response = relationships_request(client, case)
    world.assert_unchanged(case, response)
    body = response.get_json()
    assert response.status_code == case.status, body
    (error,) = body["errors"]
    relation = relation_of(case.resource, case.field)
    assert error["status"] == str(case.status) and error["title"], error
    assert source_names(error["source"], case.field) or source_names(error["source"], relation)
    if case.field not in error["detail"]:
        case = replace(case, field=relation)
    assert_names(case, error["detail"])


def bulk_fields(case):
    """The row bulk gets: a duplicate must differ from the stored object, since importing an
    object exactly as stored is a no-op there (CSV_IMPORT.md: re-imports are idempotent)."""
    if case.kind == "duplicate":
        return dict(case.fields, defaults={"imported": "again"})
    return case.fields


@pytest.mark.parametrize("case", BULK_CASES, ids=lambda case: case.name)
def test_bulk(world, client, case):
    plural = REGISTRY[case.resource].plural
    response = client.post(f"/api/{plural}/bulk", data=json.dumps([bulk_fields(case)]),
                           headers={"Content-Type": "application/json"})
    world.assert_unchanged(case, response)
    report = response.get_json()
    assert response.status_code == 422, report
    assert not report["committed"] and report["error_count"] == 1, report
    (error,) = report["errors"]
    assert error["status"] == case.status and error["index"] == 0, error
    if case.kind == "duplicate":
        assert error["field"] == "defaults" and error["id"] == case.target, error
        assert "exists with defaults" in error["detail"], error
    else:
        assert error["field"] == case.field, error
        assert_names(case, error["detail"])
