"""Background data of seed 001, created through the Python module (idempotently).

The objects come from the shared seed world (:mod:`tests.support.world`): the
hierarchy down to the seed's deployment, its zone, network, fleet and image repository,
and the neighbours the walkthrough names (the payments services, the CI job's repositories).
"""
from behave import given

from qairon_qcli.client import Client, Conflict
from qairon_qcli.controllers import QCLIController, ReturningOutputController
from tests.support.world import (
    DEPLOYMENT,
    FLEET,
    IMAGE_REPO,
    NEIGHBOURS,
    NET,
    SERVICE,
    STACK_B,
    TARGET,
    ZONE,
    rows_for,
)

HIERARCHY = rows_for(DEPLOYMENT, ZONE, NET, FLEET, STACK_B, IMAGE_REPO,
                     *(row.id for row in NEIGHBOURS))


def controller(context):
    """The Python module on the feature's server, with its admin token when it has one."""
    return QCLIController(ReturningOutputController(), client=Client(
        context.endpoint, token=getattr(context.server, "admin_token", "")))


@given('the seed 001 hierarchy exists')
def step_seed_hierarchy(context):
    qcli = controller(context)
    for row in HIERARCHY:
        try:
            qcli.create(resource=row.resource, **row.fields)
        except Conflict:
            pass
    context.shell_vars.update({"DT_ID": TARGET, "SERVICE_ID": SERVICE,
                               "DEPLOYMENT_ID": DEPLOYMENT, "NETWORK_ID": NET})


DEV = "dev:aws:111111111111"
DEV_PARTITION = DEV + ":us-east-1:us-east-1a"
DEV_WORLD = [
    ("environment", {"name": "dev"}),
    ("provider", {"environment_id": "dev", "provider_type_id": "aws",
                  "native_id": "111111111111"}),
    ("region", {"provider_id": DEV, "name": "us-east-1"}),
    ("partition", {"region_id": DEV + ":us-east-1", "name": "us-east-1a"}),
    ("deployment_target", {"partition_id": DEV_PARTITION, "deployment_target_type_id": "eks",
                           "name": "main-cluster"}),
    ("deployment", {"deployment_target_id": DEV_PARTITION + ":eks:main-cluster",
                    "service_id": SERVICE}),
]


@given('a dev deployment of the order processor exists')
def step_dev_deployment(context):
    qcli = controller(context)
    for resource, fields in DEV_WORLD:
        try:
            qcli.create(resource=resource, **fields)
        except Conflict:
            pass
    context.shell_vars["DEV_DEPLOYMENT_ID"] = f"{DEV_PARTITION}:eks:main-cluster:{SERVICE}:default"
