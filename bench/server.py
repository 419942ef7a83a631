"""The server under test, run the production way: gunicorn with the repo's
``gunicorn.conf.py`` on PostgreSQL (workers and threads as that file decides,
unless ``QAIRON_WORKERS``/``QAIRON_THREADS`` are set by the caller), with
``QAIRON_AUTH=writes`` as ``make serve`` runs it."""
import os
import secrets
import subprocess
import sys
import time
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(database_url, port, log_path, count_sql=False, workers=None):
    """Start gunicorn on 127.0.0.1:``port``; return the process once ``/up`` answers."""
    env = dict(os.environ, SQLALCHEMY_DATABASE_URI=database_url, HOST="127.0.0.1",
               PORT=str(port), PYTHONPATH=REPO_ROOT, QAIRON_AUTH="writes",
               QAIRON_SECRET_KEY=secrets.token_hex(16))
    env.pop("FLASK_DEBUG", None)
    env.pop("QAIRON_TOKEN", None)
    if count_sql:
        env["QAIRON_COUNT_SQL"] = "1"
    if workers is not None:
        env["QAIRON_WORKERS"] = str(workers)
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", os.path.join(REPO_ROOT, "gunicorn.conf.py"),
             "qairon:create_app()"], cwd=REPO_ROOT, env=env, stdout=log,
            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(url + "/up", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer on {url} within 60 s; see {log_path}")


def stop(process):
    """Stop the server started by :func:`start` and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fresh_database(base_url, prefix):
    """A new, migrated benchmark database named ``<prefix><random>``: (database, url)."""
    from tests.support.live_server import PostgresDatabase
    from tests.support.servers import migrate
    database = PostgresDatabase(base_url)
    database.name = database.name.replace("qairon_test_", prefix)
    database.url = database.url.rsplit("/", 1)[0] + "/" + database.name
    url = database.create()
    migrate(url)
    return database, url
