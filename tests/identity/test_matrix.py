"""Roles × scopes: every write path, each actor, allowed or refused with nothing written.

For each operation, every actor of the matrix (anonymous, reader, unscoped
writer, writer scoped to ``dev``, admin) tries it in turn; each uses its own
names (the tag) so that one actor's success does not collide with the next.
A refusal must be 401 or 403 in the one error shape and leave every table as
it was.
"""
from dataclasses import dataclass, field

import pytest

from tests.server.data import BUILD, DEPLOYMENT, NET, REGION, SERVICE, TARGET
from tests.server.helpers import counts, post

from .conftest import ACTORS, DEV_DEPLOYMENT, DEV_NET, DEV_REGION, DEV_TARGET, send

OK = "ok"
ENVIRONMENT_LESS_OR_PROD = {"anonymous": 401, "reader": 403, "writer": OK, "writer-dev": 403,
                            "admin": OK}
DEV_ALLOWED = {"anonymous": 401, "reader": 403, "writer": OK, "writer-dev": OK, "admin": OK}
ADMIN_ONLY = {"anonymous": 401, "reader": 403, "writer": 403, "writer-dev": 403, "admin": OK}


@dataclass
class Op:
    """One write: how to prepare it per actor (authentication off), how to send it."""

    name: str
    run: object
    expect: dict
    prepare: object = None
    jsonapi: bool = field(default=False)


def release(deployment, tag):
    return {"build_id": BUILD, "deployment_id": deployment, "build_num": tag}


def jsonapi_release(deployment, tag):
    return {"data": {"type": "release", "attributes": release(deployment, tag)}}


def a_zone(region):
    return lambda client, tag: post(client, "zone", {"region_id": region, "name": f"z-{tag}"})


def a_release(deployment):
    return lambda client, tag: post(client, "release", release(deployment, f"r-{tag}"))


def a_deployment_with_a_release(target):
    def prepare(client, tag):
        assert post(client, "deployment", {"deployment_target_id": target, "service_id": SERVICE,
                                           "tag": tag}).status_code == 201
        assert post(client, "release", release(f"{target}:{SERVICE}:{tag}", "1")).status_code == 201
    return prepare


