Feature: Reconciliation as one command (seed 001, "Why Qairon?")
  Each of seed 001's recon recipes — fetch the patterns from defaults, merge type and
  instance, run jq on both sides, diff — is one `qcli recon` line. The patterns stay
  where seed 001 stores them; the actual state comes from a file, stdin or a command.
  Exit 0 in sync, 8 on drift; the latest result is stored and `qcli drift list` shows it.

  Background:
    Given the seed 001 hierarchy exists
    And the seed 001 release is current
    And I ran in a shell
      """
      qcli network set_field $NETWORK_ID native_id vpc-0a1b2c3d4e5f60718 > /dev/null
      qcli deployment_target set_field $DT_ID defaults '{"recon": {"k8s_context": "prod-eks-main"}}' > /dev/null
      qcli deployment_target_type set_field eks defaults '{
        "recon": {
          "k8s_jq": "[.items[] | {service: .metadata.name, namespace: .metadata.namespace, image: .spec.template.spec.containers[0].image}] | sort_by(.service)",
          "qairon_jq": "[.[] | {service: (.service_id | split(\":\") | .[-1]), namespace: (.service_id | split(\":\") | .[1]), image: .current_release.release_artifacts[0].upload_path}] | sort_by(.service)",
          "qairon_field": "deployments"
        }
      }' > /dev/null
      """

  Scenario: Kubernetes deployments in sync
    When I run "qcli recon deployment_target $DT_ID --actual $FIXTURES/kubectl_in_sync.json --actual-key k8s_jq --match service"
    Then it succeeds
    And stdout is
      """
      in_sync: deployment_target prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster: 0 missing, 0 unexpected, 0 changed (1 in Qairon, 1 actual)
      """

  Scenario: Kubernetes drift: an image that differs and a deployment Qairon does not know
    When I run "qcli recon deployment_target $DT_ID --actual-cmd "cat $FIXTURES/kubectl_drift.json" --actual-key k8s_jq --match service"
    Then the exit code is 8
    And stdout is
      """
      drift: deployment_target prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster: 0 missing, 1 unexpected, 1 changed (1 in Qairon, 2 actual)
      unexpected	{"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/refunds:3","namespace":"payments","service":"refunds"}
      changed	{"service":"order-processor"}	image: qairon="123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r7" actual="123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r6"
      """

  Scenario: Drift is a fact that can be listed, until a recon finds the target in sync again
    Given I ran in a shell
      """
      qcli recon deployment_target $DT_ID --actual $FIXTURES/kubectl_drift.json --actual-key k8s_jq --match service > /dev/null || test $? -eq 8
      """
    When I run "qcli drift list --env prod"
    Then it succeeds
    And stdout contains "deployment_target	prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster	drift	"
    When I run "qcli drift list --env dev"
    Then it succeeds
    And stdout is empty
    When I run "qcli recon deployment_target $DT_ID --actual - --actual-key k8s_jq --match service < $FIXTURES/kubectl_in_sync.json > /dev/null && qcli drift list"
    Then it succeeds
    And stdout is empty

  Scenario: The generic recon.sh: actual_jq and qairon_jq, the actual state on stdin
    Given I ran in a shell
      """
      qcli deployment_target_type set_field eks defaults '{
        "recon": {
          "actual_jq": "[.items[] | {service: .metadata.name, image: .spec.template.spec.containers[0].image}] | sort_by(.service)",
          "qairon_jq": "[.[] | {service: (.service_id | split(\":\") | .[-1]), image: .current_release.release_artifacts[0].upload_path}] | sort_by(.service)",
          "qairon_field": "deployments"
        }
      }' > /dev/null
      """
    When I run "cat $FIXTURES/kubectl_in_sync.json | qcli recon deployment_target $DT_ID --actual -"
    Then it succeeds
    When I run "cat $FIXTURES/kubectl_drift.json | qcli recon deployment_target $DT_ID --actual - -o json | jq -cS '.counts'"
    Then stdout is "{"actual":2,"changed":0,"missing":1,"qairon":1,"unexpected":2}"

  Scenario: Service mesh: a deployment missing in the cluster
    When I run "qcli recon deployment_target $DT_ID --actual $FIXTURES/mesh_missing.json --actual-key k8s_jq --match service"
    Then the exit code is 8
    And stdout contains "missing	{"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r7","namespace":"checkout","service":"order-processor"}"
    And stdout contains "unexpected	{"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/pg:11","namespace":"payments","service":"payment-gateway"}"

  Scenario Outline: Terraform VPCs against the network (patterns on the provider type)
    Given I ran in a shell
      """
      qcli provider_type set_field aws defaults '{
        "recon": {
          "terraform": {
            "vpc_jq": ".values.root_module.resources[] | select(.type == \"aws_vpc\") | {native_id: .values.id, cidr: .values.cidr_block}",
            "qairon_network_jq": "{native_id: .native_id, cidr: .cidr}"
          }
        }
      }' > /dev/null
      """
    When I run "qcli recon network $NETWORK_ID --actual $FIXTURES/<fixture> --actual-key terraform.vpc_jq --qairon-key terraform.qairon_network_jq --match native_id"
    Then the exit code is <code>
    And stdout contains "<line>"

    Examples:
      | fixture                  | code | line                                                                          |
      | terraform_in_sync.json   | 0    | in_sync: network                                                              |
      | terraform_extra_vpc.json | 8    | unexpected	{"cidr":"172.16.0.0/16","native_id":"vpc-0badc0ffee0000001"} |

  Scenario Outline: The CMDB against the target's deployments
    Given I ran in a shell
      """
      qcli deployment_target_type set_field eks defaults '{
        "recon": {
          "cmdb_jq": "[.[] | {service: .service_name, cluster: .cluster_name, env: .environment}] | sort_by(.service)",
          "qairon_jq": "[.[] | {service: (.service_id | split(\":\") | .[-1]), cluster: (.deployment_target_id | split(\":\") | .[-1]), env: (.deployment_target_id | split(\":\") | .[0])}] | sort_by(.service)",
          "qairon_field": "deployments"
        }
      }' > /dev/null
      """
    When I run "qcli recon deployment_target $DT_ID --actual $FIXTURES/<fixture> --actual-key cmdb_jq --match service"
    Then the exit code is <code>
    And stdout contains "<line>"

    Examples:
      | fixture           | code | line                                                   |
      | cmdb_in_sync.json | 0    | in_sync: deployment_target                             |
      | cmdb_drift.json   | 8    | changed	{"service":"order-processor"}	env: qairon="prod" actual="staging" |

  Scenario Outline: ECR images against the repository's build artifacts
    Given I ran in a shell
      """
      qcli repo_type set_field ecr defaults '{
        "recon": {
          "ecr_jq": "[.imageDetails[] | .imageTags[] | {image: ($repo + \":\" + .)}] | sort_by(.image)",
          "qairon_jq": "[.[] | {image: .upload_path}] | sort_by(.image)",
          "qairon_field": "build_artifacts"
        }
      }' > /dev/null
      qcli repo set_field ecr:ecommerce-order-processor defaults '{"recon": {"repository": "ecommerce/order-processor"}}' > /dev/null
      """
    When I run "qcli recon repo ecr:ecommerce-order-processor --actual $FIXTURES/<fixture> --actual-key ecr_jq --arg repo 123456789012.dkr.ecr.us-east-1.amazonaws.com/op"
    Then the exit code is <code>
    And stdout contains "<line>"

    Examples:
      | fixture          | code | line                                                                         |
      | ecr_in_sync.json | 0    | in_sync: repo ecr:ecommerce-order-processor                                  |
      | ecr_drift.json   | 8    | unexpected	{"image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/op:latest"} |

  Scenario: A pattern missing from defaults names the key and where it was looked for
    When I run "qcli recon deployment_target $DT_ID --actual $FIXTURES/kubectl_in_sync.json --actual-key argo_jq"
    Then the exit code is 4
    And stderr is one line containing "no 'argo_jq' in the effective defaults.recon of deployment_target 'prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster'"

  Scenario: A command that fails is reported with its exit status
    When I run "qcli recon deployment_target $DT_ID --actual-cmd 'false' --actual-key k8s_jq"
    Then the exit code is 1
    And stderr is one line containing "--actual-cmd false exited 1"
