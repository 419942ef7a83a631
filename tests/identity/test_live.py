"""Identity against real servers: gunicorn workers, ``flask token``, qcli, the start-up log."""
import os
import re
import stat
import subprocess
import sys
import tempfile
import time

import pytest
import requests

from qairon_qcli.cli import ExitStatus
from qairon_qcli.client import Client
from qairon_qcli.controllers import QCLIController, ReturningOutputController
from tests.qcli.conftest import run_qcli
from tests.server.data import BUILD, DEPLOYMENT
from tests.support import servers
from tests.support.live_server import REPO_ROOT, LiveServer, PostgresDatabase
from tests.support.world import WORLD

from .conftest import DEV_DEPLOYMENT, DEV_WORLD

PG_URL = os.environ.get("QAIRON_TEST_DATABASE_URL")


def flask(database_url, *args):
    """``flask --app qairon <args>`` on ``database_url``; the completed process."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "qairon", *args],
                          cwd=REPO_ROOT, env=servers.server_env(database_url),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def database_url(tmp_path):
    """A migrated database: PostgreSQL when configured, else a SQLite file."""
    if PG_URL:
        database = PostgresDatabase(PG_URL)
        url = database.create()
    else:
        database, url = None, "sqlite:///" + str(tmp_path / "qairon.db")
    servers.migrate(url)
    yield url
    if database is not None:
        database.drop()


def test_revocation_reaches_every_gunicorn_worker_within_a_second(database_url, tmp_path,
                                                                   monkeypatch):
    """gunicorn as ``make serve`` runs it (QAIRON_AUTH unset: writes need a token)."""
    monkeypatch.setenv("QAIRON_ACCESS_LOG", "-")
    log_path = str(tmp_path / "server.log")
    process, url = servers.serve(database_url, log_path, workers=2, threads=2, auth=None)
    secrets_seen = []
    try:
        created = flask(database_url, "token", "create", "--name", "admin", "--role", "admin")
        assert created.returncode == 0, created.stderr
        admin = {"Authorization": f"Bearer {created.stdout.strip()}"}
        secrets_seen.append(created.stdout.strip())
        assert requests.post(url + "/api/environments", json={"name": "dev"}).status_code == 401
        made = requests.post(url + "/api/tokens", json={"name": "ci", "role": "writer"},
                             headers=admin)
        assert made.status_code == 201
        victim = {"Authorization": f"Bearer {made.json()['secret']}"}
        secrets_seen.append(made.json()["secret"])
        for _ in range(30):  # new connections: both workers see (and remember) the token
            assert requests.get(url + "/api/whoami", headers=victim).status_code == 200
        assert requests.delete(url + "/api/tokens/ci", headers=admin).status_code == 200
        revoked_at = last_accepted = time.monotonic()
        refused_in_a_row = 0
        while refused_in_a_row < 30:
            status = requests.get(url + "/api/whoami", headers=victim).status_code
            if status == 200:
                last_accepted, refused_in_a_row = time.monotonic(), 0
            else:
                assert status == 401
                refused_in_a_row += 1
            assert time.monotonic() - revoked_at < 5
        assert last_accepted - revoked_at < 1.0
    finally:
        servers.stop(process)
    with open(log_path, encoding="utf-8") as handle:
        log = handle.read()
    assert "no admin token exists: create one on the server with 'flask --app qairon " \
           "token create --name admin --role admin'" in log
    assert "GET /api/whoami" in log
    for secret in secrets_seen:
        assert secret not in log and secret[4:] not in log


@pytest.fixture(scope="module")
def secured_server():
    """A live server with ``QAIRON_AUTH=writes``, seed 001's world and a dev copy, and
    tokens: ``server.tokens[name]``."""
    server = LiveServer(extra_env={"QAIRON_AUTH": "writes"}).start()
    try:
        server.tokens = {}
        for name, role, envs in (("admin", "admin", ()), ("ci-dev", "writer", ("dev",))):
            args = ["token", "create", "--name", name, "--role", role]
            for environment in envs:
                args += ["--env", environment]
            done = server.flask(*args)
            assert done.returncode == 0, done.stderr
            server.tokens[name] = done.stdout.strip()
        qcli = QCLIController(ReturningOutputController(),
                              client=Client(server.url, token=server.tokens["admin"]))
        for resource, fields, *_ in list(WORLD) + DEV_WORLD:
            qcli.create(resource=resource, **fields)
        yield server
    finally:
        server.stop()


def test_qcli_whoami_and_exit_7_with_the_sentence(secured_server):
    url = secured_server.url
    token = {"QAIRON_TOKEN": secured_server.tokens["ci-dev"]}
    who = run_qcli(["whoami", "-o", "json"], endpoint=url, environ=token)
    assert who.status == 0 and '"name": "ci-dev"' in who.stdout and '"dev"' in who.stdout
    anonymous = run_qcli(["environment", "create", "qa"], endpoint=url)
    assert anonymous.status == ExitStatus.PERMISSION
    assert "writing needs a token" in anonymous.stderr and anonymous.stderr.count("\n") == 1
    bad = run_qcli(["whoami"], endpoint=url, environ={"QAIRON_TOKEN": "qrn_unknown"})
    assert bad.status == ExitStatus.PERMISSION and "not valid" in bad.stderr
    prod = run_qcli(["release", "create", BUILD, DEPLOYMENT, "99"], endpoint=url, environ=token)
    assert prod.status == ExitStatus.PERMISSION and prod.stdout == ""
    assert re.fullmatch(f"qcli: creating release '{re.escape(DEPLOYMENT)}:99' needs a writer "
                        f"token scoped to prod; this token \\(ci-dev\\) is scoped to dev "
                        f"\\(request [0-9a-f]{{32}}\\)\n", prod.stderr)
    dev = run_qcli(["release", "create", BUILD, DEV_DEPLOYMENT, "99"], endpoint=url,
                   environ=token)
    assert (dev.status, dev.stdout) == (0, f"{DEV_DEPLOYMENT}:99\n")


def test_qcli_reads_its_config_file_only_when_private(secured_server, tmp_path):
    folder = tmp_path / "qairon"
    folder.mkdir()
    path = folder / "qcli.conf"
    path.write_text(f"# qcli\nendpoint = {secured_server.url}\n"
                    f"token = {secured_server.tokens['ci-dev']}\n")
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    os.chmod(path, 0o644)
    exposed = run_qcli(["whoami"], endpoint="", environ=environ)
    assert exposed.status == ExitStatus.USAGE
    assert "chmod 600" in exposed.stderr and secured_server.tokens["ci-dev"] not in exposed.stderr
    os.chmod(path, 0o600)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    who = run_qcli(["whoami"], endpoint="", environ=environ)
    assert who.status == 0 and "name\tci-dev" in who.stdout
    home = {"HOME": str(tmp_path / "home")}
    os.makedirs(tmp_path / "home" / ".config")
    os.rename(folder, tmp_path / "home" / ".config" / "qairon")
    assert "name\tci-dev" in run_qcli(["whoami"], endpoint="", environ=home).stdout


def test_csv_import_refused_rows_name_file_line_and_the_scope(secured_server, tmp_path):
    csv_path = tmp_path / "releases.csv"
    csv_path.write_text("build_id,deployment_id,build_num\n"
                        f"{BUILD},{DEV_DEPLOYMENT},200\n"
                        f"{BUILD},{DEPLOYMENT},200\n")
    result = run_qcli(["csv_import", "import_csv", "release", str(csv_path)],
                      endpoint=secured_server.url,
                      environ={"QAIRON_TOKEN": secured_server.tokens["ci-dev"]})
    assert result.status == ExitStatus.PERMISSION
    assert f"{csv_path}:3:" in result.stderr and "scoped to prod" in result.stderr
    assert f"{csv_path}:2:" not in result.stderr
    listed = requests.get(f"{secured_server.url}/api/releases/{DEV_DEPLOYMENT}:200")
    assert listed.status_code == 404


def test_make_run_style_needs_no_token_and_says_so_once():
    with LiveServer() as server:
        qcli = run_qcli(["environment", "create", "dev"], endpoint=server.url)
        assert (qcli.status, qcli.stdout) == (0, "dev\n")
        warnings = [line for line in server.log().splitlines() if "QAIRON_AUTH=off" in line]
    assert len(warnings) == 1 and "authentication is off" in warnings[0]
    dry = subprocess.run(["make", "-n", "run"], cwd=REPO_ROOT, capture_output=True, text=True,
                         env=dict(os.environ, MAKEFLAGS=""), timeout=60)
    assert "QAIRON_AUTH=off" in dry.stdout and "flask --app qairon run" in dry.stdout


def test_flask_commands_refuse_before_migrations():
    with tempfile.TemporaryDirectory() as folder:
        done = flask("sqlite:///" + os.path.join(folder, "empty.db"), "token", "list")
    assert done.returncode == 1 and "db upgrade" in done.stderr