OPS = [
    Op("plain: create a service",
       lambda c, h, t: send(c, "POST", "/api/services",
                            {"stack_id": "ecommerce:checkout", "name": f"svc-{t}"}, h),
       ENVIRONMENT_LESS_OR_PROD),
    Op("plain: create a type",
       lambda c, h, t: send(c, "POST", "/api/provider_types", {"name": f"type-{t}"}, h),
       ENVIRONMENT_LESS_OR_PROD),
    Op("plain: record a build",
       lambda c, h, t: send(c, "POST", "/api/builds",
                            {"service_id": SERVICE, "build_num": f"b-{t}", "vcs_ref": "abc"}, h),
       DEV_ALLOWED),
    Op("plain: release of a dev deployment",
       lambda c, h, t: send(c, "POST", "/api/releases", release(DEV_DEPLOYMENT, f"n-{t}"), h),
       DEV_ALLOWED),
    Op("plain: release of a prod deployment",
       lambda c, h, t: send(c, "POST", "/api/releases", release(DEPLOYMENT, f"n-{t}"), h),
       ENVIRONMENT_LESS_OR_PROD),
    Op("JSON:API: release of a dev deployment",
       lambda c, h, t: send(c, "POST", "/api/rest/v1/release",
                            jsonapi_release(DEV_DEPLOYMENT, f"j-{t}"), h, jsonapi=True),
       DEV_ALLOWED, jsonapi=True),
    Op("JSON:API: release of a prod deployment",
       lambda c, h, t: send(c, "POST", "/api/rest/v1/release",
                            jsonapi_release(DEPLOYMENT, f"j-{t}"), h, jsonapi=True),
       ENVIRONMENT_LESS_OR_PROD, jsonapi=True),
    Op("plain: set current_release of a dev deployment",
       lambda c, h, t: send(c, "PATCH", f"/api/deployments/{DEV_DEPLOYMENT}",
                            {"current_release_id": f"{DEV_DEPLOYMENT}:r-{t}"}, h),
       DEV_ALLOWED, prepare=a_release(DEV_DEPLOYMENT)),
    Op("JSON:API: change a prod deployment",
       lambda c, h, t: send(c, "PATCH", f"/api/rest/v1/deployment/{DEPLOYMENT}",
                            {"data": {"type": "deployment", "id": DEPLOYMENT,
                                      "attributes": {"native_id": f"n-{t}"}}}, h, jsonapi=True),
       ENVIRONMENT_LESS_OR_PROD, jsonapi=True),
    Op("allocation in the dev network",
       lambda c, h, t: send(c, "POST", f"/api/networks/{DEV_NET}/allocate_subnet",
                            {"additional_mask_bits": 8, "name": f"a-{t}"}, h),
       DEV_ALLOWED),
    Op("allocation in the prod network",
       lambda c, h, t: send(c, "POST", f"/api/networks/{NET}/allocate_subnet",
                            {"additional_mask_bits": 8, "name": f"a-{t}"}, h),
       ENVIRONMENT_LESS_OR_PROD),
    Op("plain: link a dev deployment to a dev zone",
       lambda c, h, t: send(c, "POST", f"/api/deployments/{DEV_DEPLOYMENT}/zones",
                            {"id": f"{DEV_REGION}:z-{t}"}, h),
       DEV_ALLOWED, prepare=a_zone(DEV_REGION)),
    Op("JSON:API: link a prod deployment to a prod zone",
       lambda c, h, t: send(c, "POST", f"/api/rest/v1/deployment/{DEPLOYMENT}/relationships/zones",
                            {"data": [{"type": "zone", "id": f"{REGION}:z-{t}"}]}, h,
                            jsonapi=True),
       ENVIRONMENT_LESS_OR_PROD, prepare=a_zone(REGION), jsonapi=True),
    Op("bulk: releases of a dev and a prod deployment",
       lambda c, h, t: send(c, "POST", "/api/releases/bulk", {"objects": [
           release(DEV_DEPLOYMENT, f"bd-{t}"), release(DEPLOYMENT, f"bp-{t}")]}, h),
       ENVIRONMENT_LESS_OR_PROD),
    Op("bulk: releases of the dev deployment",
       lambda c, h, t: send(c, "POST", "/api/releases/bulk", {"objects": [
           release(DEV_DEPLOYMENT, f"b1-{t}"), release(DEV_DEPLOYMENT, f"b2-{t}")]}, h),
       DEV_ALLOWED),
    Op("plain: cascade delete of a dev deployment",
       lambda c, h, t: send(c, "DELETE", f"/api/deployments/{DEV_TARGET}:{SERVICE}:{t}"
                                         "?cascade=true", None, h),
       ADMIN_ONLY, prepare=a_deployment_with_a_release(DEV_TARGET)),
    Op("JSON:API: cascade delete of a prod deployment",
       lambda c, h, t: send(c, "DELETE", f"/api/rest/v1/deployment/{TARGET}:{SERVICE}:{t}"
                                         "?cascade=true", None, h, jsonapi=True),
       ADMIN_ONLY, prepare=a_deployment_with_a_release(TARGET), jsonapi=True),
    Op("plain: delete a dev release",
       lambda c, h, t: send(c, "DELETE", f"/api/releases/{DEV_DEPLOYMENT}:r-{t}", None, h),
       DEV_ALLOWED, prepare=a_release(DEV_DEPLOYMENT)),
    Op("plain: delete a prod release",
       lambda c, h, t: send(c, "DELETE", f"/api/releases/{DEPLOYMENT}:r-{t}", None, h),
       ENVIRONMENT_LESS_OR_PROD, prepare=a_release(DEPLOYMENT)),
]


def refusal(response, jsonapi):
    """``(status, detail)`` of a refused write; a bulk report whose rows were all refused for
    the same reason counts as that status."""
    body = response.get_json()
    if isinstance(body, dict) and "rows" in body and body.get("errors"):
        statuses = {row["status"] for row in body["errors"]}
        assert body["committed"] is False
        return (statuses.pop() if len(statuses) == 1 else response.status_code,
                body["errors"][0]["detail"])
    if jsonapi:
        body = body["errors"][0]
    assert int(body["status"]) == response.status_code
    assert body["source"]["field"] == "Authorization", body
    if jsonapi:
        assert body["source"]["header"] == "Authorization", body
    return response.status_code, body["detail"]


@pytest.fixture
def switched(app):
    """Turns authentication on when called; off again after the test."""
    yield lambda: app.config.update(AUTH="writes")
    app.config["AUTH"] = "off"


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
def test_matrix(world, actors, switched, op):
    if op.prepare:
        for tag in ACTORS:
            op.prepare(world, tag)
    switched()
    for actor, expected in op.expect.items():
        before = counts()
        response = op.run(world, actors[actor], actor)
        if expected == OK:
            assert 200 <= response.status_code < 300, (actor, response.get_json())
            continue
        status, detail = refusal(response, op.jsonapi)
        assert status == expected, (actor, response.get_json())
        assert counts() == before, actor
        if expected == 401:
            assert "needs a token" in detail and response.headers["WWW-Authenticate"]
        elif actor == "writer-dev" and expected == 403 and "cascade" not in op.name:
            assert "scoped to dev" in detail, detail
        else:
            assert "needs a" in detail and "token" in detail, detail
