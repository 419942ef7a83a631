"""Concurrent writers and dropped connections against two live gunicorn servers.

Runs only when ``QAIRON_TEST_DATABASE_URL`` names a PostgreSQL server: a fresh
database, two servers (2 workers of 4 threads each) on it, and clients in
threads. Every race must end in a clean answer — a success, a 404 or a 409
naming the object — never a 5xx; each test runs for a few seconds at most.
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import requests

from tests.support.servers import server_pair

BASE_URL = os.environ.get("QAIRON_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not BASE_URL.startswith("postgres"),
    reason="needs QAIRON_TEST_DATABASE_URL naming a PostgreSQL server "
           "(e.g. postgresql://postgres@127.0.0.1:5432/postgres)")

RACE_SECONDS = 4
TERMINATE = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(scope="module")
def cluster():
    """Two servers on one fresh database: (urls, database url)."""
    with server_pair(BASE_URL, "qairon-race-") as pair:
        yield pair


def send(session, method, url, body=None):
    """One request; returns (status, JSON body or None)."""
    response = session.request(method, url, json=body, timeout=30)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, None


def create(url, items):
    for plural, body in items:
        status, answer = send(requests, "POST", f"{url}/api/{plural}", body)
        assert status == 201, answer


def assert_clean(results, allowed):
    """Every (what, status, body) has an allowed status; every error is the one shape."""
    for what, status, body in results:
        assert status in allowed[what], (what, status, body)
        if status >= 400:
            assert body["status"] == status and body["detail"], (what, body)


def test_dropped_connections_never_fail_a_request(cluster):
    urls, database_url = cluster
    create(urls[0], [("applications", {"name": "drop"}),
                     ("stacks", {"application_id": "drop", "name": "s"})])
    session = requests.Session()

    def burst(tag):
        results = []
        for index in range(12):
            url = urls[index % 2]
            name = f"{tag}{index}"
            results.append(("create", *send(session, "POST", f"{url}/api/services",
                                             {"stack_id": "drop:s", "name": name})))
            results.append(("get", *send(session, "GET", f"{url}/api/services/drop:s:{name}")))
            results.append(("list", *send(session, "GET", f"{url}/api/rest/v1/service")))
        return results

    burst("warm")  # every worker now holds pooled connections
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(TERMINATE)
        assert cursor.fetchone()[0] >= 2
    connection.close()
    assert_clean(burst("after"), {"create": {201}, "get": {200}, "list": {200}})


def test_patch_racing_delete_answers_409_or_404_never_500(cluster):
    urls, _ = cluster
    create(urls[0], [("applications", {"name": "race"}),
                     ("stacks", {"application_id": "race", "name": "s"})])
    ids = [f"race:s:svc{i}" for i in range(4)]
    deadline = time.monotonic() + RACE_SECONDS

    def writer(index):
        session, url, results = requests.Session(), urls[index % 2], []
        while time.monotonic() < deadline:
            for object_id in ids:
                name = object_id.rsplit(":", 1)[1]
                if index % 2:
                    results.append(("patch", *send(session, "PATCH",
                                                   f"{url}/api/services/{object_id}",
                                                   {"defaults": {"writer": index}})))
                else:
                    results.append(("create", *send(session, "POST", f"{url}/api/services",
                                                     {"stack_id": "race:s", "name": name})))
                    results.append(("delete", *send(session, "DELETE",
                                                    f"{url}/api/services/{object_id}")))
        return results

    with ThreadPoolExecutor(4) as pool:
        results = [r for batch in pool.map(writer, range(4)) for r in batch]
    assert_clean(results, {"create": {201, 409}, "patch": {200, 404, 409},
                           "delete": {200, 404, 409}})
    for what, status, body in results:
        if what == "patch" and status == 409:
            assert "concurrently" in body["detail"] and "race:s:" in body["detail"], body
    assert sum(status == 200 for what, status, _ in results if what == "patch") > 0


def test_concurrent_cascade_deletes_of_a_stack_and_its_application(cluster):
    urls, _ = cluster
    results = []
    for round_ in range(8):
        app = f"cascade{round_}"
        create(urls[0], [("applications", {"name": app})]
               + [("stacks", {"application_id": app, "name": f"s{i}"}) for i in range(2)]
               + [("services", {"stack_id": f"{app}:s{i % 2}", "name": f"svc{i}"})
                  for i in range(12)])
        targets = [f"{urls[0]}/api/applications/{app}?cascade=true",
                   f"{urls[1]}/api/stacks/{app}:s0?cascade=true",
                   f"{urls[0]}/api/stacks/{app}:s1?cascade=true"]
        with ThreadPoolExecutor(3) as pool:
            results += [("delete", *r) for r in pool.map(lambda u: send(requests, "DELETE", u),
                                                         targets)]
        for rest in (f"applications/{app}", f"stacks/{app}:s0", f"stacks/{app}:s1"):
            status, body = send(requests, "GET", f"{urls[1]}/api/{rest}")
            assert status == 404, body
        for stack in (f"{app}:s0", f"{app}:s1"):
            status, body = send(requests, "GET", f"{urls[0]}/api/services?stack_id={stack}")
            assert status == 200 and body["count"] == 0, body
    assert_clean(results, {"delete": {200, 404, 409}})
