Feature: The CI/CD flow of seed 001
  A GitHub Actions job records its build, build artifact, release and release
  artifact with qcli, passing IDs from step to step through $GITHUB_ENV.

  Background:
    Given the seed 001 hierarchy exists
    And the shell variables
      | name          | value                                                      |
      | BUILD_NUM     | 42                                                         |
      | GITHUB_SHA    | 9fceb02d0ae598e95dc970b74767f19372d61af8                   |
      | IMAGE_REPO_ID | ecr:ecommerce-order-processor                              |
      | SOURCE_REPO_ID | git:order-processor                                       |
      | CHART_REPO_ID | ecr:ecommerce-charts                                       |

  Scenario: Record a build, its artifact, a release and its artifact, then deploy
    When I run in a shell
      """
      BUILD_ID=$(qcli build create $SERVICE_ID $BUILD_NUM $GITHUB_SHA)
      echo "BUILD_ID=$BUILD_ID" >> $GITHUB_ENV
      """
    Then it succeeds
    And stdout is empty
    And $BUILD_ID is "ecommerce:checkout:order-processor:42"
    When I run in a shell
      """
      qcli build_artifact create $BUILD_ID $SOURCE_REPO_ID $IMAGE_REPO_ID image 123456789012.dkr.ecr.us-east-1.amazonaws.com/ecommerce/order-processor:42
      """
    Then it succeeds
    And stdout is "ecommerce:checkout:order-processor:42:image"
    When I run in a shell
      """
      RELEASE_ID=$(qcli release create $BUILD_ID $DEPLOYMENT_ID 7)
      echo "RELEASE_ID=$RELEASE_ID" >> $GITHUB_ENV
      """
    Then it succeeds
    And $RELEASE_ID is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default:7"
    When I run in a shell
      """
      qcli release_artifact create $RELEASE_ID $IMAGE_REPO_ID $CHART_REPO_ID chart 123456789012.dkr.ecr.us-east-1.amazonaws.com/ecommerce/order-processor:42
      qcli deployment set_field $DEPLOYMENT_ID current_release $RELEASE_ID > /dev/null
      """
    Then it succeeds
    And stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default:7:chart"
    When I run "qcli deployment get $DEPLOYMENT_ID -o json | jq -r '.current_release.release_artifacts[0].upload_path'"
    Then stdout is "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecommerce/order-processor:42"
    When I run "qcli deployment get_field $DEPLOYMENT_ID current_release"
    Then stdout is "prod:aws:123456789012:us-east-1:us-east-1a:eks:main-cluster:ecommerce:checkout:order-processor:default:7"
    When I run "qcli deployment_target get_field $DT_ID deployments -o json | jq -c '[.[] | {service: (.service_id | split(":") | .[-1]), image: .current_release.release_artifacts[0].upload_path}]'"
    Then stdout is "[{"service":"order-processor","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/ecommerce/order-processor:42"}]"

  Scenario: Lineage from a build artifact back to the commit
    When I run in a shell
      """
      BUILD_ID=$(qcli build create $SERVICE_ID 43 $GITHUB_SHA)
      ARTIFACT=$(qcli build_artifact create $BUILD_ID $SOURCE_REPO_ID $IMAGE_REPO_ID image registry/op:43)
      BUILD=$(qcli build_artifact get_field $ARTIFACT build)
      qcli build get_field $BUILD vcs_ref
      qcli build get_field $BUILD build_artifacts -f upload_path
      """
    Then it succeeds
    And stdout is
      """
      9fceb02d0ae598e95dc970b74767f19372d61af8
      registry/op:43
      """

  Scenario: A release of another deployment cannot become the current release
    Given I ran in a shell
      """
      qcli deployment create $DT_ID ecommerce:payments:payment-gateway > /dev/null
      BUILD_ID=$(qcli build create $SERVICE_ID 44 $GITHUB_SHA)
      qcli release create $BUILD_ID $DEPLOYMENT_ID 8 > /dev/null
      """
    When I run "qcli deployment set_field $DT_ID:ecommerce:payments:payment-gateway:default current_release $DEPLOYMENT_ID:8"
    Then the exit code is 4
    And stdout is empty
    And stderr is one line containing "current_release"
