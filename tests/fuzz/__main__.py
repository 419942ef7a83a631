"""``make fuzz``: a bigger bounded run on SQLite and PostgreSQL (or a live server).

    python -m tests.fuzz [--requests N] [--seed N] [--backends sqlite,postgresql]
                         [--database-url URL] [--url http://host:port [--token T]]
                         [--examples N]

Each backend gets a fresh migrated database seeded with the shared world and
``--requests`` requests. PostgreSQL runs when ``--database-url`` or
``QAIRON_TEST_DATABASE_URL`` names a server. The summary table goes to stdout;
the exit status is 1 when any answer broke a promise.
"""
import argparse
import logging
import os
import sys
import tempfile
import time

from . import catalog, report
from .runner import ClientTarget, LiveTarget, run


def migrated_app(uri):
    """An app on ``uri`` with the migrations applied; authentication off, as in the suite."""
    from flask_migrate import upgrade

    from qairon import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "AUTH": "off"})
    with app.app_context():
        upgrade()
    return app


def run_backend(backend, args, cat):
    """One run on a fresh database of ``backend``; returns its tally."""
    from tests.support.live_server import PostgresDatabase
    database = None
    if backend == "postgresql":
        database = PostgresDatabase(args.database_url)
        uri = database.create()
    else:
        uri = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="qairon-fuzz-"), "fuzz.db")
    try:
        app = migrated_app(uri)
        with app.app_context():
            return run(ClientTarget(app, quiet=True), cat, args.requests, args.seed)
    finally:
        if database is not None:
            from qairon.extensions import db
            with app.app_context():
                db.engine.dispose()
            database.drop()


def main(argv=None):
    """Run, print the summary, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=18000, help="requests per backend")
    parser.add_argument("--seed", type=int, default=None, help="a fixed seed (default: derandomized)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_TEST_DATABASE_URL"))
    parser.add_argument("--url", help="fuzz this live server instead")
    parser.add_argument("--token", default=os.environ.get("QAIRON_TOKEN"),
                        help="a writer token for the live server (default: QAIRON_TOKEN)")
    parser.add_argument("--examples", type=int, default=40, help="problem examples to print")
    args = parser.parse_args(argv)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    cat = catalog.load()
    results = []
    started = time.monotonic()
    if args.url:
        target = LiveTarget(args.url, args.token)
        results.append((args.url, run(target, cat, args.requests, args.seed)))
    else:
        for backend in args.backends.split(","):
            if backend == "postgresql" and not args.database_url:
                print("postgresql skipped: no --database-url or QAIRON_TEST_DATABASE_URL",
                      file=sys.stderr)
                continue
            print(f"fuzzing {backend}: {args.requests} requests ...", file=sys.stderr, flush=True)
            results.append((backend, run_backend(backend, args, cat)))
    print(report.table(results))
    print()
    print(report.statuses(results))
    failures = sum(tally.failures for _backend, tally in results)
    if failures:
        print(f"\n{failures} broken promises; one example of each kind:\n")
        print(report.examples(results, args.examples))
    print(f"\n{time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
