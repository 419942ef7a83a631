"""Reads on a real streaming replica: routing, read-your-writes through qcli, failover.

A throw-away primary and its replica (``tests/support/replica.py``) serve two
gunicorn servers. The seed world is written, then the seed's CI flow runs
through qcli while the replica is paused (it receives the WAL but does not
apply it): every read qcli makes after its writes still sees them (it sends back
the commit position, so the primary serves it), while a client that sends no
position is served, stale, by the replica. A replica that falls behind by
more than the allowed lag, or stops, is taken out of rotation: reads go on,
from the primary, with no error.
"""
import json
import os
import subprocess
import sys
import time

import pytest
import requests

from qairon.models import REGISTRY
from tests.support import servers
from tests.support.live_server import REPO_ROOT
from tests.support.replica import StreamingPair, binaries
from tests.support.world import DEPLOYMENT, IMAGE_REPO, NEIGHBOURS, SERVICE, SOURCE_REPO, WORLD

pytestmark = pytest.mark.skipif(binaries() is None, reason=(
    "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are not installed: "
    "no streaming replica can be started here"))


@pytest.fixture(scope="module")
def pair():
    with StreamingPair() as started:
        servers.migrate(started.primary_url)
        yield started


def serve(pair, tmp_path, name, **settings):
    """A gunicorn server on the pair with replica settings; (process, url)."""
    extra = {"QAIRON_REPLICA_URLS": pair.replica_url, "QAIRON_REPLICA_CHECK_SECONDS": "0.2",
             **{f"QAIRON_{k.upper()}": str(v) for k, v in settings.items()}}
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        return servers.serve(pair.primary_url, log_path=str(tmp_path / f"{name}.log"),
                             workers=2, threads=2)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def qcli(url, state, *argv):
    """The real qcli against ``url``, keeping its read-after position under ``state``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAIRON_")}
    env.update(QAIRON_ENDPOINT=url, XDG_STATE_HOME=str(state),
               PYTHONPATH=REPO_ROOT + os.pathsep + env.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "qairon_qcli", *argv], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (argv, done.stderr)
    return done.stdout


def get(url, path):
    response = requests.get(url + path, timeout=10)
    assert response.status_code < 500, response.text
    return response


def served_by_replica(url, path):
    """Wait until a read without a position is served by the replica; its answer."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = get(url, path)
        if response.headers.get("Qairon-Served-By") == "replica-1":
            return response
        time.sleep(0.1)
    raise AssertionError("no read was served by the replica")


def test_reads_on_the_replica_read_your_writes_and_failover(pair, tmp_path):
    process, url = serve(pair, tmp_path, "patient", replica_max_lag_seconds=60)
    try:
        for row in list(WORLD) + list(NEIGHBOURS[:2]):
            answer = requests.post(f"{url}/api/{REGISTRY[row.resource].plural}",
                                   json=row.fields, timeout=10)
            assert answer.status_code == 201, answer.text
            assert "Qairon-Commit-LSN" in answer.headers
        pair.caught_up()
        assert served_by_replica(url, f"/api/services/{SERVICE}").status_code == 200
        ready = get(url, "/ready").json()
        assert ready["replicas"][0]["state"] == "ok"

        pair.pause_replay()  # the replica now lags behind every write that follows
        state = tmp_path / "qcli-state"
        build = qcli(url, state, "build", "create", SERVICE, "100", "9fceb02").strip()
        assert build == f"{SERVICE}:100"
        assert qcli(url, state, "build", "get_field", build, "vcs_ref") == "9fceb02\n"
        qcli(url, state, "build_artifact", "create", build, SOURCE_REPO, IMAGE_REPO, "image",
             "registry/op:100")
        release = qcli(url, state, "release", "create", build, DEPLOYMENT, "55").strip()
        qcli(url, state, "release_artifact", "create", release, IMAGE_REPO, IMAGE_REPO,
             "chart", "charts/op:55")
        qcli(url, state, "deployment", "set_field", DEPLOYMENT, "current_release_id", release)
        deployment = json.loads(qcli(url, state, "deployment", "get", DEPLOYMENT, "-o", "json"))
        assert deployment["current_release"]["release_artifacts"][0]["upload_path"] == \
            "charts/op:55"
        assert sorted(qcli(url, state, "release", "list").split()) == sorted([f"{DEPLOYMENT}:7", release])
        stale = get(url, f"/api/builds/{build}")  # no position sent: the replica answers
        assert (stale.status_code, stale.headers["Qairon-Served-By"]) == (404, "replica-1")

        pair.resume_replay()
        pair.caught_up()
        assert served_by_replica(url, f"/api/builds/{build}").status_code == 200

        pair.stop_replica()
        for _ in range(20):  # every worker meets the dead replica: no error, the primary serves
            answer = get(url, f"/api/builds/{build}")
            assert answer.status_code == 200
        assert answer.headers["Qairon-Served-By"] == "primary"
        assert get(url, "/ready").json()["replicas"][0]["state"] == "down"
        assert qcli(url, state, "build", "get_field", build, "vcs_ref") == "9fceb02\n"
    finally:
        servers.stop(process)


def test_a_lagging_replica_leaves_the_rotation(tmp_path):
    with StreamingPair() as pair:
        servers.migrate(pair.primary_url)
        process, url = serve(pair, tmp_path, "strict", replica_max_lag_seconds=0.5)
        try:
            assert requests.post(f"{url}/api/environments", json={"name": "prod"},
                                 timeout=10).status_code == 201
            pair.caught_up()
            served_by_replica(url, "/api/environments/prod")
            pair.pause_replay()
            assert requests.post(f"{url}/api/environments", json={"name": "qa"},
                                 timeout=10).status_code == 201
            time.sleep(1.5)
            assert get(url, "/ready").json()["replicas"][0]["state"] == "lagging"
            answer = get(url, "/api/environments/qa")
            assert (answer.status_code, answer.headers["Qairon-Served-By"]) == (200, "primary")
            pair.resume_replay()
            pair.caught_up()
            assert served_by_replica(url, "/api/environments/qa").status_code == 200
        finally:
            servers.stop(process)
