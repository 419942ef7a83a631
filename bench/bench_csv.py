"""Benchmark CSV import on PostgreSQL and print a table.

    python bench/bench_csv.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
                              [--services 100000]

Creates a throw-away database, migrates it (``flask db upgrade``) and starts
the server as in production (gunicorn with ``gunicorn.conf.py``, or
``flask run``). Writes applications.csv, stacks.csv and services.csv (100
services per stack, 10 stacks per application) and imports the directory with
the real ``qcli csv_import import_dir`` as a process: a dry run on the empty
database, the real run, then the same files again (every row unchanged).
Reports rows/s of each and the peak resident memory of the client and of the
server's worker processes.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.support.live_server import REPO_ROOT, PostgresDatabase  # noqa: E402
from tests.support.servers import migrate, serve, stop  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
GOAL = 5000


def write_inventory(directory, services):
    """Write the three CSV files; return the number of rows."""
    stacks = max(1, services // 100)
    apps = max(1, stacks // 10)
    with open(os.path.join(directory, "applications.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "defaults"])
        for a in range(apps):
            writer.writerow([f"app{a}", json.dumps({"owner": f"team-{a}", "tier": a % 3})])
    with open(os.path.join(directory, "stacks.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["application_id", "name"])
        for s in range(stacks):
            writer.writerow([f"app{s % apps}", f"stack{s}"])
    with open(os.path.join(directory, "services.csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["stack_id", "name", "defaults"])
        for n in range(services):
            s = n % stacks
            defaults = json.dumps({"port": 8000 + n % 100}) if n % 2 else ""
            writer.writerow([f"app{s % apps}:stack{s}", f"svc{n}", defaults])
    return apps + stacks + services


def run_client(url, directory, *flags):
    """Run qcli import_dir as a process; return (summary, seconds, peak RSS in MiB)."""
    env = dict(os.environ, QAIRON_ENDPOINT=url,
               PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "qairon_qcli", "csv_import",
                                    "import_dir", directory, "-o", "json", *flags],
                                   env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"qcli failed ({process.returncode}): {stderr.decode()[-2000:]}")
    return json.loads(stdout), seconds, usage.ru_maxrss / 1024


def server_peak_mib(process):
    """Peak resident memory (VmHWM) of the server's largest process, in MiB."""
    pids = [process.pid] + _children(process.pid)
    peak = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def _children(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return out


def main(argv=None):
    """Create the database, serve, import three times and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--services", type=int, default=100_000)
    args = parser.parse_args(argv)
    database = PostgresDatabase(args.database_url)
    database.name = database.name.replace("qairon_test_", "qairon_bench_csv_")
    database.url = database.url.rsplit("/", 1)[0] + "/" + database.name
    database.create()
    process = None
    try:
        migrate(database.url)
        log_path = os.path.join(tempfile.gettempdir(), f"{database.name}.log")
        process, url = serve(database.url, log_path=log_path, workers=2, threads=1)
        with tempfile.TemporaryDirectory(prefix="qairon-bench-csv-") as directory:
            rows = write_inventory(directory, args.services)
            results = []
            for label, flags in (("dry run", ("--dry-run",)), ("real run", ()),
                                 ("re-import (unchanged)", ())):
                summary, seconds, client_mib = run_client(url, directory, *flags)
                results.append((label, summary, seconds, client_mib))
            server_mib = server_peak_mib(process)
    finally:
        if process is not None:
            stop(process)
        database.drop()
    print(f"CSV import: {rows:,} rows ({args.services:,} services + stacks + applications), "
          f"PostgreSQL, goal {GOAL:,} rows/s")
    print(f"{'run':<24}{'rows':>9}{'created':>9}{'unchanged':>10}{'seconds':>9}"
          f"{'rows/s':>9}{'client MiB':>12}")
    for label, summary, seconds, client_mib in results:
        created = summary.get("would_create", summary["created"])   # a dry run writes nothing
        print(f"{label:<24}{summary['rows']:>9,}{created:>9,}"
              f"{summary['unchanged']:>10,}{seconds:>9.1f}{summary['rows'] / seconds:>9,.0f}"
              f"{client_mib:>12.0f}")
    print(f"server peak memory (largest worker, VmHWM): {server_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
