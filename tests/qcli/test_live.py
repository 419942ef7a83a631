"""qcli in-process against a real server: output formats, paging, completion."""
import io
import json
import os
import subprocess
import sys

import pytest

from qairon_qcli import client as qclient
from qairon_qcli.cli import Environment, ExitStatus, main
from qairon_qcli.completion import Completers
from qairon_qcli.schema import Schema

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def seeded(live_server):
    """A few applications, stacks and services."""
    from qairon_qcli.controllers import QCLIController, ReturningOutputController
    qcli = QCLIController(ReturningOutputController(), endpoint=live_server.url)
    for app in ("shop", "blog"):
        try:
            qcli.create(resource="application", name=app)
        except qclient.Conflict:
            pass
    for stack in ("web", "api"):
        try:
            qcli.create(resource="stack", application_id="shop", name=stack)
        except qclient.Conflict:
            pass
    for index in range(23):
        try:
            qcli.create(resource="service", stack_id="shop:web", name=f"svc{index:02d}")
        except qclient.Conflict:
            pass
    return qcli


def test_create_prints_the_id_alone(live):
    result = live(["environment", "create", "dev"])
    assert (result.status, result.stdout, result.stderr) == (0, "dev\n", "")


def test_lists_follow_every_page(live, seeded, monkeypatch):
    monkeypatch.setattr(qclient, "PAGE_SIZE", 5)
    result = live(["stack", "get_field", "shop:web", "services"])
    ids = result.stdout.splitlines()
    assert len(ids) == 23 and len(set(ids)) == 23
    data = json.loads(live(["service", "list", "-o", "json"]).stdout)
    assert len(data) == 23


def test_get_formats(live, seeded):
    as_json = json.loads(live(["stack", "get", "shop:web", "-o", "json"]).stdout)
    assert as_json["id"] == "shop:web" and as_json["application_id"] == "shop"
    plain = live(["stack", "get", "shop:web"]).stdout
    assert "application_id\tshop\n" in plain
    fields = live(["stack", "get", "shop:web", "-f", "application_id", "-f", "name"]).stdout
    assert fields == "shop\tweb\n"


def test_terminal_output_is_a_table(live, seeded):
    result = live(["stack", "list"], tty=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ID")
    assert sorted(lines[1:]) == ["shop:api", "shop:web"]


def test_get_field_scalar_and_json_values(live, seeded):
    assert live(["stack", "get_field", "shop:web", "name"]).stdout == "web\n"
    assert live(["stack", "get_field", "shop:web", "name", "-o", "json"]).stdout == '"web"\n'
    assert live(["stack", "set_field", "shop:web", "defaults", '{"tier": 1}']).status == 0
    assert live(["stack", "get_field", "shop:web", "defaults"]).stdout == '{"tier":1}\n'


def test_set_field_of_an_identity_field_is_refused(live, seeded):
    result = live(["stack", "set_field", "shop:web", "name", "other"])
    assert result.status in (ExitStatus.USAGE, ExitStatus.CONFLICT)
    assert result.stdout == "" and result.stderr.count("\n") == 1


def test_query_accepts_both_forms(live, seeded):
    text = '[{"name": "application_id", "op": "eq", "val": "shop"}]'
    assert sorted(live(["stack", "query", text]).stdout.split()) == ["shop:api", "shop:web"]
    wrapped = json.dumps({"filters": json.loads(text)})
    assert json.loads(live(["stack", "query", wrapped, "-o", "json"]).stdout)[0]["id"]


def test_not_found_and_conflict_exit_codes(live, seeded):
    missing = live(["stack", "get", "shop:nothing"])
    assert missing.status == ExitStatus.NOT_FOUND and missing.stdout == ""
    assert "shop:nothing" in missing.stderr
    assert live(["application", "create", "shop"]).status == ExitStatus.CONFLICT
    assert live(["application", "delete", "shop"]).status == ExitStatus.CONFLICT


def test_delete_prints_the_counts(live, seeded):
    assert live(["application", "delete", "blog"]).stdout == "application\t1\n"


def test_ids_complete_by_prefix(live_server, seeded):
    completers = Completers(Schema(), {"QAIRON_ENDPOINT": live_server.url})
    assert completers.fetch_ids("stack", "shop:w") == ["shop:web"]
    assert len(completers.fetch_ids("service", "shop:web:svc")) == 23
    assert Completers(Schema(), {}).fetch_ids("stack", "x", "http://127.0.0.1:9") == []


def _qcli_process(args, endpoint, **kw):
    env = dict(os.environ, QAIRON_ENDPOINT=endpoint, PYTHONPATH=REPO_ROOT)
    env.update(kw.pop("env", {}))
    return subprocess.Popen([sys.executable, "-m", "qairon_qcli", *args], env=env,
                            cwd=REPO_ROOT, **kw)


def test_argcomplete_completes_commands_and_ids(live_server, seeded, tmp_path):
    def complete(line):
        out_file = tmp_path / "completions"
        env = {"_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": line,
               "COMP_POINT": str(len(line)), "COMP_TYPE": "9",
               "_ARGCOMPLETE_STDOUT_FILENAME": str(out_file)}
        process = _qcli_process([], live_server.url, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        process.wait(timeout=30)
        out = out_file.read_text()
        return sorted(w.strip() for w in out.split("\n") if w.strip())
    assert complete("qcli stac") == ["stack", "stack_config"]
    assert "get_field" in complete("qcli stack get")
    assert complete("qcli stack get shop:a") == ["shop:api"]


def test_a_closed_pipe_ends_quietly(live_server, seeded):
    process = _qcli_process(["service", "list", "-o", "json"], live_server.url,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=30) == 0
    assert stderr == b""


def test_broken_pipe_in_process_returns_ok(live_server, seeded):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    stderr = io.StringIO()
    env = Environment(stdout=ClosedPipe(), stderr=stderr, stdout_isatty=False,
                      environ={"QAIRON_ENDPOINT": live_server.url})
    assert main(["service", "list"], env) == ExitStatus.OK
    assert stderr.getvalue() == ""
