"""Test data: the example of seed 001, and one new object per resource on top of it.

``WORLD`` is built in order through the plain face; ``CASES`` gives, for every
registered resource, the fields of one more object, the ID the server must
compute for it, and a change to PATCH. A resource without a case fails the
generic suite, so a new model cannot land without test data.
"""
P = "prod:aws:123456789012"
REGION = P + ":us-east-1"
PART = REGION + ":us-east-1a"
NET = PART + ":main-vpc"
TARGET = PART + ":eks:main-cluster"
SERVICE = "ecommerce:checkout:order-processor"
BUILD = SERVICE + ":42"
DEPLOYMENT = f"{TARGET}:{SERVICE}:default"
RELEASE = DEPLOYMENT + ":7"
DPROC = DEPLOYMENT + ":web"
FLEET = PART + ":nodegroup:workers"

WORLD = [
    ("environment", {"name": "prod"}, "prod"),
    ("provider_type", {"name": "aws"}, "aws"),
    ("provider", {"environment_id": "prod", "provider_type_id": "aws",
                  "native_id": "123456789012"}, P),
    ("region", {"provider_id": P, "name": "us-east-1"}, REGION),
    ("zone", {"region_id": REGION, "name": "use1-az1"}, REGION + ":use1-az1"),
    ("partition", {"region_id": REGION, "name": "us-east-1a"}, PART),
    ("network", {"partition_id": PART, "name": "main-vpc", "cidr": "10.0.0.0/16"}, NET),
    ("subnet", {"network_id": NET, "name": "eks0", "cidr": "10.0.0.0/22"}, NET + ":eks0"),
    ("fleet_type", {"name": "nodegroup"}, "nodegroup"),
    ("fleet", {"partition_id": PART, "fleet_type_id": "nodegroup", "name": "workers"}, FLEET),
    ("deployment_target_type", {"name": "eks"}, "eks"),
    ("deployment_target", {"partition_id": PART, "deployment_target_type_id": "eks",
                           "name": "main-cluster"}, TARGET),
    ("application", {"name": "ecommerce"}, "ecommerce"),
    ("stack", {"application_id": "ecommerce", "name": "checkout"}, "ecommerce:checkout"),
    ("stack", {"application_id": "ecommerce", "name": "payments"}, "ecommerce:payments"),
    ("service", {"stack_id": "ecommerce:checkout", "name": "order-processor"}, SERVICE),
    ("proc", {"service_id": SERVICE, "name": "web"}, SERVICE + ":web"),
    ("repo_type", {"name": "ecr"}, "ecr"),
    ("repo_type", {"name": "git"}, "git"),
    ("repo", {"repo_type_id": "git", "name": "ecommerce",
              "url": "https://git.example.com/ecommerce.git"}, "git:ecommerce"),
    ("repo", {"repo_type_id": "ecr", "name": "ecommerce-order-processor"},
     "ecr:ecommerce-order-processor"),
    ("build", {"service_id": SERVICE, "build_num": "42", "vcs_ref": "9f2c1e7"}, BUILD),
    ("build_artifact", {"build_id": BUILD, "input_repo_id": "git:ecommerce",
                        "output_repo_id": "ecr:ecommerce-order-processor", "name": "image",
                        "upload_path": "123456789012.dkr.ecr.us-east-1.amazonaws.com/op:42"},
     BUILD + ":image"),
    ("deployment", {"deployment_target_id": TARGET, "service_id": SERVICE}, DEPLOYMENT),
    ("release", {"build_id": BUILD, "deployment_id": DEPLOYMENT, "build_num": "7"}, RELEASE),
    ("release_artifact", {"release_id": RELEASE, "input_repo_id": "ecr:ecommerce-order-processor",
                          "output_repo_id": "ecr:ecommerce-order-processor", "name": "chart",
                          "upload_path": "123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r7"},
     RELEASE + ":chart"),
    ("language", {"name": "json"}, "json"),
    ("config_template", {"name": "helm-values", "language_id": "json", "doc": "{}"},
     "helm-values"),
    ("stack_config", {"stack_id": "ecommerce:checkout", "config_template_id": "helm-values",
                      "name": "base", "config": "{}"}, "ecommerce:checkout:helm-values:base:default"),
    ("service_config", {"service_id": SERVICE, "config_template_id": "helm-values",
                        "name": "base", "config": "{}"}, SERVICE + ":helm-values:base:default"),
    ("deployment_config", {"deployment_id": DEPLOYMENT, "config_template_id": "helm-values",
                           "name": "base", "config": "{}"}, DEPLOYMENT + ":helm-values:base:default"),
    ("deployment_proc", {"deployment_id": DEPLOYMENT, "proc_id": SERVICE + ":web"}, DPROC),
    ("allocation_type", {"name": "cpu", "unit": "cores"}, "cpu"),
    ("capacity", {"fleet_id": FLEET, "allocation_type_id": "cpu", "value": 100}, FLEET + ":cpu"),
    ("allocation", {"deployment_proc_id": DPROC, "allocation_type_id": "cpu", "watermark": "LOW",
                    "value": 30}, DPROC + ":cpu:LOW"),
]

