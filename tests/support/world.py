"""The seed world: the example of seed 001, typed once for the tests, the features and
the benchmark.

``WORLD`` lists one ``Row(resource, fields, id)`` per object, parents first, with the
ID the server must compute from the fields; the named IDs below are the objects the
suites talk about. ``NEIGHBOURS`` are objects seed 001's walkthrough names next to the
example (the payments services, the source and chart repositories of its CI job).
:func:`rows_for` picks the rows that create some objects and everything they refer to,
so a suite that needs only part of the world (a partition to allocate in, the
hierarchy a feature starts from) takes that part from here instead of typing it.

Plain data: importing this module loads neither Flask nor SQLAlchemy.
"""
from collections import namedtuple

from qairon.core.ids import is_reference

Row = namedtuple("Row", "resource fields id")

ACCOUNT = "123456789012"
PROVIDER = "prod:aws:" + ACCOUNT
REGION = PROVIDER + ":us-east-1"
ZONE = REGION + ":use1-az1"
PART = REGION + ":us-east-1a"
NET = PART + ":main-vpc"
SUBNET = NET + ":eks0"
FLEET = PART + ":nodegroup:workers"
TARGET = PART + ":eks:main-cluster"
APP = "ecommerce"
STACK = APP + ":checkout"
STACK_B = APP + ":payments"
SERVICE = STACK + ":order-processor"
PROC = SERVICE + ":web"
SOURCE_REPO = "git:ecommerce"
IMAGE_REPO = "ecr:ecommerce-order-processor"
BUILD = SERVICE + ":42"
BUILD_ARTIFACT = BUILD + ":image"
DEPLOYMENT = f"{TARGET}:{SERVICE}:default"
RELEASE = DEPLOYMENT + ":7"
RELEASE_ARTIFACT = RELEASE + ":chart"
TEMPLATE = "helm-values"
DPROC = DEPLOYMENT + ":web"
CAPACITY = FLEET + ":cpu"
ALLOCATION = DPROC + ":cpu:LOW"
REGISTRY_HOST = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com"

