Feature: Many-to-many links, one at a time
  Link commands add or remove one link atomically on the server.

  Background:
    Given the seed 001 hierarchy exists

  Scenario: Assign and unassign a zone of a deployment
    When I run "qcli deployment assign_zone $DEPLOYMENT_ID prod:aws:123456789012:us-east-1:use1-az1"
    Then it succeeds
    And stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default"
    When I run "qcli deployment get_field $DEPLOYMENT_ID zones"
    Then stdout is "prod:aws:123456789012:us-east-1:use1-az1"
    When I run "qcli deployment assign_zone $DEPLOYMENT_ID prod:aws:123456789012:us-east-1:use1-az1"
    Then the exit code is 4
    And stdout is empty
    And stderr is one line containing "already"
    When I run "qcli deployment unassign_zone $DEPLOYMENT_ID prod:aws:123456789012:us-east-1:use1-az1"
    Then it succeeds
    When I run "qcli deployment get_field $DEPLOYMENT_ID zones -o json"
    Then stdout is a JSON array of 0 elements
    When I run "qcli deployment unassign_zone $DEPLOYMENT_ID prod:aws:123456789012:us-east-1:use1-az1"
    Then the exit code is 3

  Scenario: Link repos to a service
    When I run in a shell
      """
      qcli service assign_repo $SERVICE_ID git:order-processor
      qcli service assign_repo $SERVICE_ID ecr:ecommerce-order-processor
      qcli service get_field $SERVICE_ID repos | sort
      qcli repo get_field git:order-processor services
      """
    Then it succeeds
    And stdout is
      """
      ecommerce:checkout:order-processor
      ecommerce:checkout:order-processor
      ecr:ecommerce-order-processor
      git:order-processor
      ecommerce:checkout:order-processor
      """

  Scenario: A cluster runs on fleets, a fleet uses subnets
    When I run in a shell
      """
      FLEET=prod:aws:123456789012:us-east-1:us-east-1a:nodegroup:workers
      SUBNET=$(qcli subnet create $NETWORK_ID nodes 10.0.128.0/20)
      qcli deployment_target assign_fleet $DT_ID $FLEET > /dev/null
      qcli fleet assign_subnet $FLEET $SUBNET > /dev/null
      qcli deployment_target get_field $DT_ID fleets
      qcli fleet get_field $FLEET subnets
      qcli fleet get_field $FLEET deployment_targets
      """
    Then it succeeds
    And stdout is
      """
      prod:aws:123456789012:us-east-1:us-east-1a:nodegroup:workers
      prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:nodes
      prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster
      """

  Scenario: Links across environments are refused
    Given I ran in a shell
      """
      qcli environment create staging > /dev/null
      qcli provider create staging aws 210987654321 > /dev/null
      qcli region create staging:aws:210987654321 us-east-1 > /dev/null
      qcli zone create staging:aws:210987654321:us-east-1 use1-az1 > /dev/null
      """
    When I run "qcli deployment assign_zone $DEPLOYMENT_ID staging:aws:210987654321:us-east-1:use1-az1"
    Then the exit code is 4
    And stdout is empty
    And stderr is one line containing "environment"
