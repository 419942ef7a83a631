"""Environment scopes: where each resource lives, and what a scoped token may write."""
import pytest

from qairon.identity.authz import check_scope
from qairon.identity.scope import placed_resources, targets
from qairon.models import REGISTRY
from qairon.pipeline.actor import Actor
from qairon.pipeline.changes import Change
from tests.server.data import BUILD, CASES, DEPLOYMENT, EXTRA, NET, REGION, SERVICE
from tests.server.helpers import counts, post

from .conftest import DEV_DEPLOYMENT, DEV_REGION, bearer, issue, send

PLACED = {"environment", "provider", "region", "zone", "partition", "network", "subnet",
          "fleet", "deployment_target", "deployment", "release", "release_artifact",
          "deployment_config", "deployment_proc", "capacity", "allocation"}


def test_placed_resources_are_read_from_the_id_recipes():
    assert placed_resources() == PLACED
    assert {name for name, cls in REGISTRY.items() if cls.scoped_writable} == \
        {"build", "build_artifact"}


def test_a_change_touches_its_environments_before_and_after():
    moved = Change("update", "release", DEPLOYMENT + ":7",
                   before={"deployment_id": DEV_DEPLOYMENT}, after={"deployment_id": DEPLOYMENT})
    assert [t.environments for t in targets(moved)] == [{"prod", "dev"}]
    service = Change("create", "service", SERVICE, after={"stack_id": "ecommerce:checkout"})
    assert [t.environments for t in targets(service)] == [frozenset()]


def test_a_link_is_checked_on_both_ends():
    link = Change("link", "deployment", DEV_DEPLOYMENT, relation="zones",
                  other=("zone", REGION + ":use1-az1"))
    assert [t.environments for t in targets(link)] == [{"dev"}, {"prod"}]
    dev = Actor("ci-dev", kind="token", role="writer", environments=("dev",))
    with pytest.raises(Exception) as refused:
        check_scope(dev, link, "writer")
    assert refused.value.kind == "forbidden"
    assert "scoped to prod; this token (ci-dev) is scoped to dev" in refused.value.detail
    check_scope(Actor("both", kind="token", role="writer", environments=("dev", "prod")),
                link, "writer")


@pytest.mark.parametrize("resource", sorted(CASES))
def test_every_resource_for_scoped_writers(world, secured, resource):
    """A prod-scoped writer may create what lives in prod, a dev-scoped one only what the
    model declares ``scoped_writable``; neither may create what has no environment."""
    fields, expected_id, _patch = CASES[resource]
    _, admin = issue("admin")
    for extra, extra_fields in EXTRA.get(resource, []):
        assert send(world, "POST", f"/api/{REGISTRY[extra].plural}", extra_fields,
                    bearer(admin)).status_code == 201
    allowed = {"prod": resource in PLACED - {"environment"} or REGISTRY[resource].scoped_writable,
               "dev": REGISTRY[resource].scoped_writable}
    for environment in ("dev", "prod"):
        _, secret = issue("writer", (environment,))
        before = counts()
        response = send(world, "POST", f"/api/{REGISTRY[resource].plural}", fields,
                        bearer(secret))
        if allowed[environment]:
            assert response.status_code == 201, response.get_json()
            assert response.get_json()["id"] == expected_id
            assert send(world, "DELETE", f"/api/{REGISTRY[resource].plural}/{expected_id}",
                        None, bearer(secret)).status_code == 200
        else:
            assert response.status_code == 403, response.get_json()
            assert f"this token (writer-{environment}) is scoped to {environment}" in \
                response.get_json()["detail"]
            assert counts() == before


def test_the_seed_ci_flow_with_a_dev_token(world, secured):
    _, secret = issue("writer", ("dev",), name="ci-dev")
    ci = bearer(secret)
    build = SERVICE + ":100"
    release = DEV_DEPLOYMENT + ":55"
    steps = [
        ("POST", "/api/builds", {"service_id": SERVICE, "build_num": "100", "vcs_ref": "9fceb02"}),
        ("POST", "/api/build_artifacts", {"build_id": build, "input_repo_id": "git:ecommerce",
                                          "output_repo_id": "ecr:ecommerce-order-processor",
                                          "name": "image", "upload_path": "registry/op:100"}),
        ("POST", "/api/releases", {"build_id": build, "deployment_id": DEV_DEPLOYMENT,
                                   "build_num": "55"}),
        ("POST", "/api/release_artifacts", {"release_id": release,
                                            "input_repo_id": "ecr:ecommerce-order-processor",
                                            "output_repo_id": "ecr:ecommerce-order-processor",
                                            "name": "chart", "upload_path": "charts/op:55"}),
        ("PATCH", f"/api/deployments/{DEV_DEPLOYMENT}", {"current_release_id": release}),
    ]
    for method, path, body in steps:
        response = send(world, method, path, body, ci)
        assert response.status_code in (200, 201), (path, response.get_json())
    assert world.get(f"/api/deployments/{DEV_DEPLOYMENT}").get_json()[
        "current_release"]["release_artifacts"][0]["upload_path"] == "charts/op:55"

    before = counts()
    prod_release = send(world, "POST", "/api/releases", {
        "build_id": BUILD, "deployment_id": DEPLOYMENT, "build_num": "56"}, ci)
    assert prod_release.status_code == 403
    assert prod_release.get_json()["detail"] == (
        f"creating release '{DEPLOYMENT}:56' needs a writer token scoped to prod; "
        f"this token (ci-dev) is scoped to dev")
    refused = [
        send(world, "POST", f"/api/networks/{NET}/allocate_subnet",
             {"additional_mask_bits": 8, "name": "ci"}, ci),
        send(world, "POST", "/api/services", {"stack_id": "ecommerce:checkout", "name": "new"},
             ci),
        send(world, "POST", "/api/provider_types", {"name": "gcp"}, ci),
        send(world, "DELETE", f"/api/deployments/{DEV_DEPLOYMENT}?cascade=true", None, ci),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    assert "scoped to prod" in refused[0].get_json()["detail"]
    assert "belongs to no environment" in refused[1].get_json()["detail"]
    assert "belongs to no environment" in refused[2].get_json()["detail"]
    assert "with cascade needs an admin token" in refused[3].get_json()["detail"]
    assert counts() == before


def test_a_scoped_admin_cascades_only_inside_its_scope(world, secured):
    _, dev_admin = issue("admin", ("dev",))
    zone = DEV_REGION + ":use1-az1"
    assert send(world, "POST", f"/api/deployments/{DEV_DEPLOYMENT}/zones", {"id": zone},
                bearer(dev_admin)).status_code in (200, 201)
    before = counts()
    refused = send(world, "DELETE", "/api/environments/prod?cascade=true", None, bearer(dev_admin))
    assert refused.status_code == 403 and counts() == before
    done = send(world, "DELETE", "/api/environments/dev?cascade=true", None, bearer(dev_admin))
    assert done.status_code == 200, done.get_json()
    assert post(world, "environment", {"name": "dev"}).status_code == 401
