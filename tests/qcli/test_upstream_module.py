"""The older (upstream) Qairon's Python module names and calls, on ours, against a real
server: the output controllers its scripts import and the calls they make."""
import io
import json

import pytest

from qairon_qcli.controllers import (
    AbstractOutputController,
    IterableOutputController,
    OperationsController,
    PrintingOutputController,
    QaironSchema,
    QCLIController,
    RestController,
    SerializableGenerator,
    StringIOOutputController,
)
from qairon_qcli.controllers.output_controller import simplify_row, simplify_rows
from tests.qcli.conftest import run_qcli, serving


@pytest.fixture(scope="module")
def server():
    yield from serving()


@pytest.fixture(scope="module")
def made(server):
    """A small hierarchy, made as the older scripts make it: one dictionary per create."""
    rows = []
    qcli = QCLIController(IterableOutputController(rows), endpoint=server.url)
    for given in ({"resource": "application", "id": "upapp"},
                  {"resource": "stack", "application_id": "upapp", "name": "web"},
                  {"resource": "service", "stack_id": "upapp:web", "name": "api"},
                  {"resource": "repo_type", "id": "git"},
                  {"resource": "repo", "repo_type_id": "git", "name": "a"},
                  {"resource": "repo", "repo_type_id": "git", "name": "b"},
                  {"resource": "language", "id": "yaml"},
                  {"resource": "config_template", "id": "tpl", "language_id": "yaml", "doc": "a"}):
        qcli.create(given)
    return [json.loads(row)["id"] for row in rows]


def test_creates_from_one_dictionary_into_a_stream(server, made):
    assert made[:3] == ["upapp", "upapp:web", "upapp:web:api"]
    stream = io.StringIO()
    qcli = QCLIController(StringIOOutputController(stream), endpoint=server.url)
    qcli.create({"resource": "service_config", "config_template_id": "tpl",
                 "service_id": "upapp:web:api", "name": "c"})
    written = json.loads(stream.getvalue())
    assert (written["id"], written["config"]) == ("upapp:web:api:tpl:c:default", "{}")
    stream.seek(0)
    stream.truncate()
    qcli.get("stack", "upapp:web", output_format="plain", output_fields=["id", "name"])
    qcli.list("stack", output_format="plain", output_fields=["id"])
    assert stream.getvalue() == "upapp:web webupapp:web"   # no newline between rows
    stream.seek(0)
    stream.truncate()
    assert qcli.get("stack", "upapp:web", q=True) is None and stream.getvalue() == ""


def test_iterable_output_and_collections(server, made):
    rows = []
    output = IterableOutputController(rows)
    qcli = QCLIController(output, endpoint=server.url)
    qcli.add_to_collection("service", "repo", "repos", "upapp:web:api", "git:a")
    qcli.add_to_collection("service", "repo", "repos", "upapp:web:api", "git:b")
    rows.clear()
    qcli.get_field("service", "upapp:web:api", "repos")
    assert [r["id"] for r in output.read_as_json()] == ["git:a", "git:b"] and rows == []
    qcli.del_from_collection("service", "repo", "repos", "upapp:web:api", "git:a")
    rows.clear()
    qcli.get_field("service", "upapp:web:api", "repos", output_format="plain",
                   output_fields=["id"])
    assert rows == ["git:b"]


def test_printing_controller_handles_rows_as_the_cli_printed_them(capsys):
    printing = PrintingOutputController()
    assert isinstance(printing, AbstractOutputController)
    row = {"id": "a:b", "type": "stack", "attributes": {"name": "b"},
           "relationships": {"application": {"data": {"id": "a", "type": "application"}}}}
    printing.handle(row)
    assert json.loads(capsys.readouterr().out) == {"id": "a:b", "name": "b",
                                                   "application_id": "a"}
    printing.handle([[row], [row]], output_format="plain", output_fields=["id"])
    assert capsys.readouterr().out == "a:b\na:b\n"
    assert simplify_row(row, output_fields=["id"]) == {"id": "a:b"}
    assert len(list(simplify_rows([[row, row]]))) == 2
    assert json.loads(json.dumps(SerializableGenerator(iter([1, 2])))) == [1, 2]
    assert json.dumps(SerializableGenerator(iter([]))) == "[]"


def test_rest_and_operations_speak_json_api(server, made, monkeypatch):
    monkeypatch.setenv("QAIRON_ENDPOINT", server.url)
    rest = RestController()
    response = rest.create_resource({"resource": "environment", "id": "uprest"})
    assert response.status_code == 201 and response.json()["data"]["id"] == "uprest"
    stack = rest.get_instance("stack", "upapp:web")
    assert stack["attributes"]["name"] == "web"
    pages = list(rest.query("stack", json.dumps([{"name": "id", "op": "like",
                                                  "val": "upapp%"}])))
    assert [s["id"] for page in pages for s in page] == ["upapp:web"]
    assert [r["id"] for r in OperationsController(rest).list("environment")] == ["uprest"]
    assert rest.delete_resource("environment", "uprest").status_code == 204
    assert QaironSchema.CREATE_FIELDS["stack"][:2] == ["application_id", "name"]
    assert "stack" in QaironSchema().MODELS


def test_the_older_short_flags_are_aliases(server):
    def cli(*argv):
        result = run_qcli(list(argv), endpoint=server.url)
        assert result.status == 0, result.stderr
        return result.stdout.strip()

    cli("environment", "create", "upflags")
    cli("provider_type", "create", "upcloud")
    cli("provider", "create", "upflags", "upcloud", "acct-9")
    cli("region", "create", "upflags:upcloud:acct-9", "r1")
    zone = cli("zone", "create", "upflags:upcloud:acct-9:r1", "z1", "-n", "az-1", "-d",
               '{"rack": 4}')
    shown = json.loads(cli("zone", "get", zone, "-o", "json"))
    assert (shown["native_id"], shown["defaults"]) == ("az-1", {"rack": 4})


def test_quiet_prints_nothing_and_the_exit_code_tells(server):
    quiet = run_qcli(["environment", "create", "upquiet", "-q"], endpoint=server.url)
    assert (quiet.status, quiet.stdout) == (0, "")
    shown = run_qcli(["-q", "environment", "get", "upquiet"], endpoint=server.url)
    assert (shown.status, shown.stdout) == (0, "")
    again = run_qcli(["environment", "create", "upquiet", "-q"], endpoint=server.url)
    assert again.status == 4 and again.stdout == "" and "upquiet" in again.stderr
    loud = run_qcli(["environment", "get", "upquiet", "-f", "id"], endpoint=server.url)
    assert loud.stdout.strip() == "upquiet"
