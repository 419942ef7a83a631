Feature: History — who changed what, the past, undo
  Every write is recorded with its actor, time and values before and after;
  any read can be made as the database stood at a moment; a bad change is
  undone with one command.

  Background:
    Given the seed 001 hierarchy exists
    And I ran in a shell
      """
      qcli build create $SERVICE_ID 41 1f2e3d4c > /dev/null 2>&1 || true
      qcli build create $SERVICE_ID 42 9fceb02d > /dev/null 2>&1 || true
      qcli release create $SERVICE_ID:41 $DEPLOYMENT_ID 6 > /dev/null 2>&1 || true
      qcli release create $SERVICE_ID:42 $DEPLOYMENT_ID 7 > /dev/null 2>&1 || true
      qcli deployment set_field $DEPLOYMENT_ID current_release $DEPLOYMENT_ID:6 > /dev/null
      qcli deployment set_field $DEPLOYMENT_ID current_release $DEPLOYMENT_ID:7 > /dev/null
      """

  Scenario: Who changed this deployment's current_release yesterday, and what was running before?
    When I run in a shell
      """
      qcli changes --since $(date -u -d yesterday +%F) --id $DEPLOYMENT_ID -o json \
        | jq -r '[.[] | select(.changed | index("current_release_id"))] | last
                 | "\(.actor) changed it from \(.before.current_release_id | split(":") | last) to \(.after.current_release_id | split(":") | last)"'
      """
    Then stdout is "anonymous changed it from 6 to 7"
    When I run in a shell
      """
      CHANGESET=$(qcli deployment history $DEPLOYMENT_ID -o json | jq -r '.results[0].changeset')
      qcli --as-of $((CHANGESET - 1)) deployment get $DEPLOYMENT_ID -o json | jq -r '.current_release.build_id'
      """
    Then stdout is "ecommerce:checkout:order-processor:41"

  Scenario: Undo the last release with one command
    When I run in a shell
      """
      CHANGESET=$(qcli deployment history $DEPLOYMENT_ID -o json | jq -r '.results[0].changeset')
      qcli changeset revert $CHANGESET > /dev/null
      qcli deployment get_field $DEPLOYMENT_ID current_release
      """
    Then stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default:6"

  Scenario: What changed in the last hour
    When I run "qcli diff --since 1h -o json | jq -c '.resources.release'"
    Then stdout is "{"created":2,"updated":0,"deleted":0}"

  Scenario: Bring back the stack someone deleted, then rename a service without breaking its deployment
    When I run in a shell
      """
      qcli stack delete ecommerce:payments --cascade > /dev/null
      qcli stack restore ecommerce:payments --subtree
      qcli service list | grep payments
      """
    Then stdout is
      """
      ecommerce:payments
      ecommerce:payments:payment-gateway
      ecommerce:payments:refunds
      """
    When I run in a shell
      """
      qcli service rename $SERVICE_ID orders
      qcli deployment list
      qcli deployment get_field $DT_ID:ecommerce:checkout:orders:default current_release
      """
    Then stdout is
      """
      ecommerce:checkout:orders
      prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:orders:default
      prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:orders:default:7
      """
    When I run "qcli service get $SERVICE_ID"
    Then the exit code is 3
    And stderr is one line containing "renamed to 'ecommerce:checkout:orders'"
