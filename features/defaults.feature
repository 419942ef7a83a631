Feature: Reconciliation patterns stored in defaults (seed 001)
  JSON fields are set from JSON text and read back as compact JSON that jq
  accepts, so shell pipelines can fetch, merge and use the stored patterns.

  Background:
    Given the seed 001 hierarchy exists
    And I ran in a shell
      """
      qcli deployment_target_type set_field eks defaults '{
        "recon": {
          "k8s_jq": "[.items[] | {service: .metadata.name, namespace: .metadata.namespace, image: .spec.template.spec.containers[0].image}] | sort_by(.service)",
          "qairon_jq": "[.[] | {service: (.service_id | split(\":\") | .[-1]), namespace: (.service_id | split(\":\") | .[1]), image: .current_release.release_artifacts[0].upload_path}] | sort_by(.service)"
        }
      }' > /dev/null
      qcli deployment_target set_field prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster defaults '{
        "recon": {
          "k8s_context": "prod-eks-main-cluster"
        }
      }' > /dev/null
      """

  Scenario: Read type and instance defaults back through jq
    When I run in a shell
      """
      TYPE_DEFAULTS=$(qcli deployment_target_type get_field eks defaults -o plain)
      INSTANCE_DEFAULTS=$(qcli deployment_target get_field prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster defaults -o plain)
      K8S_JQ=$(echo $TYPE_DEFAULTS | jq -r '.recon.k8s_jq')
      K8S_CTX=$(echo $INSTANCE_DEFAULTS | jq -r '.recon.k8s_context')
      echo "$K8S_CTX"
      echo "$K8S_JQ"
      """
    Then it succeeds
    And stdout is
      """
      prod-eks-main-cluster
      [.items[] | {service: .metadata.name, namespace: .metadata.namespace, image: .spec.template.spec.containers[0].image}] | sort_by(.service)
      """

  Scenario: A JSON field prints as one line of compact JSON
    When I run "qcli deployment_target get_field $DT_ID defaults -o plain"
    Then stdout is "{"recon":{"k8s_context":"prod-eks-main-cluster"}}"
    When I run "qcli deployment_target get_field $DT_ID defaults -o json | jq -c ."
    Then stdout is "{"recon":{"k8s_context":"prod-eks-main-cluster"}}"

  Scenario: Merge type and instance defaults
    When I run in a shell
      """
      merge_defaults() {
        local type_defaults=$1 instance_defaults=$2
        echo "$type_defaults" "$instance_defaults" | jq -s '.[0] * .[1]'
      }
      TYPE=$(qcli deployment_target_type get_field eks defaults -o plain)
      INSTANCE=$(qcli deployment_target get_field $DT_ID defaults -o plain)
      MERGED=$(merge_defaults "$TYPE" "$INSTANCE")
      echo "$MERGED" | jq -r '.recon.k8s_context'
      echo "$MERGED" | jq -r '.recon | keys | join(",")'
      """
    Then it succeeds
    And stdout is
      """
      prod-eks-main-cluster
      k8s_context,k8s_jq,qairon_jq
      """

  Scenario: Load patterns into environment variables and diff intended against actual
    When I run in a shell
      """
      eval $(qcli deployment_target_type get_field eks defaults -o plain | \
        jq -r '.recon | to_entries[] | "export RECON_\(.key | ascii_upcase)=\((.value | @json))"')
      echo '{"items":[{"metadata":{"name":"order-processor","namespace":"checkout"},"spec":{"template":{"spec":{"containers":[{"image":null}]}}}}]}' > kubectl.json
      jq "$RECON_K8S_JQ" kubectl.json > actual.json
      qcli deployment_target get_field $DT_ID deployments -o json | jq "$RECON_QAIRON_JQ" > intended.json
      diff actual.json intended.json && echo same
      """
    Then it succeeds
    And stdout is "same"

  Scenario: Setting defaults to something that is not a JSON object is refused
    When I run "qcli environment set_field prod defaults '[1, 2]'"
    Then the exit code is 2
    And stdout is empty
    When I run "qcli environment set_field prod defaults '{oops'"
    Then the exit code is 2
    And stderr is one line containing "not valid JSON"
