"""``qcli csv_import`` end to end against a real server with its own database."""
import json
import os
import shutil

import pytest
import requests

from qairon_qcli.controllers import ReturningOutputController
from qairon_qcli.plugins.csv_import import CsvImportController, ImportRefused
from tests.support.live_server import LiveServer

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "docs", "csv_examples")


@pytest.fixture(scope="module")
def server():
    """A server of this module alone, so that the inventory starts empty."""
    live = LiveServer().start()
    yield live
    live.stop()


@pytest.fixture
def cli(server, qcli):
    """``cli(*argv)`` runs qcli in-process against this module's server."""
    def run(*argv):
        return qcli(list(argv), endpoint=server.url)
    return run


def count(server, plural):
    return requests.get(f"{server.url}/api/{plural}", params={"limit": 1}, timeout=10).json()[
        "count"]


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_documented_inventory_dry_run_then_import_then_reimport(server, cli, monkeypatch):
    result = cli("csv_import", "import_dir", EXAMPLES, "--dry-run", "-o", "json")
    assert result.status == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["dry_run"] and summary["would_create"] == summary["rows"] > 30
    assert summary["created"] == 0 and not summary["committed"]
    assert summary["changeset"] is None
    assert count(server, "environments") == 0
    result = cli("csv_import", "import_dir", EXAMPLES, "-o", "json")
    assert result.status == 0, result.stderr
    assert json.loads(result.stdout)["committed"]
    assert count(server, "subnets") == 2 and count(server, "deployments") == 2
    stack = requests.get(f"{server.url}/api/stacks/ecommerce:payments", timeout=10).json()
    assert stack["defaults"] == {"pci": True}
    # the seed's commands, word for word, on the documented files: nothing new, no error
    monkeypatch.chdir(EXAMPLES)
    result = cli("csv_import", "import_csv", "application", "applications.csv")
    assert result.status == 0 and "unchanged\t2" in result.stdout
    result = cli("csv_import", "import_csv", "stack", "stacks.csv", "--dry-run", "-o", "json")
    assert result.status == 0
    assert json.loads(result.stdout)["unchanged"] == 3


def test_bad_rows_on_lines_3_and_14_are_both_reported_and_nothing_written(server, cli,
                                                                          tmp_path):
    rows = [f"ecommerce,bulk{i}" for i in range(13)]
    rows[1] = "ecomerce,bulk1"
    rows[12] = "ecommerce,bad:name"
    path = write(tmp_path / "stacks.csv", "application_id,name\n" + "\n".join(rows) + "\n")
    before = count(server, "stacks")
    result = cli("csv_import", "import_csv", "stack", path)
    assert result.status == 4
    lines = result.stderr.splitlines()
    assert lines[0] == "qcli: 2 of 13 rows refused, nothing was written"
    assert lines[1] == (f"{path}:3: application_id 'ecomerce' does not exist "
                        f"(no application has that ID)")
    assert lines[2].startswith(f"{path}:14: name 'bad:name' may not contain ':'")
    assert count(server, "stacks") == before


def test_rows_refer_to_rows_of_the_same_import(server, cli, tmp_path):
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    write(inventory / "services.csv", 'stack_id,name,defaults\nfwd:web,api,"{""port"": 80}"\n')
    write(inventory / "stack.csv", "application_id,name\nfwd,web\n")
    write(inventory / "applications.csv", "name\nfwd\n")
    result = cli("csv_import", "import_dir", str(inventory))
    assert result.status == 0, result.stderr
    service = requests.get(f"{server.url}/api/services/fwd:web:api", timeout=10).json()
    assert service["defaults"] == {"port": 80}


def test_update_patches_and_without_it_a_difference_is_a_conflict(server, cli, tmp_path):
    path = write(tmp_path / "applications.csv", 'name,defaults\nupd,"{""owner"": ""a""}"\n')
    assert cli("csv_import", "import_csv", "application", path).status == 0
    write(tmp_path / "applications.csv", 'name,defaults\nupd,"{""owner"": ""b""}"\nupd2,\n')
    before = count(server, "applications")
    result = cli("csv_import", "import_csv", "application", path)
    assert result.status == 4
    assert f"{path}:2: application 'upd' exists with defaults" in result.stderr
    assert count(server, "applications") == before
    result = cli("csv_import", "import_csv", "application", path, "--update", "-o", "json")
    assert result.status == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["updated"], summary["created"]) == (1, 1)
    changes = requests.get(f"{server.url}/api/changesets/{summary['changeset']}",
                           timeout=10).json()["changes"]
    assert sorted((c["operation"], c["object_id"]) for c in changes) == [
        ("create", "upd2"), ("update", "upd")]
    app = requests.get(f"{server.url}/api/applications/upd", timeout=10).json()
    assert app["defaults"] == {"owner": "b"}


def test_malformed_csv_is_a_usage_error_with_the_line(server, cli, tmp_path):
    path = write(tmp_path / "applications.csv", 'name,defaults\nok,\n"broken,\n')
    result = cli("csv_import", "import_csv", "application", path)
    assert result.status == 2 and result.stdout == ""
    assert result.stderr == (f"qcli: {path}:3: malformed CSV: unbalanced quote: a quoted "
                             f"cell opened here is never closed\n")
    path = write(tmp_path / "stacks.csv", "application_id,name,owner\nx,y,z\n")
    result = cli("csv_import", "import_csv", "stack", path)
    assert result.status == 2 and "unknown column 'owner' for stack" in result.stderr


def test_wrong_column_count_and_rule_errors_are_reported_together(server, cli, tmp_path):
    path = write(tmp_path / "stacks.csv", "application_id,name\nnope,a\nx,y,z\n")
    before = count(server, "stacks")
    result = cli("csv_import", "import_csv", "stack", path, "-o", "json")
    assert result.status == 2
    problems = json.loads(result.stdout)["problems"]
    assert [p["line"] for p in problems] == [2, 3]
    assert "does not exist" in problems[0]["detail"] and "3 cells" in problems[1]["detail"]
    assert count(server, "stacks") == before


def test_python_module_returns_the_summary_and_raises_on_bad_rows(server, tmp_path):
    importer = CsvImportController(ReturningOutputController(), endpoint=server.url)
    path = write(tmp_path / "applications.csv", "name\npy1\npy2\n")
    summary = importer.import_csv(resource="application", file=path, dry_run=True)
    assert summary["would_create"] == 2 and summary["created"] == 0
    assert not summary["committed"]
    assert importer.import_csv(resource="application", file=path)["committed"]
    shutil.copy(path, tmp_path / "stacks.csv")
    with pytest.raises(ImportRefused) as info:
        importer.import_csv(resource="stack", file=write(tmp_path / "stacks.csv",
                                                         "application_id,name\nmissing,x\n"))
    assert info.value.problems[0].line == 2 and info.value.summary["errors"] == 1
