"""Lost connections, statement time limits, deadlocks and lost races, on real PostgreSQL.

A second, raw connection plays the other party: it terminates the server's
backends (``pg_terminate_backend``), holds a lock, or deletes a row under a
running write. Each test is bounded in time: its waits are a few seconds at most.
"""
import io
import json
import threading
import time

import psycopg2
import pytest

from qairon import create_app
from qairon.extensions import db

from .helpers import count, post

SERVICE = "shop:cart:api"
TERMINATE = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()")
JSONAPI = {"Content-Type": "application/vnd.api+json"}


@pytest.fixture
def pg(request):
    """The PostgreSQL app, emptied, with a small inventory: an application, stack, services."""
    from tests.conftest import wipe
    the_app = request.getfixturevalue("postgresql_app")
    wipe(the_app)
    with the_app.app_context():
        client = the_app.test_client()
        for resource, fields in [("application", {"name": "shop"}),
                                 ("stack", {"application_id": "shop", "name": "cart"}),
                                 ("service", {"stack_id": "shop:cart", "name": "api"}),
                                 ("service", {"stack_id": "shop:cart", "name": "worker"})]:
            assert post(client, resource, fields).status_code == 201
        yield the_app
        db.session.remove()


@pytest.fixture
def raw(pg):
    """A raw connection to the same database, outside the app.

    Its locks last 8 s at most, so that a regression fails instead of hanging.
    """
    connection = psycopg2.connect(pg.config["SQLALCHEMY_DATABASE_URI"],
                                  options="-c idle_in_transaction_session_timeout=8000")
    yield connection
    connection.rollback()
    connection.close()


def terminate(raw):
    """Terminate every other backend of the database (the app's pooled connections)."""
    with raw.cursor() as cursor:
        cursor.execute(TERMINATE)
        killed = cursor.fetchone()[0]
    raw.commit()
    return killed


def wait_for_lock_wait(raw, timeout=10):
    """Wait until some backend of the database waits for a lock.

    The activity view is read afresh each time: inside a transaction it is
    otherwise a snapshot.
    """
    deadline = time.monotonic() + timeout
    with raw.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no backend started waiting for a lock")


def in_thread(call):
    """Run ``call`` in a thread; returns (thread, result list)."""
    result = []
    thread = threading.Thread(target=lambda: result.append(call()))
    thread.start()
    return thread, result


def assert_unavailable(response, *words):
    """A 503 in the one error shape whose sentence holds ``words``."""
    body = response.get_json()
    error = body["errors"][0] if "errors" in body else body
    assert response.status_code == 503 and int(error["status"]) == 503, body
    for word in words:
        assert word in error["detail"], body
    text = response.get_data(as_text=True)
    assert "psycopg2" not in text and "SELECT" not in text and "Traceback" not in text
    return error


# --- lost connections ----------------------------------------------------------------------

REQUESTS = [
    ("GET", "/ready", None, 200),
    ("GET", f"/api/services/{SERVICE}", None, 200),
    ("GET", "/api/services?stack_id=shop:cart", None, 200),
    ("GET", f"/api/rest/v1/service/{SERVICE}", None, 200),
    ("GET", f"/api/services/{SERVICE}/trace", None, 200),
    ("POST", "/api/environments", {"name": "prod"}, 201),
    ("PATCH", f"/api/services/{SERVICE}", {"defaults": {"port": 80}}, 200),
    ("POST", "/api/environments/bulk", {"objects": [{"name": "dev"}, {"name": "qa"}]}, 200),
    ("DELETE", "/api/services/shop:cart:worker", None, 200),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), REQUESTS,
                         ids=[f"{m} {p}" for m, p, _b, _s in REQUESTS])
def test_dropped_pooled_connection_never_fails_the_next_request(pg, raw, method, path, body,
                                                                status):
    client = pg.test_client()
    assert client.get(f"/api/services/{SERVICE}").status_code == 200  # a pooled connection
    assert terminate(raw) >= 1
    response = client.open(path, method=method, data=json.dumps(body) if body else None,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == status, response.get_json()


@pytest.mark.parametrize(("path", "body", "status"), [
    ("/api/environments/bulk", {"objects": [{"name": "prod"}, {"name": "dev"}]}, 200),
    ("/api/environments", {"name": "prod"}, 201),
])
def test_connection_lost_in_the_middle_of_a_write_runs_it_again(pg, raw, path, body, status):
    """The server's backend is terminated while its write waits for a lock."""
    client = pg.test_client()
    lock_table(raw, "environment")
    thread, result = in_thread(lambda: client.post(path, json=body))
    wait_for_lock_wait(raw)
    with raw.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                       "datname = current_database() AND wait_event_type = 'Lock'")
        assert cursor.fetchone()[0] == 1
    wait_for_lock_wait(raw)  # the request runs again, on a new connection
    raw.rollback()
    thread.join(10)
    assert result[0].status_code == status, result[0].get_json()
    db.engine.dispose()
    assert count("environment") == len(body.get("objects", [body]))


