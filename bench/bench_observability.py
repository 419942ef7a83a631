"""What metrics and the request log cost: GET by ID with them and without, on PostgreSQL.

    python bench/bench_observability.py [--database-url URL] [--rounds 3] [--count 2000]

Creates a throw-away database with the seed world and serves it twice the
production way (gunicorn with ``gunicorn.conf.py``, ``PROMETHEUS_MULTIPROC_DIR``
as it sets it): as shipped (metrics, one JSON log line per request written to
a file) and with ``QAIRON_METRICS=off QAIRON_REQUEST_LOG=off``. Rounds
alternate between the two so that the machine's drift hits both; prints p50
of one client and req/s of 16 connections, and the overhead (goal ≤ 5 %).
"""
import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests  # noqa: E402

from bench import driver, server  # noqa: E402
from qairon.models import REGISTRY  # noqa: E402
from tests.support.live_server import free_port  # noqa: E402
from tests.support.world import SERVICE, WORLD  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL = 5.0
QUIET = {"QAIRON_METRICS": "off", "QAIRON_REQUEST_LOG": "off"}


def seed(url):
    """Write the seed world through a server with authentication off."""
    os.environ["QAIRON_AUTH"] = "off"
    process, base = server.start(url, free_port(), os.devnull)
    os.environ.pop("QAIRON_AUTH")
    try:
        for row in WORLD:
            requests.post(f"{base}/api/{REGISTRY[row.resource].plural}", json=row.fields,
                          headers={"Authorization": ""}, timeout=10)
    finally:
        server.stop(process)


def measure(url, env, count, log_path):
    """(p50 ms of one client, req/s of 16 connections) of GET service by ID."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        process, base = server.start(url, free_port(), log_path)
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    try:
        get = [driver.Request("GET", f"/api/services/{SERVICE}")] * count
        single = driver.single(base, get)
        many = driver.concurrent(base, get[:200], connections=16, seconds=4.0)
        return single["p50_ms"], many["rps"]
    finally:
        server.stop(process)


def main(argv=None):
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args(argv)
    database, url = server.fresh_database(args.database_url, "qairon_bench_ops_")
    results = {"on": [], "off": []}
    try:
        os.environ.pop("QAIRON_AUTH", None)
        seed(url)
        with tempfile.TemporaryDirectory() as folder:
            for _ in range(args.rounds):
                results["on"].append(measure(url, {}, args.count,
                                             os.path.join(folder, "requests.log")))
                results["off"].append(measure(url, QUIET, args.count, os.devnull))
    finally:
        database.drop()
    on_p50 = statistics.median(r[0] for r in results["on"])
    off_p50 = statistics.median(r[0] for r in results["off"])
    on_rps = statistics.median(r[1] for r in results["on"])
    off_rps = statistics.median(r[1] for r in results["off"])
    latency = (on_p50 / off_p50 - 1) * 100
    throughput = (1 - on_rps / off_rps) * 100
    print("| GET service by ID | 1 client p50 ms | 16 conns req/s |")
    print("|---|---|---|")
    print(f"| metrics + request log | {on_p50:.3f} | {on_rps:,.0f} |")
    print(f"| neither | {off_p50:.3f} | {off_rps:,.0f} |")
    verdict = "met" if max(latency, throughput) <= GOAL else "MISSED"
    print(f"| overhead | {latency:+.1f} % | {throughput:+.1f} % fewer | goal ≤ {GOAL:g} %: "
          f"{verdict}")
    print(f"rounds: on {results['on']}, off {results['off']}")


if __name__ == "__main__":
    main()
