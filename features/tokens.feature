@auth
Feature: An operator gives a CI job a token for dev
  With authentication on (QAIRON_AUTH=writes, the default of every way of
  serving but `make run`), anyone may read but every write needs a token. The
  operator creates a writer token scoped to dev on the server; the CI job hands
  it to qcli in QAIRON_TOKEN and records its build and release of dev. The same
  token is refused on prod, and stops working once revoked.

  Background:
    Given the seed 001 hierarchy exists
    And a dev deployment of the order processor exists
    And the shell variables
      | name       | value                                    |
      | GITHUB_SHA | 9fceb02d0ae598e95dc970b74767f19372d61af8 |

  Scenario: Without a token qcli reads but cannot write
    When I run "qcli service get $SERVICE_ID -f id"
    Then it succeeds
    And stdout is "ecommerce:checkout:order-processor"
    When I run "qcli build create $SERVICE_ID 1 $GITHUB_SHA"
    Then the exit code is 7
    And stdout is empty
    And stderr is one line containing "writing needs a token"

  Scenario: The operator creates a CI token and the job records a dev release with it
    When I run "flask --app qairon token create --name ci-dev --role writer --env dev --expires 90d > ci-dev.token"
    Then it succeeds
    And stderr contains "token 'ci-dev' created (writer, scoped to dev"
    And stderr contains "shown this once"
    When I run in a shell
      """
      export QAIRON_TOKEN=$(cat ci-dev.token)
      case "$QAIRON_TOKEN" in qrn_*) ;; *) exit 9 ;; esac
      qcli whoami -o json | jq -c '{name, role, environments}'
      """
    Then it succeeds
    And stdout is "{"name":"ci-dev","role":"writer","environments":["dev"]}"
    When I run in a shell
      """
      export QAIRON_TOKEN=$(cat ci-dev.token)
      BUILD_ID=$(qcli build create $SERVICE_ID 42 $GITHUB_SHA)
      qcli build_artifact create $BUILD_ID git:order-processor ecr:ecommerce-order-processor image registry.example.com/op:42 > /dev/null
      RELEASE_ID=$(qcli release create $BUILD_ID $DEV_DEPLOYMENT_ID 7)
      qcli release_artifact create $RELEASE_ID ecr:ecommerce-order-processor ecr:ecommerce-charts chart charts.example.com/op:7 > /dev/null
      qcli deployment set_field $DEV_DEPLOYMENT_ID current_release $RELEASE_ID > /dev/null
      qcli deployment get $DEV_DEPLOYMENT_ID -o json | jq -r '.current_release.release_artifacts[0].upload_path'
      """
    Then it succeeds
    And stdout is "charts.example.com/op:7"

  Scenario: The dev token is refused on prod with a sentence saying what is needed
    Given I ran in a shell
      """
      flask --app qairon token create --name ci-dev-2 --role writer --env dev > ci.token
      """
    When I run in a shell
      """
      export QAIRON_TOKEN=$(cat ci.token)
      BUILD_ID=$(qcli build create $SERVICE_ID 43 $GITHUB_SHA)
      qcli release create $BUILD_ID $DEPLOYMENT_ID 8
      """
    Then the exit code is 7
    And stdout is empty
    And stderr is one line containing "needs a writer token scoped to prod; this token (ci-dev-2) is scoped to dev"
    When I run "QAIRON_TOKEN=$(cat ci.token) qcli service create ecommerce:checkout sneaky"
    Then the exit code is 7
    And stderr is one line containing "a service belongs to no environment"

  Scenario: A revoked token stops working
    Given I ran in a shell
      """
      flask --app qairon token create --name ci-dev-3 --role writer --env dev > ci.token
      QAIRON_TOKEN=$(cat ci.token) qcli whoami > /dev/null
      flask --app qairon token revoke ci-dev-3
      sleep 1.1
      """
    When I run "QAIRON_TOKEN=$(cat ci.token) qcli whoami"
    Then the exit code is 7
    And stderr is one line containing "token 'ci-dev-3' was revoked"