WORLD = (
    Row("environment", {"name": "prod"}, "prod"),
    Row("provider_type", {"name": "aws"}, "aws"),
    Row("provider", {"environment_id": "prod", "provider_type_id": "aws",
                     "native_id": ACCOUNT}, PROVIDER),
    Row("region", {"provider_id": PROVIDER, "name": "us-east-1"}, REGION),
    Row("zone", {"region_id": REGION, "name": "use1-az1"}, ZONE),
    Row("partition", {"region_id": REGION, "name": "us-east-1a"}, PART),
    Row("network", {"partition_id": PART, "name": "main-vpc", "cidr": "10.0.0.0/16"}, NET),
    Row("subnet", {"network_id": NET, "name": "eks0", "cidr": "10.0.0.0/22"}, SUBNET),
    Row("fleet_type", {"name": "nodegroup"}, "nodegroup"),
    Row("fleet", {"partition_id": PART, "fleet_type_id": "nodegroup", "name": "workers"},
        FLEET),
    Row("deployment_target_type", {"name": "eks"}, "eks"),
    Row("deployment_target", {"partition_id": PART, "deployment_target_type_id": "eks",
                              "name": "main-cluster"}, TARGET),
    Row("application", {"name": APP}, APP),
    Row("stack", {"application_id": APP, "name": "checkout"}, STACK),
    Row("stack", {"application_id": APP, "name": "payments"}, STACK_B),
    Row("service", {"stack_id": STACK, "name": "order-processor"}, SERVICE),
    Row("proc", {"service_id": SERVICE, "name": "web"}, PROC),
    Row("repo_type", {"name": "ecr"}, "ecr"),
    Row("repo_type", {"name": "git"}, "git"),
    Row("repo", {"repo_type_id": "git", "name": "ecommerce",
                 "url": "https://git.example.com/ecommerce.git"}, SOURCE_REPO),
    Row("repo", {"repo_type_id": "ecr", "name": "ecommerce-order-processor"}, IMAGE_REPO),
    Row("build", {"service_id": SERVICE, "build_num": "42", "vcs_ref": "9f2c1e7"}, BUILD),
    Row("build_artifact", {"build_id": BUILD, "input_repo_id": SOURCE_REPO,
                           "output_repo_id": IMAGE_REPO, "name": "image",
                           "upload_path": REGISTRY_HOST + "/op:42"}, BUILD_ARTIFACT),
    Row("deployment", {"deployment_target_id": TARGET, "service_id": SERVICE}, DEPLOYMENT),
    Row("release", {"build_id": BUILD, "deployment_id": DEPLOYMENT, "build_num": "7"},
        RELEASE),
    Row("release_artifact", {"release_id": RELEASE, "input_repo_id": IMAGE_REPO,
                             "output_repo_id": IMAGE_REPO, "name": "chart",
                             "upload_path": REGISTRY_HOST + "/op:r7"}, RELEASE_ARTIFACT),
    Row("language", {"name": "json"}, "json"),
    Row("config_template", {"name": TEMPLATE, "language_id": "json", "doc": "{}"}, TEMPLATE),
    Row("stack_config", {"stack_id": STACK, "config_template_id": TEMPLATE, "name": "base",
                         "config": "{}"}, f"{STACK}:{TEMPLATE}:base:default"),
    Row("service_config", {"service_id": SERVICE, "config_template_id": TEMPLATE,
                           "name": "base", "config": "{}"}, f"{SERVICE}:{TEMPLATE}:base:default"),
    Row("deployment_config", {"deployment_id": DEPLOYMENT, "config_template_id": TEMPLATE,
                              "name": "base", "config": "{}"},
        f"{DEPLOYMENT}:{TEMPLATE}:base:default"),
    Row("deployment_proc", {"deployment_id": DEPLOYMENT, "proc_id": PROC}, DPROC),
    Row("allocation_type", {"name": "cpu", "unit": "cores"}, "cpu"),
    Row("capacity", {"fleet_id": FLEET, "allocation_type_id": "cpu", "value": 100}, CAPACITY),
    Row("allocation", {"deployment_proc_id": DPROC, "allocation_type_id": "cpu",
                       "watermark": "LOW", "value": 30}, ALLOCATION),
)

PAYMENT_GATEWAY = STACK_B + ":payment-gateway"
REFUNDS = STACK_B + ":refunds"
CI_SOURCE_REPO = "git:order-processor"
CHART_REPO = "ecr:ecommerce-charts"

NEIGHBOURS = (
    Row("service", {"stack_id": STACK_B, "name": "payment-gateway"}, PAYMENT_GATEWAY),
    Row("service", {"stack_id": STACK_B, "name": "refunds"}, REFUNDS),
    Row("repo", {"repo_type_id": "git", "name": "order-processor",
                 "url": "https://git.example.com/ecommerce/order-processor"}, CI_SOURCE_REPO),
    Row("repo", {"repo_type_id": "ecr", "name": "ecommerce-charts"}, CHART_REPO),
)


def first_of(resource):
    """The first row of ``resource`` in the world (every resource has one)."""
    return next(row for row in WORLD if row.resource == resource)


def rows_for(*ids):
    """The rows of ``WORLD`` and ``NEIGHBOURS`` that create ``ids`` and, transitively,
    every object their references point at, parents first."""
    catalogue = WORLD + NEIGHBOURS
    by_id = {row.id: row for row in catalogue}
    wanted, pending = set(), list(ids)
    while pending:
        object_id = pending.pop()
        if object_id in wanted:
            continue
        if object_id not in by_id:
            raise KeyError(f"{object_id!r} is not an object of the seed world")
        wanted.add(object_id)
        pending.extend(value for field, value in by_id[object_id].fields.items()
                       if is_reference(field) and value is not None)
    return [row for row in catalogue if row.id in wanted]
