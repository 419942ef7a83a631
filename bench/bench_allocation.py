"""Benchmark subnet allocation on PostgreSQL and print a table.

    python bench/bench_allocation.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

Creates a throw-away database, migrates it and starts a gunicorn server on a
free port. Latency: existing /24 subnets (100, 10,000, 50,000) are
bulk-inserted packed from the bottom of a 10.0.0.0/8 network (the worst case:
the first free block lies after all of them), then /24s are allocated one at a
time over HTTP and in-process (the locking, reading, searching and inserting
code without HTTP). Throughput: 8 concurrent clients allocating /28s, first
each in its own network, then all in one network. Finishes in about a minute.
"""
import argparse
import io
import ipaddress
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from qairon.models import REGISTRY
from tests.support.live_server import PostgresDatabase
from tests.support.servers import migrate, serve, stop
from tests.support.world import PART as PARTITION
from tests.support.world import rows_for

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
EXISTING = (100, 10_000, 50_000)
SAMPLES = 60
CLIENTS = 8
PER_CLIENT = 40
ANCESTRY = [(f"/api/{REGISTRY[row.resource].plural}", row.fields) for row in rows_for(PARTITION)]


def post(url, body, expect=201):
    """POST JSON, insist on the status, return the body."""
    response = requests.post(url, json=body, timeout=60)
    if response.status_code != expect:
        raise RuntimeError(f"{url}: {response.status_code} {response.text}")
    return response.json()


def bulk_insert(database_url, network_id, count):
    """COPY ``count`` /24 subnets, packed from 10.0.0.0, into the network."""
    import psycopg2

    from qairon.core.cidr import range_keys
    buffer = io.StringIO()
    for index in range(count):
        subnet = ipaddress.IPv4Network((0x0A000000 + (index << 8), 24))
        start, end = range_keys(subnet)
        buffer.write(f"{network_id}:pre{index}\t{network_id}\tpre{index}\t{subnet}\t{start}\t"
                     f"{end}\t{{}}\t2026-01-01T00:00:00Z\t2026-01-01T00:00:00Z\n")
    buffer.seek(0)
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.copy_from(buffer, "subnet", columns=(
            "id", "network_id", "name", "cidr", "range_start", "range_end", "defaults",
            "created_at", "last_updated_at"))
        cursor.execute("ANALYZE subnet")
    connection.close()


def percentiles(samples):
    """(p50, p95) of a list of seconds, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def http_latency(url, network_id, count, tag):
    """Seconds per sequential HTTP allocation of a /24."""
    out = []
    for index in range(count):
        started = time.perf_counter()
        post(f"{url}/api/networks/{network_id}/allocate_subnet",
             {"prefix_length": 24, "name": f"{tag}{index}"})
        out.append(time.perf_counter() - started)
    return out


def inprocess_latency(app, network_id, count, tag):
    """Seconds per allocation through :func:`allocate` and commit, without HTTP."""
    from qairon.api.network_views import allocate
    from qairon.extensions import db
    out = []
    with app.app_context():
        for index in range(count):
            started = time.perf_counter()
            allocate(db.session, network_id, {"prefix_length": 24}, {"name": f"{tag}{index}"})
            db.session.commit()
            out.append(time.perf_counter() - started)
            db.session.remove()
    return out


def throughput(url, network_ids):
    """Allocations per second of CLIENTS threads, client i using network_ids[i % len]."""
    def client(index):
        network_id = network_ids[index % len(network_ids)]
        for number in range(PER_CLIENT):
            post(f"{url}/api/networks/{network_id}/allocate_subnet",
                 {"prefix_length": 28, "name": f"c{index}-{number}"})

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    return CLIENTS * PER_CLIENT / (time.perf_counter() - started)


def run(base_url):
    """Build the database and server, measure, return the table rows."""
    database = PostgresDatabase(base_url)
    database_url = database.create()
    server = None
    try:
        migrate(database_url)
        server, url = serve(database_url, workers=4, threads=2)
        for path, body in ANCESTRY:
            post(url + path, body)
        os.environ["SQLALCHEMY_DATABASE_URI"] = database_url
        from qairon import create_app
        from qairon.extensions import db
        app = create_app()
        rows = []
        for count in EXISTING:
            network_id = post(url + "/api/networks", {
                "partition_id": PARTITION, "name": f"big{count}", "cidr": "10.0.0.0/8"})["id"]
            bulk_insert(database_url, network_id, count)
            http_latency(url, network_id, 5, "warm")
            http = percentiles(http_latency(url, network_id, SAMPLES, "h"))
            local = percentiles(inprocess_latency(app, network_id, SAMPLES, "p"))
            rows.append((f"latency, {count:,} existing", *http, *local))
        spread = [post(url + "/api/networks", {"partition_id": PARTITION, "name": f"t{i}",
                                               "cidr": "10.0.0.0/16"})["id"]
                  for i in range(CLIENTS)]
        single = post(url + "/api/networks", {"partition_id": PARTITION, "name": "tone",
                                              "cidr": "10.0.0.0/16"})["id"]
        warm = post(url + "/api/networks", {"partition_id": PARTITION, "name": "warm",
                                            "cidr": "10.0.0.0/16"})["id"]
        throughput(url, [warm])  # start every worker's connections
        result = rows, throughput(url, spread), throughput(url, [single])
        with app.app_context():
            db.engine.dispose()
        return result
    finally:
        if server is not None:
            stop(server)
        database.drop()


def main(argv=None):
    """Parse arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_TEST_DATABASE_URL")
                        or DEFAULT_URL)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows, spread, single = run(args.database_url)
    if args.json:
        print(json.dumps({"latency_ms": {row[0]: row[1:] for row in rows},
                          "allocations_per_s": {"8 networks": spread, "1 network": single}}))
        return 0
    print(f"{'PostgreSQL, /24 into 10.0.0.0/8':<32} {'HTTP p50':>9} {'HTTP p95':>9} "
          f"{'core p50':>9} {'core p95':>9}  (ms)")
    for name, http50, http95, core50, core95 in rows:
        print(f"{name:<32} {http50:9.1f} {http95:9.1f} {core50:9.1f} {core95:9.1f}")
    print(f"throughput, {CLIENTS} clients x {PER_CLIENT} /28s across {CLIENTS} networks: "
          f"{spread:7.1f} allocations/s")
    print(f"throughput, {CLIENTS} clients x {PER_CLIENT} /28s on one network:      "
          f"{single:7.1f} allocations/s")
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
