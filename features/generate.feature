Feature: Generate Terraform and Kubernetes files from Qairon (seed 001, operational model 1)
  Config templates are objects: a template body, the resource it renders for and
  an output path pattern. `qcli generate` writes every rendering, deterministically,
  and `--check` is the CI gate that fails with a diff when the files fall behind.

  Background:
    Given the seed 001 hierarchy exists
    And the seed 001 release is current
    And I ran in a shell
      """
      for t in vpc-tf k8s-deployment broken; do qcli config_template delete $t > /dev/null 2>&1 || true; done
      for s in eks0 db0; do qcli subnet delete $NETWORK_ID:$s > /dev/null 2>&1 || true; done
      qcli config_template create vpc-tf hcl --doc-file $EXAMPLES/vpc.tf.j2 --applies-to network \
        --path 'terraform/{{ environment.name }}/{{ region.name }}/{{ obj.name }}.tf' > /dev/null
      qcli config_template create k8s-deployment yaml "$(cat $EXAMPLES/deployment.yaml.j2)" \
        --applies-to deployment \
        --path 'kubernetes/{{ environment.name }}/{{ deployment_target.name }}/{{ stack.name }}/{{ service.name }}-{{ obj.tag }}.yaml' > /dev/null
      qcli network allocate_subnet $NETWORK_ID 6 eks0 > /dev/null
      """

  Scenario: Generate writes the example files from the seed world
    When I run "qcli generate out"
    Then it succeeds
    And stdout is
      """
      create	kubernetes/prod/main-cluster/checkout/order-processor-default.yaml
      create	terraform/prod/us-east-1/main-vpc.tf
      """
    And the files under "out" are those of the examples' "expected" folder

  Scenario: Generating twice changes nothing, byte for byte
    Given I ran in a shell
      """
      qcli generate out > /dev/null
      cp -r out first
      """
    When I run "qcli generate out && diff -r first out"
    Then it succeeds
    And stdout is empty

  Scenario: Render one template for one object
    When I run "qcli network render $NETWORK_ID vpc-tf | head -3"
    Then it succeeds
    And stdout is
      """
      # Generated from Qairon by qcli generate: edit network prod:aws:123456789012:us-east-1:us-east-1a:main-vpc there, not here.
      resource "aws_vpc" "main-vpc" {
        cidr_block = "10.0.0.0/16"
      """

  Scenario: --check passes until a subnet changes in Qairon, then fails with the diff
    Given I ran in a shell
      """
      qcli generate out > /dev/null
      """
    When I run "qcli generate out --check"
    Then it succeeds
    And stdout is empty
    When I run in a shell
      """
      qcli network allocate_subnet $NETWORK_ID 8 db0 > /dev/null
      qcli generate out --check
      """
    Then the exit code is 9
    And stdout contains "--- a/terraform/prod/us-east-1/main-vpc.tf"
    And stdout contains "+  cidr_block        = "10.0.4.0/24""
    And stdout contains "+resource "aws_subnet" "main-vpc-db0" {"

  Scenario: Files a template no longer produces are removed, others are left alone
    Given I ran in a shell
      """
      qcli generate out > /dev/null
      echo "kept" > out/README.md
      qcli config_template set_field k8s-deployment applies_to network > /dev/null
      qcli config_template set_field k8s-deployment path 'k8s/{{ obj.name }}.yaml' > /dev/null
      qcli config_template set_field k8s-deployment doc 'name: {{ obj.name }}' > /dev/null
      """
    When I run "qcli generate out && find out -type f | sort"
    Then it succeeds
    And stdout is
      """
      create	k8s/main-vpc.yaml
      remove	kubernetes/prod/main-cluster/checkout/order-processor-default.yaml
      out/.qairon-generate.json
      out/README.md
      out/k8s/main-vpc.yaml
      out/terraform/prod/us-east-1/main-vpc.tf
      """

  Scenario: A template that names an undefined variable is refused with its line
    When I run in a shell
      """
      qcli config_template create broken hcl $'line one\n{{ obj.nope }}' --applies-to network > /dev/null
      qcli network render $NETWORK_ID broken
      """
    Then the exit code is 4
    And stderr is one line containing "config_template 'broken', doc line 2: 'dict object' has no attribute 'nope'"
