"""Fixtures of the identity suite: authentication turned on, tokens, two environments.

The shared ``app`` fixture runs with ``QAIRON_AUTH=off`` (the rest of the suite
writes without tokens); ``secured`` turns ``writes`` (or another mode) on for
one test. ``world`` builds seed 001's ``prod`` example plus a ``dev`` copy of
its infrastructure, with authentication still off.
"""
import json

import pytest

from qairon.extensions import db
from qairon.identity import tokens
from tests.server.data import SERVICE
from tests.server.helpers import build_world, post

DEV = "dev:aws:111111111111"
DEV_REGION = DEV + ":us-east-1"
DEV_ZONE = DEV_REGION + ":use1-az1"
DEV_PART = DEV_REGION + ":us-east-1a"
DEV_NET = DEV_PART + ":main-vpc"
DEV_TARGET = DEV_PART + ":eks:main-cluster"
DEV_DEPLOYMENT = f"{DEV_TARGET}:{SERVICE}:default"

DEV_WORLD = [
    ("environment", {"name": "dev"}),
    ("provider", {"environment_id": "dev", "provider_type_id": "aws",
                  "native_id": "111111111111"}),
    ("region", {"provider_id": DEV, "name": "us-east-1"}),
    ("zone", {"region_id": DEV_REGION, "name": "use1-az1"}),
    ("partition", {"region_id": DEV_REGION, "name": "us-east-1a"}),
    ("network", {"partition_id": DEV_PART, "name": "main-vpc", "cidr": "10.1.0.0/16"}),
    ("deployment_target", {"partition_id": DEV_PART, "deployment_target_type_id": "eks",
                           "name": "main-cluster"}),
    ("deployment", {"deployment_target_id": DEV_TARGET, "service_id": SERVICE}),
]

#: The actors of the matrix: name -> (role, environments); None is anonymous.
ACTORS = {
    "anonymous": None,
    "reader": ("reader", ()),
    "writer": ("writer", ()),
    "writer-dev": ("writer", ("dev",)),
    "admin": ("admin", ()),
}


@pytest.fixture
def secured(app):
    """The app with ``QAIRON_AUTH=writes`` for this test."""
    app.config["AUTH"] = "writes"
    yield app
    app.config["AUTH"] = "off"


def issue(role, environments=(), name=None, expires_at=None):
    """Create a token in the database; ``(name, secret)``."""
    name = name or f"{role}-{'-'.join(environments) or 'all'}"
    _token, secret = tokens.create_token(db.session, name, role, environments, expires_at)
    db.session.commit()
    return name, secret


def bearer(secret):
    """The headers that present ``secret``."""
    return {"Authorization": f"Bearer {secret}"} if secret else {}


@pytest.fixture
def actors(app):
    """Headers of every actor of :data:`ACTORS` (empty for anonymous)."""
    out = {}
    for name, grant in ACTORS.items():
        out[name] = {} if grant is None else bearer(issue(grant[0], grant[1], name=name)[1])
    return out


@pytest.fixture
def world(client):
    """The prod example of seed 001 and a dev copy of its infrastructure."""
    build_world(client)
    for resource, fields in DEV_WORLD:
        response = post(client, resource, fields)
        assert response.status_code == 201, response.get_json()
    return client


def send(client, method, path, body=None, headers=None, jsonapi=False, **kw):
    """One request with a JSON body, as curl or a JSON:API client sends it."""
    kind = "application/vnd.api+json" if jsonapi else "application/json"
    return client.open(path, method=method, headers={"Content-Type": kind, **(headers or {})},
                       data=None if body is None else json.dumps(body), **kw)
