Feature: Errors and exit codes
  An error is one line on stderr, nothing on stdout, and an exit code that
  says what went wrong (docs/QCLI.md has the table).

  Background:
    Given the seed 001 hierarchy exists

  Scenario Outline: <case> exits with <code>
    When I run "<command>"
    Then the exit code is <code>
    And stdout is empty
    And stderr is one line containing "<message>"

    Examples:
      | case                     | command                                                              | code | message                   |
      | unknown resource         | qcli servic list                                                     | 2    | invalid choice            |
      | missing argument         | qcli service create ecommerce:checkout                               | 2    | NAME                      |
      | malformed query          | qcli service query '{"filters": ['                                  | 2    | not valid JSON            |
      | unknown ID               | qcli service get ecommerce:checkout:nothing                          | 3    | ecommerce:checkout:nothing |
      | already exists           | qcli service create ecommerce:checkout order-processor               | 4    | already exists            |
      | unknown parent           | qcli service create ecommerce:nothing api                            | 4    | ecommerce:nothing         |
      | children exist           | qcli stack delete ecommerce:checkout                                 | 4    | ecommerce:checkout        |
      | unreachable server       | qcli --endpoint http://127.0.0.1:9 service list                      | 6    | cannot reach http://127.0.0.1:9: connection refused |
      | bad CIDR                 | qcli network create prod:aws:123456789012:us-east-1:us-east-1a bad 10.0.0.300/8 | 2 | cidr |

  Scenario: A cascade delete is explicit
    Given I ran in a shell
      """
      qcli application create doomed > /dev/null
      qcli stack create doomed web > /dev/null
      qcli service create doomed:web api > /dev/null
      """
    When I run "qcli application delete doomed"
    Then the exit code is 4
    When I run "qcli application delete doomed --cascade -o json | jq -cS .deleted"
    Then it succeeds
    And stdout is "{"application":1,"service":1,"stack":1}"
    When I run "qcli stack get doomed:web"
    Then the exit code is 3

  Scenario: Output to a closed pipe stops quietly
    When I run "set -o pipefail; qcli service list | head -1 > /dev/null"
    Then it succeeds
    And stderr is empty
