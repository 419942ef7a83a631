"""What metrics and the request log cost: GET by ID with them and without, on PostgreSQL.

    python bench/bench_observability.py [--database-url URL] [--rounds 3] [--count 2000]

Creates a throw-away database with the seed world and serves it by two servers
at once, the production way (gunicorn with ``gunicorn.conf.py``, which sets
``PROMETHEUS_MULTIPROC_DIR``): one as shipped (metrics, one JSON log line per
request written to a file), one with ``QAIRON_METRICS=off QAIRON_REQUEST_LOG=off``.
One client sends to each in turn, request by request, so that the machine's
drift hits both alike; then 16 connections in alternating windows. Prints p50
and req/s and the overhead (goal ≤ 5 %).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

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
    """Write the seed world through a server, with a writer token."""
    from bench.__main__ import writer_token
    token = writer_token(url)
    process, base = server.start(url, free_port(), os.devnull)
    try:
        for row in WORLD:
            answer = requests.post(f"{base}/api/{REGISTRY[row.resource].plural}",
                                   json=row.fields, timeout=10,
                                   headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 201, answer.text
    finally:
        server.stop(process)


def start(url, env, log_path):
    """A gunicorn server with ``env`` added to the environment; (process, base URL)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return server.start(url, free_port(), log_path)
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)


def interleaved(bases, count):
    """p50 ms per server of GET by ID, one client sending to each server in turn.

    Taking turns request by request puts the machine's drift (other processes,
    frequency) on both servers alike, which rounds of a few seconds do not.
    """
    clients = [driver.Client(base) for base in bases]
    request = driver.Request("GET", f"/api/services/{SERVICE}")
    samples = [[] for _ in bases]
    for n in range(count + 200):
        for client, kept in zip(clients, samples, strict=True):
            started = time.perf_counter()
            status, _response, _body = client.send(request)
            if n >= 200:
                kept.append(time.perf_counter() - started)
            assert status == 200, status
    for client in clients:
        client.close()
    return [statistics.median(kept) * 1000 for kept in samples]


def throughput(bases, rounds, seconds=2.0):
    """Median req/s per server of 16 connections, in alternating windows."""
    request = [driver.Request("GET", f"/api/services/{SERVICE}")] * 200
    found = [[] for _ in bases]
    for _ in range(rounds):
        for base, kept in zip(bases, found, strict=True):
            kept.append(driver.concurrent(base, request, connections=16, seconds=seconds)["rps"])
    return [statistics.median(kept) for kept in found]


def main(argv=None):
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args(argv)
    database, url = server.fresh_database(args.database_url, "qairon_bench_ops_")
    try:
        seed(url)
        with tempfile.TemporaryDirectory() as folder:
            on, on_url = start(url, {}, os.path.join(folder, "requests.log"))
            off, off_url = start(url, QUIET, os.devnull)
            try:
                on_p50, off_p50 = interleaved([on_url, off_url], args.count)
                on_rps, off_rps = throughput([on_url, off_url], args.rounds)
            finally:
                server.stop(on)
                server.stop(off)
    finally:
        database.drop()
    latency = (on_p50 / off_p50 - 1) * 100
    fewer = (1 - on_rps / off_rps) * 100
    print("| GET service by ID | 1 client p50 ms | 16 conns req/s |")
    print("|---|---|---|")
    print(f"| metrics + request log | {on_p50:.3f} | {on_rps:,.0f} |")
    print(f"| neither | {off_p50:.3f} | {off_rps:,.0f} |")
    verdict = "met" if max(latency, fewer) <= GOAL else "MISSED"
    print(f"| overhead | {latency:+.1f} % | {fewer:+.1f} % fewer | goal ≤ {GOAL:g} %: "
          f"{verdict}")


if __name__ == "__main__":
    main()
