"""Background data of seed 001, created through the Python module (idempotently).

The objects come from the shared seed world (:mod:`tests.support.world`): the
hierarchy down to the seed's deployment, its zone, network, fleet and image repository,
and the neighbours the walkthrough names (the payments services, the CI job's repositories).
"""
from behave import given

from qairon_qcli.client import Conflict
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


@given('the seed 001 hierarchy exists')
def step_seed_hierarchy(context):
    qcli = QCLIController(ReturningOutputController(), endpoint=context.endpoint)
    for row in HIERARCHY:
        try:
            qcli.create(resource=row.resource, **row.fields)
        except Conflict:
            pass
    context.shell_vars.update({"DT_ID": TARGET, "SERVICE_ID": SERVICE,
                               "DEPLOYMENT_ID": DEPLOYMENT, "NETWORK_ID": NET})
