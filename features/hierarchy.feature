Feature: Building the seed 001 hierarchies with qcli
  Pipelines and people create the provider and application hierarchies with
  positional create commands; each create prints the new ID alone, so that
  $(...) captures it.

  Scenario: Build the provider hierarchy down to a cluster
    When I run in a shell
      """
      ENV=$(qcli environment create prod)
      qcli provider_type create aws
      PROVIDER=$(qcli provider create $ENV aws 123456789012)
      REGION=$(qcli region create $PROVIDER us-east-1)
      PARTITION=$(qcli partition create $REGION us-east-1a)
      NETWORK=$(qcli network create $PARTITION main-vpc 10.0.0.0/16)
      qcli deployment_target_type create eks
      DT_ID=$(qcli deployment_target create $PARTITION eks main-cluster)
      echo "NETWORK=$NETWORK" >> $GITHUB_ENV
      echo "DT_ID=$DT_ID" >> $GITHUB_ENV
      """
    Then it succeeds
    And stdout is
      """
      aws
      eks
      """
    And $NETWORK is "prod:aws:123456789012:us-east-1:us-east-1a:main-vpc"
    And $DT_ID is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster"
    When I run "qcli network get $NETWORK -o json | jq -r '.cidr'"
    Then stdout is "10.0.0.0/16"
    When I run "qcli deployment_target list"
    Then stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster"

  Scenario: Build the application hierarchy
    When I run in a shell
      """
      qcli application create ecommerce
      qcli stack create ecommerce checkout
      qcli stack create ecommerce payments
      qcli service create ecommerce:checkout order-processor
      qcli service create ecommerce:payments payment-gateway
      qcli service create ecommerce:payments refunds
      """
    Then it succeeds
    And stdout is
      """
      ecommerce
      ecommerce:checkout
      ecommerce:payments
      ecommerce:checkout:order-processor
      ecommerce:payments:payment-gateway
      ecommerce:payments:refunds
      """
    When I run "qcli service get ecommerce:checkout:order-processor -o json | jq -r '.stack_id'"
    Then stdout is "ecommerce:checkout"
    When I run "qcli service list | sort"
    Then stdout is
      """
      ecommerce:checkout:order-processor
      ecommerce:payments:payment-gateway
      ecommerce:payments:refunds
      """

  Scenario: Walk relations with get_field
    Given the seed 001 hierarchy exists
    When I run "qcli stack get_field ecommerce:payments services | sort"
    Then it succeeds
    And stdout is
      """
      ecommerce:payments:payment-gateway
      ecommerce:payments:refunds
      """
    When I run "qcli stack get_field ecommerce:checkout services -o json"
    Then stdout is a JSON array of 1 element
    When I run "qcli service get_field ecommerce:checkout:order-processor deployments"
    Then stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default"
    When I run "qcli service get_field ecommerce:payments:refunds deployments -o json"
    Then stdout is a JSON array of 0 elements
    When I run "qcli service get_field ecommerce:checkout:order-processor stack"
    Then stdout is "ecommerce:checkout"
    When I run "qcli service get_field ecommerce:checkout:order-processor name -o json"
    Then stdout is the JSON value "order-processor"
    When I run "qcli service get_field ecommerce:checkout:order-processor name"
    Then stdout is "order-processor"

  Scenario: Query with a dotted path through a relation
    Given the seed 001 hierarchy exists
    When I run "qcli service query '{"filters":[{"name":"stack.application_id","op":"eq","val":"ecommerce"}]}' -o json | jq -r '.[].id' | sort"
    Then it succeeds
    And stdout is
      """
      ecommerce:checkout:order-processor
      ecommerce:payments:payment-gateway
      ecommerce:payments:refunds
      """
    When I run "qcli deployment query '{"filters":[{"name":"service_id","op":"eq","val":"ecommerce:checkout:order-processor"}]}'"
    Then stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default"
    When I run "qcli service query '[{"name":"stack_id","op":"eq","val":"ecommerce:nothing"}]' -o json"
    Then stdout is a JSON array of 0 elements

  Scenario: Select fields, tab-separated
    Given the seed 001 hierarchy exists
    When I run "qcli service list -f name -f stack_id | sort"
    Then stdout is
      """
      order-processor	ecommerce:checkout
      payment-gateway	ecommerce:payments
      refunds	ecommerce:payments
      """
    When I run "qcli service list | head -1"
    Then it succeeds
    And stderr is empty
