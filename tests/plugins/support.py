"""Running qcli against a server whose plugins add resources (the schema the server writes)."""
import os
import subprocess
import sys

from tests.support.live_server import REPO_ROOT


def plugin_schema(server, path):
    """Write the server's schema (plugins included) to ``path`` with ``flask schema``."""
    done = server.flask("schema", "-o", str(path))
    assert done.returncode == 0, done.stderr[-3000:]
    return str(path)


def qcli(server, schema, *argv, token=None, stdin=None):
    """Run the real ``qcli`` with the plugin schema; the completed process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAIRON_")}
    env.update(QAIRON_ENDPOINT=server.url, QAIRON_QCLI_SCHEMA=schema,
               PYTHONPATH=REPO_ROOT + os.pathsep + env.get("PYTHONPATH", ""),
               HOME=os.path.dirname(schema))
    if token:
        env["QAIRON_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "qairon_qcli", *argv], env=env, input=stdin,
                          capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
