"""qcli's action commands and methods come from the schema alone: a new action in
the schema is a new sub-command and a new QCLIController method, with no client code."""
import copy
import io
import json

import pytest

from qairon_qcli import client as qclient
from qairon_qcli.cli import Environment, _parser_class
from qairon_qcli.controllers import QCLIController, ReturningOutputController
from qairon_qcli.parser import build_parser
from qairon_qcli.schema import Schema, load_schema
from tests.qcli.test_client import FakeResponse, FakeSession

PING = {"name": "ping", "help": "ping this {resource}", "method": "POST", "scope": "item",
        "path": "stacks/{id}/ping", "id_help": "ID of the stack", "query": {"loud": "no"},
        "args": [{"name": "times", "help": "how often", "type": "integer", "send": "body"}],
        "options": [{"name": "note", "help": "a note", "type": "json", "send": "body"},
                    {"name": "shout", "help": "louder", "type": "flag",
                     "sets": {"loud": "yes"}, "prints": "value"}],
        "prints": "written"}


@pytest.fixture
def schema():
    document = copy.deepcopy(load_schema())
    document["resources"]["stack"]["actions"].append(PING)
    return Schema(document)


def parse(schema, argv):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    parser, _failures = build_parser(_parser_class(env), argv, schema)
    return parser.parse_args(argv)


def controller(schema, *responses):
    session = FakeSession(*responses)
    return QCLIController(ReturningOutputController(), schema=schema,
                          client=qclient.Client("http://h", session=session)), session


def test_a_new_action_in_the_schema_is_a_sub_command(schema):
    args = parse(schema, ["stack", "ping", "a:b", "3", "--note", '{"x": 1}', "--shout"])
    assert (args.action_name, args.resource_id, args.times, args.note, args.shout) == \
        ("ping", "a:b", 3, '{"x": 1}', True)


def test_a_new_action_in_the_schema_is_a_method(schema):
    qcli, session = controller(schema, FakeResponse(201, {"id": "a:b:pong"}))
    assert qcli.ping("a:b", "3", note='{"x": 1}') == {"id": "a:b:pong"}
    assert session.calls == [("POST", "http://h/api/stacks/a:b/ping", {"loud": "no"},
                              {"times": 3, "note": {"x": 1}})]


def test_a_flag_sets_its_query_parameters_and_what_is_printed(schema):
    qcli, session = controller(schema, FakeResponse(200, 42))
    assert qcli.ping(stack_id="a:b", times=1, shout=True, resource="stack") == 42
    assert session.calls[0][2] == {"loud": "yes"}


def test_an_action_of_one_resource_refuses_another(schema):
    qcli, session = controller(schema)
    with pytest.raises(qclient.InvalidInput, match="ping applies to stack, not service"):
        qcli.ping("x", 1, resource="service")
    with pytest.raises(TypeError):
        qcli.ping()
    assert session.calls == []


def test_bad_values_are_refused_before_any_request(schema):
    qcli, session = controller(schema)
    with pytest.raises(qclient.InvalidInput, match="times must be an integer"):
        qcli.ping("a:b", "three")
    with pytest.raises(qclient.InvalidInput, match="note is not valid JSON"):
        qcli.ping("a:b", 1, note="{nope")
    assert session.calls == []


def test_methods_of_shared_actions_take_the_resource_first():
    qcli, session = controller(Schema(), FakeResponse(200, {"nodes": []}))
    qcli.trace("service", "a:b:c")
    assert session.calls[0][:2] == ("GET", "http://h/api/services/a:b:c/trace")
    assert {"trace", "impact", "defaults", "allocate_subnet", "capacity_report"} <= set(dir(qcli))
    with pytest.raises(AttributeError):
        qcli.no_such_action  # noqa: B018


def test_the_shipped_schema_is_valid_json_with_an_order():
    document = load_schema()
    assert json.loads(json.dumps(document)) == document
    assert sorted(document["order"]) == sorted(document["resources"])
