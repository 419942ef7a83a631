"""The curl examples of README.md and CSV_IMPORT.md work as written, in order, with curl
itself against a real server holding the example inventory (authentication off, as
``make run`` serves; the examples that send a token go to a server with
``QAIRON_AUTH=writes`` and those tokens) — and so does what the README says of
``curl -d`` without a Content-Type (read as JSON: curl sends no cookie)."""
import os
import re
import shutil
import subprocess

import pytest

from qairon_qcli.controllers import ReturningOutputController
from qairon_qcli.plugins.csv_import import CsvImportController
from tests.support.live_server import LiveServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "docs", "csv_examples")
DOCUMENTED = ("http://127.0.0.1:5000", "http://localhost:5000")
STATUS = " -sS -o /dev/null -w '%{http_code}\\n'"

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


def curl_scripts(filename):
    """Each bash block of a document that runs curl: its lines, continuations joined."""
    with open(os.path.join(ROOT, filename), encoding="utf-8") as handle:
        text = handle.read()
    scripts = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        lines = [re.sub(r"\s+#[^'\"]*$", "", line.strip())
                 for line in block.replace("\\\n", " ").splitlines()]
        if any(line.startswith("curl ") for line in lines):
            scripts.append([line for line in lines if line])
    return scripts


def run_script(lines, url, cwd, env=None):
    """Run the lines in one bash, each curl printing its HTTP status; the statuses."""
    script = []
    for line in lines:
        for documented in DOCUMENTED:
            line = line.replace(documented, url)
        script.append(line + STATUS if line.startswith("curl ") else line)
    result = subprocess.run(["bash", "-e", "-c", "\n".join(script)], cwd=cwd,
                            env=dict(os.environ, **(env or {})),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture(scope="module")
def server():
    live = LiveServer().start()
    CsvImportController(ReturningOutputController(), endpoint=live.url).import_dir(EXAMPLES)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def secured_server():
    """A server with ``QAIRON_AUTH=writes`` and the tokens the Authentication examples
    name: ``$ADMIN`` (an admin) and ``$QAIRON_TOKEN`` (a writer)."""
    live = LiveServer(extra_env={"QAIRON_AUTH": "writes"}).start()
    live.tokens = {}
    for variable, name, role in (("ADMIN", "admin", "admin"), ("QAIRON_TOKEN", "ci", "writer")):
        made = live.flask("token", "create", "--name", name, "--role", role)
        assert made.returncode == 0, made.stderr
        live.tokens[variable] = made.stdout.strip()
    yield live
    live.stop()


@pytest.mark.parametrize("filename", ["README.md", "CSV_IMPORT.md"])
def test_documented_curl_examples_succeed_in_order(server, filename, tmp_path, request):
    scripts = curl_scripts(filename)
    assert scripts, f"no curl example in {filename}"
    (tmp_path / "rows.jsonl").write_text(
        '{"resource": "application", "name": "from-jsonl"}\n', encoding="utf-8")
    for lines in scripts:
        if any("Authorization: Bearer" in line for line in lines):
            secured = request.getfixturevalue("secured_server")
            statuses = run_script(lines, secured.url, tmp_path, env=secured.tokens)
        else:
            statuses = run_script(lines, server.url, tmp_path)
        assert len(statuses) == sum(line.startswith("curl ") for line in lines)
        assert all(status.startswith("2") for status in statuses), (lines, statuses)


def test_curl_d_without_a_content_type_is_read_as_json(server, tmp_path):
    statuses = run_script([
        f"curl -X PATCH {server.url}/api/environments/prod -d '{{\"defaults\": {{\"tier\": 2}}}}'",
        f"curl -X POST {server.url}/api/applications -d '{{\"name\": \"by-curl\"}}'",
        f"curl -X POST {server.url}/api/applications -b 'session=x' -d '{{\"name\": \"site\"}}'",
    ], server.url, tmp_path)
    assert statuses == ["200", "201", "415"]
