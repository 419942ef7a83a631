"""The parser, usage errors and exit codes, in-process and without a server."""
import io

import pytest

from qairon_qcli.cli import Environment, ExitStatus, build
from qairon_qcli.parser import chosen_context
from qairon_qcli.schema import Schema


def parse(argv):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    return build(argv, env, Schema()).parse_args(argv)


def test_help_lists_resources_and_exits_ok(qcli):
    result = qcli(["--help"])
    assert result.status == ExitStatus.OK
    assert "deployment_target" in result.stdout and "service" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("resource, command", [
    ("deployment", "assign_zone"), ("deployment", "unassign_zone"),
    ("service", "assign_repo"), ("service", "unassign_repo"),
    ("deployment_target", "assign_fleet"), ("fleet", "assign_subnet"),
    ("network", "allocate_subnet"), ("network", "free"),
    ("build", "create"), ("release", "set_field"), ("stack", "query"),
])
def test_resource_help_lists_its_commands(qcli, resource, command):
    result = qcli([resource, "--help"])
    assert result.status == ExitStatus.OK
    assert command in result.stdout


@pytest.mark.parametrize("resource, positionals", [
    ("build", "SERVICE_ID BUILD_NUM VCS_REF"),
    ("release", "BUILD_ID DEPLOYMENT_ID BUILD_NUM"),
    ("build_artifact", "BUILD_ID INPUT_REPO_ID OUTPUT_REPO_ID NAME UPLOAD_PATH"),
    ("service", "STACK_ID NAME"),
    ("network", "PARTITION_ID NAME CIDR"),
    ("deployment_target", "PARTITION_ID DEPLOYMENT_TARGET_TYPE_ID NAME"),
])
def test_create_positionals_follow_the_spec_order(qcli, resource, positionals):
    result = qcli([resource, "create", "--help"])
    assert positionals in " ".join(result.stdout.split())


def test_create_options_come_from_the_schema(qcli):
    out = qcli(["deployment", "create", "--help"]).stdout
    assert "--tag" in out and "--native-id" in out and "--defaults" in out
    assert "--url" in qcli(["repo", "create", "--help"]).stdout


def test_options_are_accepted_anywhere_on_the_line():
    args = parse(["service", "get", "a:b:c", "-o", "json", "-f", "id", "-f", "name"])
    assert (args.output, args.fields, args.resource_id) == ("json", ["id", "name"], "a:b:c")
    args = parse(["-o", "plain", "--endpoint", "http://x:1", "service", "list"])
    assert (args.output, args.endpoint, args.command) == ("plain", "http://x:1", "list")
    args = parse(["service", "-o", "json", "list"])
    assert args.output == "json"


def test_chosen_context_skips_option_values():
    assert chosen_context(["-o", "json", "--endpoint", "http://h", "stack", "list"]) == "stack"
    assert chosen_context(["--output=json", "stack"]) == "stack"
    assert chosen_context(["--help"]) is None


def test_unknown_resource_is_a_usage_error_on_one_line(qcli):
    result = qcli(["servic", "list"])
    assert result.status == ExitStatus.USAGE
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "invalid choice" in result.stderr and "did you mean service" in result.stderr


def test_missing_create_argument_is_a_usage_error(qcli):
    result = qcli(["service", "create", "ecommerce:checkout"])
    assert result.status == ExitStatus.USAGE
    assert "NAME" in result.stderr and result.stdout == ""


def test_unknown_field_is_a_usage_error(qcli):
    result = qcli(["service", "get_field", "a:b:c", "nonsense"])
    assert result.status == ExitStatus.USAGE


@pytest.mark.parametrize("argv", [
    ["service", "query", "{not json"],
    ["service", "set_field", "a:b:c", "defaults", "{not json"],
    ["service", "create", "a:b", "c", "--defaults", "[1"],
    ["network", "allocate_subnet", "n", "six", "eks0"],
])
def test_bad_input_is_refused_before_any_request(qcli, argv):
    result = qcli(argv)
    assert result.status == ExitStatus.USAGE
    assert result.stdout == ""
    assert "cannot reach" not in result.stderr


def test_unreachable_server_is_one_line_and_exit_6(qcli):
    result = qcli(["environment", "list"], endpoint="http://127.0.0.1:9")
    assert result.status == ExitStatus.CONNECTION == 6
    assert result.stdout == ""
    assert result.stderr == "qcli: cannot reach http://127.0.0.1:9: connection refused\n"


def test_endpoint_option_overrides_the_environment(qcli):
    result = qcli(["environment", "list", "--endpoint", "http://127.0.0.1:7"],
                  endpoint="http://127.0.0.1:9")
    assert "http://127.0.0.1:7" in result.stderr
