"""Several Qairon server processes on one database, for concurrency tests and benchmarks.

    url = migrate_and_serve(database_url)   # or serve() on a migrated database
    ...
    stop(process)

Servers run under gunicorn with the production ``gunicorn.conf.py``
(``QAIRON_WORKERS`` workers of ``QAIRON_THREADS`` threads), or ``flask run``
when gunicorn is not installed.
"""
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import requests

from .live_server import REPO_ROOT, PostgresDatabase, free_port


def server_env(database_url, workers=2, threads=4, port=None, auth="off"):
    """The environment of a server (or ``flask`` command) on ``database_url``;
    authentication is off unless ``auth`` says otherwise (None: the server's default)."""
    env = dict(os.environ)
    env.pop("QAIRON_TOKEN", None)
    env.pop("QAIRON_AUTH", None)
    if auth is not None:
        env["QAIRON_AUTH"] = auth
    env.update(SQLALCHEMY_DATABASE_URI=database_url, FLASK_APP="qairon",
               QAIRON_WORKERS=str(workers), QAIRON_THREADS=str(threads),
               PYTHONPATH=REPO_ROOT + os.pathsep + env.get("PYTHONPATH", ""))
    if port is not None:
        env.update(HOST="127.0.0.1", PORT=str(port), QAIRON_SECRET_KEY=secrets.token_hex(16))
    env.pop("FLASK_DEBUG", None)
    return env


def migrate(database_url):
    """``flask db upgrade`` on ``database_url``; raises with Alembic's output on failure."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "qairon", "db", "upgrade"],
                          check=False, cwd=REPO_ROOT, env=server_env(database_url),
                          capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError("flask db upgrade failed:\n" + done.stderr[-4000:])


def _command(port):
    if shutil.which("gunicorn", path=os.path.dirname(sys.executable)):
        return [sys.executable, "-m", "gunicorn", "-c", os.path.join(REPO_ROOT, "gunicorn.conf.py"),
                "qairon:create_app()"]
    return [sys.executable, "-m", "flask", "--app", "qairon", "run", "--host", "127.0.0.1",
            "--port", str(port), "--no-reload", "--with-threads"]


def serve(database_url, log_path=os.devnull, workers=2, threads=4, timeout=60, auth="off"):
    """Start one server on a free port; return (process, url) once ``/up`` answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(_command(port), cwd=REPO_ROOT,
                                   env=server_env(database_url, workers, threads, port, auth),
                                   stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log_path}")
        try:
            if requests.get(url + "/up", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"server at {url} did not answer /up within {timeout} s")


def stop(process):
    """Terminate a server and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def server_pair(base_url, prefix, count=2):
    """``count`` server processes on one fresh, migrated database of the PostgreSQL server
    at ``base_url``: yields ``(urls, database url)``; everything is stopped and dropped after."""
    database = PostgresDatabase(base_url)
    database_url = database.create()
    tmpdir = tempfile.mkdtemp(prefix=prefix)
    processes = []
    try:
        migrate(database_url)
        for index in range(count):
            processes.append(serve(database_url, os.path.join(tmpdir, f"server{index}.log")))
        yield [url for _, url in processes], database_url
    finally:
        for process, _ in processes:
            stop(process)
        database.drop()
        shutil.rmtree(tmpdir, ignore_errors=True)
