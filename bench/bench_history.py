"""Benchmark the history on PostgreSQL with more than a million change records.

    python bench/bench_history.py [--database-url URL] [--requests 300] [--versions 46]

1. the large inventory of :mod:`bench.dataset` is loaded with ``COPY`` and recorded as
   the baseline (``record_baseline``: one ``INSERT ... SELECT`` per table), then
   ``--versions`` rewrites of every service's defaults and five of every deployment's
   current release are added set-wise, in changeset order, so that the record holds
   more than 1,000,000 changes and the tables hold the last version;
2. gunicorn serves it as in production; one client times ``as_of`` GET by ID, the
   first page of 100 ``as_of`` a moment, ``/api/changes`` pages, an object's history;
3. ``POST create build`` and the CI flow of five writes are timed with the record and
   without it (a second server with ``QAIRON_HISTORY_RECORD=off``, same database);
4. ``EXPLAIN ANALYZE`` of the queries behind them is saved to ``bench/results/``.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import psycopg2  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from bench import dataset, driver, operations, server  # noqa: E402
from tests.support.live_server import PostgresDatabase, free_port  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RECENT = 20
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
TARGETS = {"as_of GET service by ID": 5.0, "as_of first page of 100 services": 50.0,
           "as_of first page of 100 deployments": 50.0, "changes, first page": 10.0}


def target_of(name):
    """The target of a measured read (names carry the moment in brackets)."""
    return TARGETS.get(name.split(" (")[0])


def log(message):
    print(f"[bench_history {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def versions_sql(versions):
    """SQL that adds ``versions`` rewrites of every service and 5 of every deployment."""
    out = []
    for k in range(1, versions + 1):
        out.append(
            "WITH cs AS (INSERT INTO changeset (at, actor, kind, summary) VALUES "
            f"(clock_timestamp(), 'bench{k % 3}', 'write', '{{}}') RETURNING id) "
            "INSERT INTO change (changeset_id, resource, object_id, operation, before, after) "
            "SELECT cs.id, 'service', s.id, 'update', "
            f"to_jsonb(s) || jsonb_build_object('defaults', jsonb_build_object('rev', {k - 1})), "
            f"to_jsonb(s) || jsonb_build_object('defaults', jsonb_build_object('rev', {k})) "
            "FROM cs, service s ORDER BY s.id")
    for k in range(1, 6):
        out.append(
            "WITH cs AS (INSERT INTO changeset (at, actor, kind, summary) VALUES "
            "(clock_timestamp(), 'ci-dev', 'write', '{}') RETURNING id) "
            "INSERT INTO change (changeset_id, resource, object_id, operation, before, after) "
            "SELECT cs.id, 'deployment', d.id, 'update', to_jsonb(d), "
            f"to_jsonb(d) || jsonb_build_object('native_id', 'v{k}') "
            "FROM cs, deployment d ORDER BY d.id")
    for j in range(RECENT):  # then everyday traffic: small changesets of 50 deployments
        subset = f"SELECT id FROM deployment ORDER BY md5(id) OFFSET {j * 50} LIMIT 50"
        out.append(
            "WITH cs AS (INSERT INTO changeset (at, actor, kind, summary) VALUES "
            "(clock_timestamp(), 'ci-dev', 'write', '{}') RETURNING id) "
            "INSERT INTO change (changeset_id, resource, object_id, operation, before, after) "
            f"SELECT cs.id, 'deployment', d.id, 'update', to_jsonb(d) || "
            f"jsonb_build_object('native_id', 'v5'), to_jsonb(d) || "
            f"jsonb_build_object('native_id', 'h{j}') FROM cs, deployment d "
            f"WHERE d.id IN ({subset}) ORDER BY d.id")
        out.append(f"UPDATE deployment SET native_id = 'h{j}' WHERE id IN ({subset})")
    out.append(  # each version is valid until the next change of the same row
        "UPDATE change c SET superseded_by = x.next FROM (SELECT id, lead(id) OVER (PARTITION "
        "BY resource, object_id, link, other_id ORDER BY id) AS next FROM change) x "
        "WHERE c.id = x.id AND x.next IS NOT NULL")
    out.append(f"UPDATE service SET defaults = jsonb_build_object('rev', {versions})")
    out.append("UPDATE deployment SET native_id = 'v5' WHERE native_id IS NULL")
    return out


def prepare(base_url, versions):
    """A fresh database with the inventory, its baseline and the added versions."""
    database, url = server.fresh_database(base_url, "qairon_bench_history_")
    started = time.perf_counter()
    rows = dataset.generate("large")
    connection = psycopg2.connect(url)
    dataset.load(connection, rows)
    connection.close()
    loaded = time.perf_counter() - started
    from qairon.history.baseline import record_baseline
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        baseline, counts = record_baseline(conn, actor="bench")
    baseline_seconds = time.perf_counter() - started
    engine.dispose()
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        for statement in versions_sql(versions):
            cursor.execute(statement)
        connection.commit()
        connection.autocommit = True
        cursor.execute("VACUUM ANALYZE change")
        cursor.execute("VACUUM ANALYZE changeset")
        cursor.execute("SELECT count(*), max(id) FROM change")
        total, last = cursor.fetchone()
        cursor.execute("SELECT id FROM changeset ORDER BY id")
        changesets = [r[0] for r in cursor.fetchall()]
    connection.close()
    info = {"load_seconds": loaded, "baseline_seconds": baseline_seconds,
            "baseline_rows": sum(n for c in counts.values() for n in c.values()),
            "changes": total, "changesets": len(changesets)}
    return database, url, rows, changesets, info


def reuse(url):
    """A database prepared by an earlier ``--keep`` run."""
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM change")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM changeset ORDER BY id")
        changesets = [r[0] for r in cursor.fetchall()]
    connection.close()
    database = PostgresDatabase(url)
    database.name = url.rsplit("/", 1)[1]
    info = {"load_seconds": 0, "baseline_seconds": 0, "baseline_rows": 0, "changes": total,
            "changesets": len(changesets)}
    return database, url, dataset.generate("large"), changesets, info


def timed(base, paths, count):
    requests = [driver.Request("GET", p) for p in paths]
    while len(requests) < count + 20:
        requests += requests
    return driver.single(base, requests[:count + 20])


def moments(changesets):
    """``{label: changeset}``: a moment in the middle of the versions, and a recent one."""
    return {"middle": changesets[len(changesets) // 2], "recent": changesets[-RECENT - 1]}


def reads(base, rows, changesets, count):
    """p50/p95 of the history's reads (one client)."""
    services = operations._spread(operations.ids(rows, "service"), count)
    deployments = operations._spread(operations.ids(rows, "deployment"), count)
    q = operations.q
    out = {}
    for label, moment in moments(changesets).items():
        out.update({
            f"as_of GET service by ID ({label})": timed(
                base, [f"/api/services/{q(s)}?as_of={moment}" for s in services], count),
            f"as_of first page of 100 services ({label})": timed(
                base, [f"/api/services?limit=100&as_of={moment}"], count // 4),
            f"as_of first page of 100 deployments ({label})": timed(
                base, [f"/api/deployments?limit=100&as_of={moment}"], count // 4),
            f"as_of trace of a deployment ({label})": timed(
                base, [f"/api/deployments/{q(d)}/trace?as_of={moment}"
                       for d in deployments], count // 4),
        })
    out.update({
        "GET service by ID (now)": timed(base, [f"/api/services/{q(s)}" for s in services],
                                         count),
        "first page of 100 services (now)": timed(base, ["/api/services?limit=100"], count // 4),
        "changes, first page": timed(base, ["/api/changes?limit=100"], count),
        "changes of one object": timed(
            base, [f"/api/changes?resource=service&id={q(s)}&limit=100" for s in services], count),
        "changes of one actor": timed(base, ["/api/changes?actor=ci-dev&limit=100"], count),
        "history of one service": timed(
            base, [f"/api/services/{q(s)}/history" for s in services], count),
    })
    return out


def writes(url, rows, count, log_path, rounds=3):
    """POST create build and the CI flow, one client, with and without the record.

    Both servers run at once on the same database and are measured in turn,
    ``rounds`` times (the machine is shared: alternating spreads the noise);
    each figure is the median of the rounds' medians.
    """
    started = {}
    for record in (True, False):
        os.environ["QAIRON_HISTORY_RECORD"] = "on" if record else "off"
        try:
            started[record] = server.start(url, free_port(), log_path)
        finally:
            os.environ.pop("QAIRON_HISTORY_RECORD", None)
    samples = {True: {}, False: {}}
    try:
        for n in range(rounds):
            for record, (_process, base) in started.items():
                run = f"{'h' if record else 'n'}{n}"
                ops = {op.name: op for op in operations.build(rows, count, run=run)
                       if op.name in ("POST create build", "CI flow, 5 writes")}
                for name, result in (
                        ("POST create build", driver.single(
                            base, ops["POST create build"].requests[:count + 20])),
                        ("CI flow, 5 writes", driver.sequence(
                            base, ops["CI flow, 5 writes"].flows[:count // 4]))):
                    samples[record].setdefault(name, []).append(result)
    finally:
        for process, _base in started.values():
            server.stop(process)
    out = {}
    for record, by_name in samples.items():
        out[record] = {name: {key: statistics.median(r[key] for r in results)
                              for key in ("p50_ms", "p95_ms")}
                       for name, results in by_name.items()}
    return out[True], out[False]


def explain(url, rows, changesets):
    """``EXPLAIN ANALYZE`` of the SQL the as_of and changes reads run."""
    from qairon.history.as_of import view_for
    service = rows.tables["service"][len(rows.tables["service"]) // 2]["id"]
    connection = psycopg2.connect(url)
    out = {}
    with connection.cursor() as cursor:
        for label, moment in moments(changesets).items():
            cursor.execute("SELECT max(id) FROM change WHERE changeset_id <= %s", (moment,))
            cut = cursor.fetchone()[0]
            for table in ("service", "deployment"):
                statement = view_for(cursor, "postgresql", table, cut)
                if statement:  # none when the table did not change since
                    cursor.execute(statement)
            for name, sql, params in (
                    ("service by id", "SELECT * FROM service WHERE id = %s", (service,)),
                    ("first page of services", "SELECT * FROM service ORDER BY id LIMIT 100", ()),
                    ("count of services", "SELECT count(id) FROM service", ()),
                    ("count of deployments", "SELECT count(id) FROM deployment", ())):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                out[f"as_of {name} ({label})"] = "\n".join(r[0] for r in cursor.fetchall())
            connection.rollback()
        queries = {
            "changes, first page": (
                "SELECT c.*, s.at, s.actor FROM change c JOIN changeset s ON s.id = "
                "c.changeset_id ORDER BY c.id DESC LIMIT 101", ()),
            "changes of one object": (
                "SELECT c.* FROM change c WHERE c.resource = 'service' AND c.object_id = %s "
                "ORDER BY c.id DESC LIMIT 101", (service,)),
            "changes of one actor": (
                "SELECT c.*, s.at FROM change c JOIN changeset s ON s.id = c.changeset_id "
                "WHERE s.actor = 'ci-dev' ORDER BY c.id DESC LIMIT 101", ()),
        }
        for name, (sql, params) in queries.items():
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            out[name] = "\n".join(r[0] for r in cursor.fetchall())
    connection.rollback()
    connection.close()
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_TEST_DATABASE_URL")
                        or DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--versions", type=int, default=46)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", metavar="URL", help="a database prepared by a --keep run")
    parser.add_argument("--reads-only", action="store_true")
    args = parser.parse_args(argv)
    if args.reuse:
        database, url, rows, changesets, info = reuse(args.reuse)
    else:
        log("loading the large inventory and its history")
        database, url, rows, changesets, info = prepare(args.database_url, args.versions)
    log_path = os.path.join(tempfile.gettempdir(), f"{database.name}.log")
    try:
        log(f"{info['changes']:,} changes in {info['changesets']} changesets; serving")
        process, base = server.start(url, free_port(), log_path)
        try:
            measured = reads(base, rows, changesets, args.requests)
        finally:
            server.stop(process)
        log("writes with and without the record")
        with_record, without = ({}, {}) if args.reads_only else \
            writes(url, rows, args.requests, log_path)
        plans = explain(url, rows, changesets)
    finally:
        if not args.keep and not args.reuse:
            database.drop()
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "history_explain.txt"), "w") as handle:
        for name, plan in plans.items():
            handle.write(f"-- {name}\n{plan}\n\n")
    document = {"info": info, "reads": measured, "with_record": with_record,
                "without_record": without}
    with open(os.path.join(RESULTS, "history.json"), "w") as handle:
        json.dump(document, handle, indent=1)
    print(f"History benchmark: {info['changes']:,} change records in {info['changesets']:,} "
          f"changesets (baseline of {info['baseline_rows']:,} rows recorded in "
          f"{info['baseline_seconds']:.1f} s)\n")
    print("| read (one client) | p50 ms | p95 ms | target |")
    print("|---|---|---|---|")
    for name, row in measured.items():
        goal = target_of(name)
        verdict = "" if goal is None else \
            f"≤ {goal:g} ms: {'met' if row['p50_ms'] <= goal else 'MISSED'}"
        print(f"| {name} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | {verdict} |")
    print("\n| write (one client) | with record p50 ms | without p50 ms | cost | target |")
    print("|---|---|---|---|---|")
    for name in with_record:
        a, b = with_record[name]["p50_ms"], without[name]["p50_ms"]
        cost = (a - b) / b * 100
        print(f"| {name} | {a:.2f} | {b:.2f} | {cost:+.0f} % | within 20 %: "
              f"{'met' if cost <= 20 else 'MISSED'} |")
    print("\nEXPLAIN ANALYZE (bench/results/history_explain.txt):")
    for name, plan in plans.items():
        top = plan.splitlines()
        time_line = [line for line in top if "Execution Time" in line]
        print(f"  {name}: {top[0][:80]} ... {time_line[0].strip() if time_line else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
