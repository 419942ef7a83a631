"""Start a real Qairon server for end-to-end tests (pytest and behave).

    with LiveServer() as server:
        server.url   # http://127.0.0.1:<free port>

The database is a temporary SQLite file, or, when ``QAIRON_TEST_DATABASE_URL``
names a PostgreSQL server, a fresh database ``qairon_test_<random>`` created on
that server for this run and dropped afterwards. The schema is created with
``flask --app qairon db upgrade`` and the server runs as ``flask --app qairon run``
from the interpreter's environment, the way a user runs it.
"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START_TIMEOUT = 60.0


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresDatabase:
    """A throw-away database on the server of ``base_url``."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.name = "qairon_test_" + secrets.token_hex(4)
        parts = urlsplit(base_url)
        self.url = urlunsplit(parts._replace(path="/" + self.name))
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))

    def _execute(self, statement):
        import psycopg2
        connection = psycopg2.connect(self.admin_url)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def create(self):
        """CREATE DATABASE; returns its URL."""
        self._execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self):
        """DROP DATABASE (connections are closed by then)."""
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class LiveServer:
    """A Qairon server subprocess on a free port with its own database.

    ``database_url`` names a PostgreSQL server to create the database on, or is
    ``"sqlite"`` to force SQLite; by default ``QAIRON_TEST_DATABASE_URL`` decides.
    Authentication is off unless ``extra_env`` sets ``QAIRON_AUTH``.
    """

    def __init__(self, database_url=None, port=None, extra_env=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requested_url = database_url or os.environ.get("QAIRON_TEST_DATABASE_URL")
        self.extra_env = dict(extra_env or {})
        self.secret_key = secrets.token_hex(16)
        self.process = None
        self.tmpdir = None
        self.postgres = None
        self.database_url = None
        self.log_path = None

    @property
    def backend(self):
        """``postgresql`` or ``sqlite``."""
        return "postgresql" if self.postgres else "sqlite"

    def _env(self):
        env = dict(os.environ)
        env["QAIRON_AUTH"] = "off"
        env["QAIRON_SECRET_KEY"] = self.secret_key
        env.pop("QAIRON_TOKEN", None)
        env.update(self.extra_env)
        env["SQLALCHEMY_DATABASE_URI"] = self.database_url
        env["FLASK_APP"] = "qairon"
        env.pop("FLASK_DEBUG", None)
        env["PYTHONPATH"] = REPO_ROOT + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def flask(self, *args, stdin=None):
        """Run ``flask --app qairon <args>`` on this server's database; the completed process."""
        return subprocess.run(self._flask(*args), cwd=REPO_ROOT, env=self._env(), input=stdin,
                              capture_output=True, text=True, timeout=180)

    def _flask(self, *args):
        return [sys.executable, "-m", "flask", "--app", "qairon", *args]

    def start(self):
        """Create the database, migrate it and wait until ``/up`` answers."""
        self.tmpdir = tempfile.mkdtemp(prefix="qairon-live-")
        self.log_path = os.path.join(self.tmpdir, "server.log")
        if self.requested_url and self.requested_url.startswith("postgres"):
            self.postgres = PostgresDatabase(self.requested_url)
            self.database_url = self.postgres.create()
        else:
            self.database_url = "sqlite:///" + os.path.join(self.tmpdir, "qairon.db")
        try:
            upgrade = subprocess.run(self._flask("db", "upgrade"), cwd=REPO_ROOT,
                                     env=self._env(), capture_output=True, text=True,
                                     timeout=180)
            if upgrade.returncode != 0:
                raise RuntimeError("flask db upgrade failed:\n" + upgrade.stderr[-4000:])
            log = open(self.log_path, "w")
            self.process = subprocess.Popen(
                self._flask("run", "--host", "127.0.0.1", "--port", str(self.port),
                            "--no-reload"),
                cwd=REPO_ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT)
            log.close()
            self._wait_up()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_up(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n"
                                   + self.log()[-4000:])
            try:
                with urllib.request.urlopen(self.url + "/up", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer on {self.url}/up:\n" + self.log()[-4000:])

    def log(self):
        """What the server wrote so far."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except (OSError, TypeError):
            return ""

    def stop(self):
        """Stop the server and remove its database."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.postgres is not None:
            self.postgres.drop()
            self.postgres = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
