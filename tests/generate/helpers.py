"""The example templates of docs/examples/generate, as config templates of the seed world."""
import os

from tests.server.helpers import post
from tests.support.world import DEPLOYMENT, RELEASE

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "examples", "generate")
VPC_PATH = "terraform/{{ environment.name }}/{{ region.name }}/{{ obj.name }}.tf"
K8S_PATH = ("kubernetes/{{ environment.name }}/{{ deployment_target.name }}/{{ stack.name }}/"
            "{{ service.name }}-{{ obj.tag }}.yaml")


def example(name):
    """The text of one example template."""
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as handle:
        return handle.read()


TEMPLATES = {
    "vpc-tf": {"name": "vpc-tf", "language_id": "hcl", "doc": example("vpc.tf.j2"),
               "applies_to": "network", "path": VPC_PATH},
    "k8s-deployment": {"name": "k8s-deployment", "language_id": "yaml",
                       "doc": example("deployment.yaml.j2"), "applies_to": "deployment",
                       "path": K8S_PATH},
}


def add_templates(client):
    """The languages and the two example templates, and the deployment's current release."""
    for name in ("hcl", "yaml"):
        assert post(client, "language", {"name": name}).status_code == 201
    for fields in TEMPLATES.values():
        response = post(client, "config_template", fields)
        assert response.status_code == 201, response.get_json()
    response = client.patch(f"/api/deployments/{DEPLOYMENT}",
                            json={"current_release_id": RELEASE})
    assert response.status_code == 200, response.get_json()
