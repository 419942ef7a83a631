"""``make bench``: load the inventory, serve it the production way, measure, report.

    python -m bench [--size large|small] [--database-url URL] [--seconds 5] [--keep]

1. a fresh PostgreSQL database, migrated, bulk-loaded with the seeded inventory
   (:mod:`bench.dataset`) and checked against the model's rules;
2. ``EXPLAIN`` of the hot queries (saved to ``bench/results/explain.txt``);
3. SQL statements per request, from a server with ``QAIRON_COUNT_SQL=1``;
4. gunicorn with ``gunicorn.conf.py`` (``QAIRON_AUTH=writes``: writes send a
   writer token; GET by ID is measured with and without one): each operation
   by one client, then by 16 connections (``wrk`` when installed), qcli as
   processes, and the floor (the same SQL via psycopg2);
5. the other benchmarks of ``bench/`` (allocation, CSV) when present;
6. the table on stdout, JSON under ``bench/results/``.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import psycopg2

from tests.support.live_server import free_port
from tests.support.servers import server_env

from . import dataset, driver, floor, operations, qcli_timing, report, server

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
OTHERS = ("bench_allocation.py", "bench_csv.py", "bench_history.py", "bench_upstream.py",
          "bench_observability.py")


def log(message):
    """Progress on stderr, so that stdout holds the tables only."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def prepare(base_url, size):
    """Create, migrate, load and verify the database; return (database, url, rows, info)."""
    database, url = server.fresh_database(base_url, "qairon_bench_")
    started = time.perf_counter()
    rows = dataset.generate(size)
    connection = psycopg2.connect(url)
    try:
        dataset.load(connection, rows)
        checked = dataset.verify(connection)
    finally:
        connection.close()
    broken = {rule: n for rule, n in checked["violations"].items() if n}
    if broken:
        raise RuntimeError(f"the generated inventory breaks rules: {broken}")
    checked["load_seconds"] = time.perf_counter() - started
    return database, url, rows, checked


