"""``/metrics``: request, write, allocation, import and object counts; token rules; workers."""
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from qairon.extensions import db
from qairon.identity import tokens
from qairon.models import REGISTRY
from qairon.ops import counting
from qairon.ops.metrics import NAMES
from tests.support import servers
from tests.support.world import PART as PARTITION
from tests.support.world import rows_for

REQUESTS = 200


def value(text, name, **labels):
    """The sample ``name{labels}`` of a scrape, or 0.0 when absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if match and match.group(1) == name:
            got = ",".join(sorted((match.group(2) or "").split(","))) if match.group(2) else ""
            if got == wanted:
                return float(match.group(3))
    return 0.0


def scrape(client):
    response = client.get("/metrics")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return response.get_data(as_text=True)


def call(client, method, url, **kw):
    response = client.open(url, method=method, **kw)
    response.get_data()
    response.close()
    return response


def test_requests_writes_and_objects_are_counted(app):
    client = app.test_client()
    before = scrape(client)
    route = {"route": "/api/<plural>", "method": "POST"}
    assert call(client, "POST", "/api/environments", json={"name": "prod"}).status_code == 201
    assert call(client, "POST", "/api/environments", json={"name": "prod"}).status_code == 409
    assert call(client, "POST", "/api/environments", json={"name": "qa"}).status_code == 201
    counting.count_objects(force=True)
    after = scrape(client)
    for status, n in (("201", 2), ("409", 1)):
        name = "qairon_http_requests_total"
        assert value(after, name, status=status, **route) - \
            value(before, name, status=status, **route) == n
    histogram = "qairon_http_request_duration_seconds_count"
    assert value(after, histogram, status="201", **route) - \
        value(before, histogram, status="201", **route) == 2
    writes = {"resource": "environment", "operation": "create"}
    assert value(after, "qairon_writes_total", **writes) - \
        value(before, "qairon_writes_total", **writes) == 2  # the refused write counts nothing
    assert value(after, "qairon_objects", resource="environment") == 2
    for name in ("qairon_db_pool_checked_out", "qairon_http_requests_in_flight"):
        assert name in after


def test_allocations_and_imports_are_counted(app):
    client = app.test_client()
    for row in rows_for(PARTITION):
        assert call(client, "POST", f"/api/{REGISTRY[row.resource].plural}",
                    json=row.fields).status_code == 201
    network = client.post("/api/networks", json={"partition_id": PARTITION, "name": "vpc",
                                                 "cidr": "10.0.0.0/30"}).get_json()["id"]
    before = scrape(client)
    url = f"/api/networks/{network}/allocate_subnet"
    for name, status in (("a", 201), ("b", 201), ("c", 409)):
        assert call(client, "POST", url, json={"additional_mask_bits": 1,
                                               "name": name}).status_code == status
    assert call(client, "POST", url, json={"name": "c"}).status_code == 400
    rows = [{"name": "qa"}, {"name": "bad:name"}, {"name": "perf"}]
    assert call(client, "POST", "/api/environments/bulk", json=rows).status_code == 422
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("qairon_allocations_total", resource="network", outcome="allocated") == 2
    assert grew("qairon_allocations_total", resource="network", outcome="exhausted") == 1
    assert grew("qairon_allocations_total", resource="network", outcome="refused") == 1
    assert (grew("qairon_import_rows_total"), grew("qairon_import_refusals_total")) == (3, 1)


def test_metrics_need_a_token_when_every_request_does(app):
    client = app.test_client()
    app.config["AUTH"] = "all"
    try:
        assert client.get("/metrics").status_code == 401
        _token, secret = tokens.create_token(db.session, "prometheus", "reader", ())
        db.session.commit()
        answer = client.get("/metrics", headers={"Authorization": f"Bearer {secret}"})
        assert answer.status_code == 200 and "qairon_http_requests_total" in answer.text
    finally:
        app.config["AUTH"] = "off"


def test_every_declared_metric_is_exposed(app):
    text = scrape(app.test_client())
    for name in NAMES:
        assert f"# TYPE {name} " in text


@pytest.mark.skipif(not shutil.which("gunicorn", path=os.path.dirname(sys.executable)),
                    reason="gunicorn is not installed next to this Python")
def test_a_scrape_adds_up_every_gunicorn_worker(tmp_path):
    """Two workers, many requests: whichever worker answers the scrape counts them all."""
    database = "sqlite:///" + str(tmp_path / "qairon.db")
    servers.migrate(database)
    metrics_dir = tempfile.mkdtemp(prefix="qairon-test-metrics-")
    # sync workers take one request at a time, so eight clients keep both of them busy
    os.environ.update(PROMETHEUS_MULTIPROC_DIR=metrics_dir, QAIRON_WORKER_CLASS="sync")
    try:
        process, url = servers.serve(database, log_path=str(tmp_path / "server.log"),
                                     workers=2, threads=1)
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR")
        os.environ.pop("QAIRON_WORKER_CLASS")
    try:
        def fetch(_n):  # a new connection each, eight at a time
            return requests.get(url + "/api/environments", headers={"Connection": "close"},
                                timeout=30).status_code

        def counter_files():
            return {name for name in os.listdir(metrics_dir) if name.startswith("counter_")}

        sent, deadline = 0, time.monotonic() + 60
        while len(counter_files()) < 2 or sent < REQUESTS:  # until both workers (the second
            assert time.monotonic() < deadline, counter_files()  # may still be starting) served
            with ThreadPoolExecutor(8) as pool:
                assert set(pool.map(fetch, range(50))) == {200}
            sent += 50
        totals = {value(requests.get(url + "/metrics", timeout=10).text,
                        "qairon_http_requests_total", route="/api/<plural>", method="GET",
                        status="200")
                  for _ in range(6)}
        assert totals == {float(sent)}
    finally:
        servers.stop(process)
        shutil.rmtree(metrics_dir, ignore_errors=True)
