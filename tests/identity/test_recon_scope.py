"""A recon stores its result through the pipeline: it needs a writer for the object's
environment, and the history names who ran it. Rendering is a read."""
import pytest

from tests.identity.conftest import DEV_TARGET, send
from tests.server.helpers import post
from tests.support.world import NET, TARGET

PATTERNS = {"recon": {"qairon_jq": "[.[] | {service: .service_id}]",
                      "qairon_field": "deployments"}}


@pytest.fixture
def patterned(world):
    assert world.patch("/api/deployment_target_types/eks", json={"defaults": PATTERNS}
                       ).status_code == 200
    assert post(world, "language", {"name": "hcl"}).status_code == 201
    assert post(world, "config_template", {"name": "t", "language_id": "hcl",
                                           "doc": "{{ obj.cidr }}"}).status_code == 201
    return world


def recon(client, target, headers):
    return send(client, "POST", f"/api/deployment_targets/{target}/recon?reduced=true",
                {"actual": []}, headers)


@pytest.mark.parametrize("actor, target, status", [
    ("anonymous", TARGET, 401), ("reader", TARGET, 403), ("writer-dev", TARGET, 403),
    ("writer-dev", DEV_TARGET, 200), ("writer", TARGET, 200)])
def test_recon_needs_a_writer_of_the_environment(patterned, secured, actors, actor, target,
                                                 status):
    response = recon(patterned, target, actors[actor])
    assert response.status_code == status, response.get_json()
    stored = patterned.get(f"/api/deployment_targets/{target}").get_json()["recon"]
    if status == 200:
        assert stored["checked_by"] == actor and stored["status"] == "drift"
        changes = patterned.get(f"/api/deployment_targets/{target}/history").get_json()
        assert changes["results"][0]["actor"] == actor
    else:
        assert stored is None


def test_rendering_is_a_read(patterned, secured, actors):
    response = patterned.get(f"/api/networks/{NET}/render?template=t", headers=actors["reader"])
    assert response.status_code == 200 and response.get_json()["text"] == "10.0.0.0/16\n"
