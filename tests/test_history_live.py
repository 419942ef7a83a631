"""The change record under real load, on PostgreSQL: concurrent writers and a killed server.

* Two server processes (two workers each) take conflicting writes from many
  clients at once; replaying every change in changeset order gives exactly the
  rows and links the database holds.
* A server killed (SIGKILL) in the middle of a large streamed bulk import
  leaves neither rows nor records: the record is in the write's transaction.
"""
import json
import os
import random
import signal
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import requests

from qairon.models import REGISTRY
from tests.support.live_server import LiveServer, PostgresDatabase
from tests.support.servers import migrate, serve, stop

BASE_URL = os.environ.get("QAIRON_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not BASE_URL.startswith("postgres"),
    reason="needs QAIRON_TEST_DATABASE_URL naming a PostgreSQL server "
           "(e.g. postgresql://postgres@127.0.0.1:5432/postgres)")
JSON = {"Content-Type": "application/json"}
APPS = [f"app{i}" for i in range(6)]
SERVICE = "app0:core:svc"


def call(method, url, body=None):
    return requests.request(method, url, data=None if body is None else json.dumps(body),
                            headers=JSON, timeout=60)


def writer(urls, seed, rounds):
    """Random conflicting writes: defaults of shared objects, stacks created and deleted,
    zone links added and removed."""
    rnd = random.Random(seed)
    for n in range(rounds):
        url = rnd.choice(urls)
        app = rnd.choice(APPS)
        kind = rnd.random()
        if kind < 0.5:
            call("PATCH", f"{url}/api/applications/{app}", {"defaults": {"w": seed, "n": n}})
        elif kind < 0.75:
            call("POST", f"{url}/api/stacks", {"application_id": app, "name": f"s{rnd.randrange(4)}"})
        elif kind < 0.9:
            call("DELETE", f"{url}/api/stacks/{app}:s{rnd.randrange(4)}?cascade=true")
        elif kind < 0.95:
            call("PATCH", f"{url}/api/environments/e{rnd.randrange(3)}",
                 {"defaults": {"by": seed}})
        elif rnd.random() < 0.5:
            call("POST", f"{url}/api/services/{SERVICE}/repos", {"id": f"git:r{rnd.randrange(3)}"})
        else:
            call("DELETE", f"{url}/api/services/{SERVICE}/repos?id=git:r{rnd.randrange(3)}")


def replay(url):
    """Rows and links rebuilt from every change, oldest first, and how many link changes."""
    rows, links, after, linked = {}, set(), 0, 0
    while True:
        page = call("GET", f"{url}/api/changes?after={after}&limit=1000").json()
        for change in page["results"]:
            if "relation" in change:
                key = (change["resource"], change["object_id"], change["relation"],
                       change["other"]["id"])
                (links.add if change["operation"] == "link" else links.discard)(key)
                linked += 1
            elif change["operation"] == "delete":
                rows.pop((change["resource"], change["object_id"]), None)
            else:
                rows[(change["resource"], change["object_id"])] = change["after"]
        if not page["results"]:
            return rows, links, linked
        after = page["cursor"]


def current(url):
    """Every row of the database through the API, as the record shows a row."""
    out = {}
    for cls in REGISTRY.values():
        page = call("GET", f"{url}/api/{cls.plural}?limit=1000").json()
        for obj in page["results"]:
            obj.pop("resource")
            obj.pop("current_release", None)
            out[(cls.resource, obj["id"])] = obj
    return out


@pytest.fixture
def database():
    database = PostgresDatabase(BASE_URL)
    url = database.create()
    try:
        migrate(url)
        yield url
    finally:
        database.drop()


def test_concurrent_writers_replay_to_the_current_state(database):
    tmpdir = tempfile.mkdtemp(prefix="qairon-history-")
    servers = [serve(database, os.path.join(tmpdir, f"s{i}.log")) for i in range(2)]
    urls = [url for _process, url in servers]
    try:
        for name in ("e0", "e1", "e2"):
            assert call("POST", f"{urls[0]}/api/environments", {"name": name}).status_code == 201
        for app in APPS:
            assert call("POST", f"{urls[0]}/api/applications", {"name": app}).status_code == 201
        for path, body in (("stacks", {"application_id": "app0", "name": "core"}),
                           ("services", {"stack_id": "app0:core", "name": "svc"}),
                           ("repo_types", {"name": "git"})) + tuple(
                ("repos", {"repo_type_id": "git", "name": f"r{i}"}) for i in range(3)):
            assert call("POST", f"{urls[0]}/api/{path}", body).status_code == 201
        with ThreadPoolExecutor(12) as pool:
            list(pool.map(lambda seed: writer(urls, seed, 40), range(12)))
        rows, links, linked = replay(urls[0])
        now = current(urls[1])
        connection = psycopg2.connect(database)
        with connection.cursor() as cursor:
            cursor.execute("SELECT service_id, repo_id FROM service_repo")
            assert links == {("service", s, "repos", r) for s, r in cursor.fetchall()}
        connection.close()
        assert linked, "the writers linked nothing"
        assert set(rows) == set(now)
        for key, values in rows.items():
            shown = {k: v for k, v in values.items() if k in now[key]}
            assert shown == now[key], key
        stamps = [c["at"] for c in call("GET", f"{urls[0]}/api/changes?limit=1000")
                  .json()["results"]]
        assert stamps == sorted(stamps, reverse=True)
    finally:
        for process, _url in servers:
            stop(process)


def lines(count, prefix):
    for i in range(count):
        yield (json.dumps({"name": f"{prefix}{i:06d}"}) + "\n").encode()


def test_a_server_killed_mid_import_leaves_neither_rows_nor_records():
    server = LiveServer(database_url=BASE_URL).start()
    try:
        connection = psycopg2.connect(server.database_url)
        connection.autocommit = True
        cursor = connection.cursor()
        cursor.execute("SELECT count(*) FROM changeset")
        changesets = cursor.fetchone()[0]
        done = {}

        def stream():
            try:
                done["response"] = requests.post(
                    f"{server.url}/api/applications/bulk", data=lines(400_000, "k"),
                    headers={"Content-Type": "application/x-ndjson"}, timeout=120)
            except requests.RequestException as exc:
                done["error"] = exc
        thread = threading.Thread(target=stream, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        written = False
        while time.monotonic() < deadline and not written:  # the import has written rows
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND backend_xid IS NOT NULL AND pid <> "
                           "pg_backend_pid()")
            written = cursor.fetchone()[0] > 0
            time.sleep(0.05)
        assert written, "the import never started writing"
        time.sleep(0.5)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        thread.join(30)
        assert "response" not in done or done["response"].status_code != 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)
        cursor.execute("SELECT count(*) FROM application")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM change WHERE resource = 'application'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM changeset")
        assert cursor.fetchone()[0] == changesets
        connection.close()
    finally:
        server.stop()
