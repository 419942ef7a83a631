"""qairon_qcli never imports the server's stack, and --help does not load requests."""
import json
import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = """
import json, sys
import qairon_qcli.cli, qairon_qcli.controllers, qairon_qcli.client, qairon_qcli.output
import qairon_qcli.completion, qairon_qcli.plugins
from qairon_qcli.controllers import QCLIController, ReturningOutputController
QCLIController(ReturningOutputController())
print(json.dumps(sorted(sys.modules)))
"""


def _modules(code):
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True,
                         capture_output=True, text=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_client_imports_neither_flask_nor_sqlalchemy():
    modules = _modules(PROBE)
    assert not {m for m in modules if m.split(".")[0] in ("flask", "sqlalchemy", "qairon")}


def test_help_does_not_import_requests():
    code = ("import io, json, sys\nfrom qairon_qcli.cli import main, Environment\n"
            "main(['--help'], Environment(stdout=io.StringIO(), stderr=io.StringIO()))\n"
            "print(json.dumps(sorted(sys.modules)))")
    modules = _modules(code)
    assert "requests" not in modules and "argcomplete" not in modules