def writer_token(url):
    """A writer token made with ``flask --app qairon token create`` on the bench database."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "qairon", "token", "create",
                           "--name", "bench-writer", "--role", "writer"],
                          env=server_env(url), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError("flask token create failed: " + done.stderr[-1000:])
    return done.stdout.strip()


def count_sql(url, log_path, ops, rows):
    """SQL statements per request of every operation, from a counting server."""
    process, base = server.start(url, free_port(), log_path, count_sql=True, workers=1)
    try:
        out = {}
        for op in ops:
            if op.flows:
                out[op.name] = driver.sql_count(base, op.flows[1], warm=op.flows[0])
            else:
                out[op.name] = driver.sql_count(base, op.requests[1:2], warm=op.requests[:1])
        out["qcli service list (10,000)"] = driver.sql_count(
            base, [driver.Request("GET", "/api/services?limit=500")])
        return out
    finally:
        server.stop(process)


def measure(url, log_path, single_ops, concurrent_ops, seconds, count, with_qcli=True):
    """One client and 16 connections for every operation, then qcli; return rows."""
    process, base = server.start(url, free_port(), log_path)
    rows = []
    try:
        for op, twin in zip(single_ops, concurrent_ops, strict=True):
            log(f"measuring {op.name}")
            row = {"operation": op.name}
            if op.flows:
                row["single"] = driver.sequence(base, op.flows[:count // 4])
            else:
                row["single"] = driver.single(base, op.requests[:count + 20])
            if op.concurrent:
                row["concurrent"] = driver.concurrent(base, twin.requests, 16, seconds)
            rows.append(row)
        if not with_qcli:
            return rows
        log("measuring qcli")
        service = single_ops[0].requests[0].path.rsplit("/", 1)[1]
        rows.append({"operation": "qcli --help",
                     "single": qcli_timing.timed(["--help"], base, 10)})
        rows.append({"operation": "qcli service get",
                     "single": qcli_timing.timed(["service", "get", service], base, 10)})
        listing = qcli_timing.timed(["service", "list", "-o", "plain"], base, 3)
        small = qcli_timing.timed(["stack", "list", "-o", "plain"], base, 1)
        rows.append({"operation": "qcli service list (10,000)", "single": listing,
                     "note": f"{listing['lines']:,} lines, peak RSS {listing['rss_mib']:.0f} "
                             f"MiB ({small['lines']:,} stacks: {small['rss_mib']:.0f} MiB)"})
    finally:
        server.stop(process)
    return rows


def floors(url, ops, count):
    """The psycopg2 floor of every operation that has one."""
    out = {}
    connection = psycopg2.connect(url)
    try:
        for op in ops:
            out[op.name] = floor.measure(connection, op.floor[:count // 2])
        out["qcli service list (10,000)"] = floor.measure(connection, [[(
            "SELECT * FROM service ORDER BY id", ())]] * 5, warmup=1)
        plans = floor.explain(connection, _sample_ids(ops))
    finally:
        connection.close()
    return out, plans


def _sample_ids(ops):
    first = {op.name: op.requests[0].path for op in ops}
    service = first["GET service by ID, plain"].rsplit("/", 1)[1]
    deployment = first["GET deployment by ID (+release)"].rsplit("/", 1)[1]
    target = first["get_field to-many target.deployments"].split("/")[3]
    stack = first["get_field to-many stack.services"].split("/")[3]
    app = stack.split(":")[0]
    return {"service": service, "stack": stack, "application": app,
            "deployment_target": target, "deployment": deployment,
            "build": service + ":3", "release": deployment + ":10",
            "repo": "ecr:" + app, "network": target.rsplit(":", 2)[0] + ":main-vpc"}


def others(base_url):
    """Run the other benchmarks of ``bench/`` that exist; return {script: output}."""
    out = {}
    here = os.path.dirname(os.path.abspath(__file__))
    for script in OTHERS:
        path = os.path.join(here, script)
        if not os.path.exists(path):
            continue
        log(f"running {script}")
        done = subprocess.run([sys.executable, path, "--database-url", base_url],
                              capture_output=True, text=True, timeout=1800, check=False)
        out[script] = done.stdout if done.returncode == 0 else (
            f"failed ({done.returncode}): {done.stderr[-1500:]}")
    return out


def main(argv=None):
    """Parse arguments, run every step, print and save the results."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(dataset.SIZES), default="large")
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_BENCH_DATABASE_URL")
                        or os.environ.get("QAIRON_TEST_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--seconds", type=float, default=5.0, help="per concurrent run")
    parser.add_argument("--requests", type=int, default=400, help="per one-client run")
    parser.add_argument("--only-core", action="store_true", help="skip the other benchmarks")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--op", action="append", metavar="NAME",
                        help="measure only this operation (repeatable; a prefix of its name)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    log(f"loading the {args.size} inventory")
    database, url, rows, checked = prepare(args.database_url, args.size)
    log_path = os.path.join(tempfile.gettempdir(), f"{database.name}.log")
    try:
        log(f"loaded in {checked['load_seconds']:.0f} s; counting SQL per request")
        token = writer_token(url)

        def chosen(run):
            return [op for op in operations.build(rows, args.requests, run=run, token=token)
                    if not args.op or any(op.name.startswith(name) for name in args.op)]

        sql = count_sql(url, log_path, chosen("c"), rows)
        results = measure(url, log_path, chosen("s"), chosen("w"), args.seconds, args.requests,
                          with_qcli=not args.op)
        log("measuring the floor and EXPLAIN")
        floor_of, plans = floors(url, operations.build(rows, args.requests, run="f"),
                                 args.requests)
        for row in results:
            row["sql"] = sql.get(row["operation"])
            row["floor"] = floor_of.get(row["operation"])
        extra = {} if args.only_core else others(args.database_url)
    finally:
        if not args.keep:
            database.drop()
    document = {"machine": report.machine(), "size": args.size, "dataset": checked,
                "results": results, "explain": plans, "others": extra,
                "seconds": time.perf_counter() - started}
    path = report.save(document)
    with open(os.path.join(report.RESULTS, "explain.txt"), "w") as handle:
        for name, plan in plans.items():
            handle.write(f"-- {name}\n{plan}\n\n")
    print(f"Qairon benchmark, {args.size} inventory "
          f"({checked['rows']['service']:,} services, {checked['rows']['release']:,} releases, "
          f"{checked['rows']['subnet']:,} subnets; loaded in {checked['load_seconds']:.0f} s)")
    print(f"machine: {document['machine']}\n")
    print(report.table(results))
    overhead = report.token_overhead(results)
    if overhead:
        print("\n" + overhead)
    print("\nEXPLAIN of the hot queries (full plans in bench/results/explain.txt):")
    for name, plan in plans.items():
        print(f"  {'index' if floor.uses_index(plan) else 'SCAN '}  {name}: "
              f"{plan.splitlines()[0][:90]}")
    for script, output in extra.items():
        print(f"\n{script}:\n{output.rstrip()}")
    print(f"\n(total {document['seconds']:.0f} s; JSON in {os.path.relpath(path)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