class DroppingStream(io.BytesIO):
    """A request body whose reader meets terminated connections after ``boundary`` bytes."""

    def __init__(self, data, boundary, raw):
        super().__init__(data)
        self.boundary = boundary
        self.raw = raw
        self.dropped = False

    def _cap(self, size):
        position = self.tell()
        if position < self.boundary:
            return min(size, self.boundary - position) if size and size > 0 else \
                self.boundary - position
        if not self.dropped:
            self.dropped = True
            terminate(self.raw)
        return size

    def read(self, size=-1):
        return super().read(self._cap(size))

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def test_connection_lost_during_streamed_import_is_503_not_bad_rows(pg, raw):
    streaming = create_app({"SQLALCHEMY_DATABASE_URI": pg.config["SQLALCHEMY_DATABASE_URI"],
                            "TESTING": True, "AUTH": "off", "BULK_CHUNK_SIZE": 5})
    lines = [json.dumps({"name": f"env{i}"}).encode() + b"\n" for i in range(30)]
    first, second = b"".join(lines[:12]), b"".join(lines[12:])
    try:
        client = streaming.test_client()
        response = client.post("/api/environments/bulk",
                               input_stream=DroppingStream(first + second, len(first), raw),
                               headers={"Content-Type": "application/x-ndjson",
                                        "Content-Length": str(len(first) + len(second))})
        error = assert_unavailable(response, "lost", "streamed", "send it again")
        assert "errors" not in error and "rows" not in error
        db.engine.dispose()  # the test's own pooled connections were terminated too
        assert count("environment") == 0
        again = client.post("/api/environments/bulk", data=first + second,
                            headers={"Content-Type": "application/x-ndjson"})
        assert again.status_code == 200 and again.get_json()["created"] == 30
    finally:
        with streaming.app_context():
            db.engine.dispose()


# --- statement time limit ------------------------------------------------------------------

@pytest.fixture
def limited(pg):
    """An app on the same database whose statements may run 300 ms (bulk: 5 s)."""
    the_app = create_app({"SQLALCHEMY_DATABASE_URI": pg.config["SQLALCHEMY_DATABASE_URI"],
                          "TESTING": True, "AUTH": "off", "STATEMENT_TIMEOUT_MS": "300",
                          "BULK_STATEMENT_TIMEOUT_MS": "5000"})
    yield the_app.test_client()
    with the_app.app_context():
        db.engine.dispose()


def lock_table(raw, table):
    with raw.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/api/services", None),
    ("GET", f"/api/services/{SERVICE}", None),
    ("GET", "/api/rest/v1/service", None),
    ("PATCH", f"/api/services/{SERVICE}", {"defaults": {"a": 1}}),
    ("POST", "/api/services", {"stack_id": "shop:cart", "name": "slow"}),
])
def test_statement_over_the_time_limit_is_503_naming_the_limit(limited, raw, method, path, body):
    lock_table(raw, "service")
    started = time.monotonic()
    response = limited.open(path, method=method, data=json.dumps(body) if body else None,
                            headers={"Content-Type": "application/json"})
    assert_unavailable(response, "300 ms", "time limit")
    assert time.monotonic() - started < 3
    raw.rollback()
    assert count("service") == 2


def test_bulk_import_has_its_own_longer_time_limit(limited, raw):
    lock_table(raw, "environment")
    release = threading.Timer(1.0, raw.rollback)
    release.start()
    try:
        response = limited.post("/api/environments/bulk", json={"objects": [{"name": "prod"}]})
    finally:
        release.join()
    assert response.status_code == 200, response.get_json()
    assert count("environment") == 1


# --- concurrent writers --------------------------------------------------------------------

@pytest.mark.parametrize(("path", "body", "headers"), [
    (f"/api/services/{SERVICE}", {"defaults": {"a": 1}}, {"Content-Type": "application/json"}),
    (f"/api/rest/v1/service/{SERVICE}",
     {"data": {"type": "service", "id": SERVICE, "attributes": {"defaults": {"a": 1}}}}, JSONAPI),
])
def test_patch_racing_a_delete_is_409_naming_the_object(pg, raw, path, body, headers):
    client = pg.test_client()
    with raw.cursor() as cursor:
        cursor.execute("DELETE FROM service WHERE id = %s", (SERVICE,))
    thread, result = in_thread(lambda: client.patch(path, data=json.dumps(body),
                                                    headers=headers))
    wait_for_lock_wait(raw)
    raw.commit()
    thread.join(10)
    response = result[0]
    body = response.get_json()
    error = body["errors"][0] if "errors" in body else body
    assert response.status_code == 409 and int(error["status"]) == 409, body
    assert SERVICE in error["detail"] and "concurrently" in error["detail"], body
    assert "UPDATE" not in error["detail"]


def deadlocks(raw):
    with raw.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        value = cursor.fetchone()[0]
    raw.commit()
    return value


def test_deadlock_is_retried_and_the_delete_succeeds(pg, raw):
    """The server's cascade delete and a raw transaction lock rows in opposite orders."""
    client = pg.test_client()
    before = deadlocks(raw)
    with raw.cursor() as cursor:
        cursor.execute("SET deadlock_timeout = '10s'")  # the server is the one to give way
        cursor.execute("UPDATE stack SET defaults = defaults WHERE id = 'shop:cart'")
        thread, result = in_thread(lambda: client.delete("/api/applications/shop?cascade=true"))
        wait_for_lock_wait(raw)  # the server deleted the services and waits for the stack
        cursor.execute("UPDATE service SET defaults = defaults WHERE id = %s", (SERVICE,))
    raw.rollback()
    thread.join(15)
    response = result[0]
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["deleted"] == {"application": 1, "stack": 1, "service": 2}
    assert deadlocks(raw) > before
    assert count("service") == 0