#: resource -> (fields of one more object, its expected ID, a PATCH that must stick)
CASES = {
    "environment": ({"name": "staging"}, "staging", {"defaults": {"tier": 2}}),
    "provider_type": ({"name": "gcp"}, "gcp", {"defaults": {"recon": {"x": 1}}}),
    "provider": ({"environment_id": "prod", "provider_type_id": "aws",
                  "native_id": "210987654321"}, "prod:aws:210987654321",
                 {"defaults": {"role": "audit"}}),
    "region": ({"provider_id": P, "name": "eu-west-1"}, P + ":eu-west-1",
               {"native_id": "eu-west-1"}),
    "zone": ({"region_id": REGION, "name": "use1-az2"}, REGION + ":use1-az2",
             {"native_id": "use1-az2"}),
    "partition": ({"region_id": REGION, "name": "us-east-1b"}, REGION + ":us-east-1b",
                  {"native_id": "us-east-1b"}),
    "network": ({"partition_id": PART, "name": "edge", "cidr": "10.1.0.0/16"}, PART + ":edge",
                {"native_id": "vpc-0abc"}),
    "subnet": ({"network_id": NET, "name": "eks1", "cidr": "10.0.4.0/22"}, NET + ":eks1",
               {"native_id": "subnet-0abc"}),
    "fleet_type": ({"name": "asg"}, "asg", {"defaults": {"ami": "al2023"}}),
    "fleet": ({"partition_id": PART, "fleet_type_id": "nodegroup", "name": "batch"},
              PART + ":nodegroup:batch", {"native_id": "ng-1"}),
    "deployment_target_type": ({"name": "ecs"}, "ecs", {"defaults": {"a": [1, 2]}}),
    "deployment_target": ({"partition_id": PART, "deployment_target_type_id": "eks",
                           "name": "edge-cluster"}, PART + ":eks:edge-cluster",
                          {"native_id": "arn:aws:eks:us-east-1:123456789012:cluster/edge"}),
    "application": ({"name": "search"}, "search", {"defaults": {"owner": "team-s"}}),
    "stack": ({"application_id": "ecommerce", "name": "catalog"}, "ecommerce:catalog",
              {"defaults": {"k": "v"}}),
    "service": ({"stack_id": "ecommerce:payments", "name": "ledger"}, "ecommerce:payments:ledger",
                {"defaults": {"port": 8080}}),
    "proc": ({"service_id": SERVICE, "name": "worker"}, SERVICE + ":worker",
             {"defaults": {"cmd": "run"}}),
    "repo_type": ({"name": "s3"}, "s3", {"defaults": {"region": "us-east-1"}}),
    "repo": ({"repo_type_id": "git", "name": "infra"}, "git:infra",
             {"url": "https://git.example.com/infra.git"}),
    "build": ({"service_id": SERVICE, "build_num": "43", "vcs_ref": "abc123"}, SERVICE + ":43",
              {"vcs_ref": "def456"}),
    "build_artifact": ({"build_id": BUILD, "input_repo_id": "git:ecommerce",
                        "output_repo_id": "ecr:ecommerce-order-processor", "name": "sbom",
                        "upload_path": "s3://sboms/42.json"}, BUILD + ":sbom",
                       {"upload_path": "s3://sboms/42-v2.json"}),
    "deployment": ({"deployment_target_id": TARGET, "service_id": SERVICE, "tag": "canary"},
                   f"{TARGET}:{SERVICE}:canary", {"native_id": "deploy/op-canary"}),
    "release": ({"build_id": BUILD, "deployment_id": DEPLOYMENT, "build_num": "8"},
                DEPLOYMENT + ":8", {"defaults": {"approved_by": "ops"}}),
    "release_artifact": ({"release_id": RELEASE, "input_repo_id": "ecr:ecommerce-order-processor",
                          "output_repo_id": "ecr:ecommerce-order-processor", "name": "values",
                          "upload_path": "s3://releases/7/values.json"}, RELEASE + ":values",
                         {"upload_path": "s3://releases/7/values-2.json"}),
    "language": ({"name": "yaml"}, "yaml", {"defaults": {"indent": 2}}),
    "config_template": ({"name": "tf-vars", "language_id": "json", "doc": "{\"a\": 1}"},
                        "tf-vars", {"doc": "{\"a\": 2}"}),
    "stack_config": ({"stack_id": "ecommerce:checkout", "config_template_id": "helm-values",
                      "name": "base", "config": "{}", "tag": "v2"},
                     "ecommerce:checkout:helm-values:base:v2", {"config": "{\"x\": 1}"}),
    "service_config": ({"service_id": SERVICE, "config_template_id": "helm-values",
                        "name": "extra", "config": "{}"}, SERVICE + ":helm-values:extra:default",
                       {"config": "{\"y\": 1}"}),
    "deployment_config": ({"deployment_id": DEPLOYMENT, "config_template_id": "helm-values",
                           "name": "extra", "config": "{}"},
                          DEPLOYMENT + ":helm-values:extra:default", {"config": "{\"z\": 1}"}),
    "deployment_proc": ({"deployment_id": DEPLOYMENT, "proc_id": SERVICE + ":worker"},
                        DEPLOYMENT + ":worker", {"defaults": {"replicas": 3}}),
    "allocation_type": ({"name": "memory", "unit": "GiB"}, "memory", {"unit": "MiB"}),
    "capacity": ({"fleet_id": FLEET, "allocation_type_id": "memory", "value": 512},
                 FLEET + ":memory", {"value": 1024}),
    "allocation": ({"deployment_proc_id": DPROC, "allocation_type_id": "cpu",
                    "watermark": "HIGH", "value": 60}, DPROC + ":cpu:HIGH", {"value": 70}),
}

#: Objects a case needs beyond WORLD, created first: resource -> [(resource, fields)].
EXTRA = {
    "deployment_proc": [("proc", {"service_id": SERVICE, "name": "worker"})],
    "capacity": [("allocation_type", {"name": "memory", "unit": "GiB"})],
}
