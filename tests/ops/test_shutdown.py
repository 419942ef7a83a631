"""Graceful shutdown: in-flight requests finish after SIGTERM; /ready says 503 while draining."""
import os
import shutil
import signal
import sys
import threading
import time

import pytest
import requests

from qairon.ops import draining
from tests.ops.test_metrics import value
from tests.support import servers


def test_ready_answers_503_while_the_worker_drains(app):
    client = app.test_client()
    assert client.get("/ready").status_code == 200
    draining.begin()
    try:
        answer = client.get("/ready")
    finally:
        draining.end()
    assert answer.status_code == 503 and answer.get_json()["status"] == "draining"
    assert client.get("/up").status_code == 200


@pytest.mark.skipif(not shutil.which("gunicorn", path=os.path.dirname(sys.executable)),
                    reason="gunicorn is not installed next to this Python")
def test_sigterm_lets_the_request_in_flight_finish(tmp_path):
    database = "sqlite:///" + str(tmp_path / "qairon.db")
    servers.migrate(database)
    process, url = servers.serve(database, log_path=str(tmp_path / "server.log"), workers=1,
                                 threads=2)
    rows = [{"name": f"env-{n}"} for n in range(20000)]
    answer = {}

    def import_rows():
        answer["bulk"] = requests.post(url + "/api/environments/bulk", json=rows, timeout=120)

    worker = threading.Thread(target=import_rows)
    try:
        worker.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the import is being served (with this scrape)
            scrape = requests.get(url + "/metrics", timeout=10).text
            if value(scrape, "qairon_http_requests_in_flight") >= 2:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the import was never seen in flight")
        process.send_signal(signal.SIGTERM)
        worker.join(60)
        assert answer["bulk"].status_code == 200, answer["bulk"].text[:500]
        assert answer["bulk"].json()["rows"] == 20000
        assert process.wait(timeout=30) == 0
    finally:
        servers.stop(process)
