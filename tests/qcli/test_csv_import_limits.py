"""Limits against a real server configured through ``QAIRON_*`` variables: chunked
uploads (what qcli streams) are bounded too, and qcli reports a capped error list and
an honest summary."""
import json

import pytest
import requests

from tests.support.live_server import LiveServer

LIMITS = {"QAIRON_MAX_BODY_BYTES": "20000", "QAIRON_BULK_MAX_BODY_BYTES": "200000",
          "QAIRON_BULK_MAX_REPORTED_ERRORS": "5"}
NDJSON = {"Content-Type": "application/x-ndjson"}


@pytest.fixture(scope="module")
def server():
    live = LiveServer(extra_env=LIMITS).start()
    yield live
    live.stop()


@pytest.fixture
def cli(server, qcli):
    def run(*argv):
        return qcli(list(argv), endpoint=server.url)
    return run


def count(server, plural="applications"):
    return requests.get(f"{server.url}/api/{plural}", params={"limit": 1},
                        timeout=10).json()["count"]


def rows(n, prefix):
    """A generator body: requests sends it chunked, without a Content-Length."""
    for i in range(n):
        yield (json.dumps({"name": f"{prefix}-{i:06d}"}) + "\n").encode()


def test_a_chunked_stream_within_the_bulk_limit_is_imported(server):
    response = requests.post(f"{server.url}/api/applications/bulk", data=rows(1000, "ok"),
                             headers=NDJSON, timeout=60)
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 200 and response.json()["created"] == 1000


def test_a_chunked_stream_over_the_bulk_limit_is_413_and_writes_nothing(server):
    before = count(server)
    response = requests.post(f"{server.url}/api/applications/bulk", data=rows(20_000, "big"),
                             headers=NDJSON, timeout=60)
    error = response.json()
    assert response.status_code == 413 and error["source"] == {"field": "body"}
    assert "200,000 bytes" in error["detail"] and "BULK_MAX_BODY_BYTES" in error["detail"]
    assert count(server) == before


@pytest.mark.parametrize("path, wrap", [
    ("/api/applications", lambda attrs: attrs),
    ("/api/rest/v1/application", lambda attrs: {"data": {"type": "application",
                                                         "attributes": attrs}}),
])
def test_a_chunked_json_body_over_the_ordinary_limit_is_413(server, path, wrap):
    text = json.dumps(wrap({"name": "huge", "defaults": {"x": "y" * 30_000}})).encode()
    response = requests.post(server.url + path, data=iter([text[:100], text[100:]]),
                             headers={"Content-Type": "application/json"}, timeout=30)
    body = response.json()
    error = body["errors"][0] if "errors" in body else body
    assert response.status_code == 413 and "MAX_BODY_BYTES" in error["detail"], body
    assert requests.get(f"{server.url}/api/applications/huge", timeout=10).status_code == 404


def test_qcli_reports_a_file_over_the_bulk_limit_in_one_line(server, cli, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text("name\n" + "".join(f"csv-{i:06d}\n" for i in range(20_000)))
    before = count(server)
    result = cli("csv_import", "import_csv", "application", str(path))
    assert result.status != 0 and result.stderr.count("\n") == 1
    assert "BULK_MAX_BODY_BYTES" in result.stderr and "Traceback" not in result.stderr
    assert count(server) == before


def test_qcli_lists_the_first_bad_rows_and_counts_the_rest(server, cli, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text("name\ngood-one\n" + "".join(f"bad:{i}\n" for i in range(50)))
    result = cli("csv_import", "import_csv", "application", str(path))
    assert result.status == 4
    lines = result.stderr.splitlines()
    assert lines[0] == "qcli: 50 of 51 rows refused, nothing was written"
    assert len(lines) == 7 and lines[-1] == "… and 45 more bad rows"
    summary = dict(line.split("\t") for line in result.stdout.splitlines())
    assert (summary["created"], summary["would_create"]) == ("0", "1")
    assert summary["committed"] == "false" and summary["errors"] == "50"
    result = cli("csv_import", "import_csv", "application", str(path), "-o", "json")
    summary = json.loads(result.stdout)
    assert summary["errors_omitted"] == 45 and len(summary["problems"]) == 5
