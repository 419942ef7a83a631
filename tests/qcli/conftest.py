"""Fixtures of the qcli suite: in-process ``main`` runs and a live server."""
import io
import os
import sys
from dataclasses import dataclass

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from qairon_qcli.cli import Environment, main  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402


@dataclass
class Result:
    """What one in-process qcli run produced."""

    status: int
    stdout: str
    stderr: str


class FakeTTY(io.StringIO):
    """A stdout that says it is a terminal."""

    def isatty(self):
        return True


def run_qcli(argv, endpoint="http://127.0.0.1:9", tty=False, environ=None):
    """Call ``main(argv)`` in-process and capture status, stdout and stderr."""
    stdout = FakeTTY() if tty else io.StringIO()
    stderr = io.StringIO()
    env_vars = {"QAIRON_ENDPOINT": endpoint}
    env_vars.update(environ or {})
    env = Environment(stdout=stdout, stderr=stderr, stdout_isatty=tty, environ=env_vars)
    status = main(argv, env)
    return Result(int(status), stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def qcli():
    """``qcli(argv, ...)`` runs in-process against an unreachable endpoint by default."""
    return run_qcli


def serving():
    """Start a real Qairon server on a free port (SQLite, or QAIRON_TEST_DATABASE_URL),
    yield it, and stop it: the body of every live-server fixture."""
    try:
        server = LiveServer().start()
    except RuntimeError as exc:
        pytest.fail(f"cannot start the Qairon server: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server():
    """A real Qairon server shared by the session."""
    yield from serving()


@pytest.fixture
def live(live_server):
    """``live(argv)`` runs qcli in-process against the live server."""
    def run(argv, **kw):
        return run_qcli(argv, endpoint=live_server.url, **kw)
    return run
