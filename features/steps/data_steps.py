"""Background data of seed 001, created through the Python module (idempotently)."""
from behave import given

from qairon_qcli.client import Conflict
from qairon_qcli.controllers import QCLIController, ReturningOutputController

PARTITION = "prod:aws:123456789012:us-east-1:us-east-1a"
REGION = "prod:aws:123456789012:us-east-1"
SEED_001 = [
    ("environment", {"name": "prod"}),
    ("provider_type", {"name": "aws"}),
    ("provider", {"environment_id": "prod", "provider_type_id": "aws",
                  "native_id": "123456789012"}),
    ("region", {"provider_id": "prod:aws:123456789012", "name": "us-east-1"}),
    ("partition", {"region_id": REGION, "name": "us-east-1a"}),
    ("zone", {"region_id": REGION, "name": "use1-az1"}),
    ("network", {"partition_id": PARTITION, "name": "main-vpc", "cidr": "10.0.0.0/16"}),
    ("fleet_type", {"name": "nodegroup"}),
    ("fleet", {"partition_id": PARTITION, "fleet_type_id": "nodegroup", "name": "workers"}),
    ("deployment_target_type", {"name": "eks"}),
    ("deployment_target", {"partition_id": PARTITION, "deployment_target_type_id": "eks",
                           "name": "main-cluster"}),
    ("application", {"name": "ecommerce"}),
    ("stack", {"application_id": "ecommerce", "name": "checkout"}),
    ("stack", {"application_id": "ecommerce", "name": "payments"}),
    ("service", {"stack_id": "ecommerce:checkout", "name": "order-processor"}),
    ("service", {"stack_id": "ecommerce:payments", "name": "payment-gateway"}),
    ("service", {"stack_id": "ecommerce:payments", "name": "refunds"}),
    ("repo_type", {"name": "git"}),
    ("repo_type", {"name": "ecr"}),
    ("repo", {"repo_type_id": "git", "name": "order-processor",
              "url": "https://git.example.com/ecommerce/order-processor"}),
    ("repo", {"repo_type_id": "ecr", "name": "ecommerce-order-processor"}),
    ("repo", {"repo_type_id": "ecr", "name": "ecommerce-charts"}),
    ("deployment", {"deployment_target_id": PARTITION + ":eks:main-cluster",
                    "service_id": "ecommerce:checkout:order-processor"}),
]


@given('the seed 001 hierarchy exists')
def step_seed_hierarchy(context):
    qcli = QCLIController(ReturningOutputController(), endpoint=context.endpoint)
    for resource, fields in SEED_001:
        try:
            qcli.create(resource=resource, **fields)
        except Conflict:
            pass
    context.shell_vars.update({
        "DT_ID": PARTITION + ":eks:main-cluster",
        "SERVICE_ID": "ecommerce:checkout:order-processor",
        "DEPLOYMENT_ID": PARTITION + ":eks:main-cluster:ecommerce:checkout:order-processor:default",
        "NETWORK_ID": PARTITION + ":main-vpc",
    })
