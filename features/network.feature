Feature: Subnet allocation from qcli
  `qcli network allocate_subnet NETWORK_ID BITS NAME` asks the server for the
  first free block and prints the new subnet's ID.

  Background:
    Given the seed 001 hierarchy exists

  Scenario: Allocate a /22 from the /16 network of seed 001
    When I run "qcli network allocate_subnet prod:aws:123456789012:us-east-1:us-east-1a:main-vpc 6 eks0"
    Then it succeeds
    And stdout is "prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:eks0"
    When I run "qcli subnet get_field prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:eks0 cidr"
    Then stdout is "10.0.0.0/22"
    When I run "qcli network allocate_subnet $NETWORK_ID 6 eks1 -o json | jq -r .cidr"
    Then stdout is "10.0.4.0/22"
    When I run "qcli network get_field $NETWORK_ID subnets | sort"
    Then stdout is
      """
      prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:eks0
      prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:eks1
      """

  Scenario: No free block left is a conflict
    Given I ran in a shell
      """
      qcli network create prod:aws:123456789012:us-east-1:us-east-1a tiny 192.168.0.0/30 > /dev/null
      qcli network allocate_subnet prod:aws:123456789012:us-east-1:us-east-1a:tiny 1 low > /dev/null
      qcli network allocate_subnet prod:aws:123456789012:us-east-1:us-east-1a:tiny 1 high > /dev/null
      """
    When I run "qcli network allocate_subnet prod:aws:123456789012:us-east-1:us-east-1a:tiny 1 more"
    Then the exit code is 4
    And stdout is empty
    And stderr is one line containing "qcli:"

  Scenario: Free space of a network
    When I run "qcli network free $NETWORK_ID -o json | jq -e 'type == "object"'"
    Then it succeeds
