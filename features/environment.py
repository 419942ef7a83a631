"""behave harness: a real Qairon server per feature, and the real ``qcli`` on PATH.

Each feature gets a fresh database (SQLite, or a throw-away PostgreSQL database
when ``QAIRON_TEST_DATABASE_URL`` is set) and a server on a free port, started
by ``tests/support/live_server.py``, with authentication off unless the feature
is tagged ``@auth`` (then ``QAIRON_AUTH=writes``, and the background data is
written with an admin token made by ``flask --app qairon token create``).
``behave -D backend=sqlite`` forces SQLite even when the variable is set, so one
run per backend covers both. Steps run the ``qcli`` console script of the
interpreter's environment through ``bash -c``.
"""
import os
import shutil
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.support.live_server import LiveServer  # noqa: E402


def _qcli_bin_dir(tmpdir):
    """The directory holding ``qcli``: the venv's, or a shim running the checkout."""
    bin_dir = os.path.dirname(sys.executable)
    if os.path.exists(os.path.join(bin_dir, "qcli")):
        return bin_dir
    shim_dir = os.path.join(tmpdir, "bin")
    os.makedirs(shim_dir, exist_ok=True)
    shim = os.path.join(shim_dir, "qcli")
    with open(shim, "w", encoding="utf-8") as handle:
        handle.write(f'#!/bin/sh\nPYTHONPATH="{REPO_ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" '
                     f'exec "{sys.executable}" -m qairon_qcli "$@"\n')
    os.chmod(shim, 0o755)
    return shim_dir


def before_all(context):
    context.tmpdir = tempfile.mkdtemp(prefix="qairon-behave-")
    context.bin_dir = _qcli_bin_dir(context.tmpdir)
    if shutil.which("jq") is None:
        raise RuntimeError("the features need jq on PATH (apt-get install jq)")


def before_feature(context, feature):
    backend = context.config.userdata.get("backend", "")
    if backend == "postgresql" and not os.environ.get("QAIRON_TEST_DATABASE_URL"):
        raise RuntimeError("-D backend=postgresql needs QAIRON_TEST_DATABASE_URL")
    database_url = "sqlite" if backend == "sqlite" else None
    extra_env = {"QAIRON_AUTH": "writes"} if "auth" in feature.tags else None
    context.server = LiveServer(database_url=database_url, extra_env=extra_env).start()
    context.endpoint = context.server.url
    if extra_env:
        made = context.server.flask("token", "create", "--name", "behave-admin", "--role", "admin")
        if made.returncode != 0:
            raise RuntimeError("flask token create failed:\n" + made.stderr)
        context.server.admin_token = made.stdout.strip()


def after_feature(context, feature):
    server = getattr(context, "server", None)
    if server is not None:
        server.stop()


def before_scenario(context, scenario):
    context.workdir = tempfile.mkdtemp(prefix="scenario-", dir=context.tmpdir)
    context.github_env = os.path.join(context.workdir, "github_env")
    open(context.github_env, "w").close()
    context.shell_vars = {}
    context.result = None


def after_all(context):
    shutil.rmtree(getattr(context, "tmpdir", ""), ignore_errors=True)
