"""Benchmark ``flask import-upstream`` on PostgreSQL and print a table.

    python bench/bench_upstream.py [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
                                   [--services 4300]

Builds an upstream-shaped database (the older Qairon's tables, from
tests/support/upstream_db.py) of about 23 rows per service, 100k rows at the
default 4,300 services: the infrastructure, services with procs and repos, two
builds and two deployments each with artifacts, releases (current), procs,
allocations, zones and configs. Migrates a fresh target database and runs the
real command as a process: ``--dry-run``, then the import. Reports rows/s.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine  # noqa: E402

from tests.support import upstream_db  # noqa: E402
from tests.support.live_server import PostgresDatabase  # noqa: E402
from tests.support.servers import migrate, server_env  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGETS = 40


def infrastructure():
    """Environments down to deployment targets, fleets and subnets: table -> rows."""
    t = {name: [] for name in upstream_db.TABLES}
    t.update(deployments_zones=[], services_repos=[], subnets_fleets=[], target_fleets=[],
             deployment_current_release=[])
    t["environment"] = [{"id": e} for e in ("prod", "dev")]
    t["provider_type"] = [{"id": "aws"}, {"id": "gcp"}]
    t["deployment_target_type"] = [{"id": "eks"}]
    t["allocation_type"] = [{"id": "cpu", "unit": "cores"}]
    t["language"] = [{"id": "yaml"}]
    t["config_template"] = [{"id": "app", "language_id": "yaml", "doc": "a: 1"}]
    t["repo_type"] = [{"id": "git"}]
    t["fleet_type"] = [{"id": f"{p}:workers", "provider_type_id": p, "name": "workers"}
                       for p in ("aws", "gcp")]
    targets = []
    for e, env in enumerate(("prod", "dev")):
        provider = f"{env}:aws:{100 + e}"
        t["provider"].append({"id": provider, "environment_id": env, "provider_type_id": "aws",
                              "native_id": str(100 + e)})
        for r in range(2):
            region = f"{provider}:r{r}"
            t["region"].append({"id": region, "provider_id": provider, "name": f"r{r}"})
            t["zone"] += [{"id": f"{region}:z{z}", "region_id": region, "name": f"z{z}"}
                          for z in range(3)]
            for p in range(2):
                part = f"{region}:p{p}"
                t["partition"].append({"id": part, "region_id": region, "name": f"p{p}"})
                net = f"{part}:net"
                second = 16 * (4 * e + 2 * r + p)
                t["network"].append({"id": net, "partition_id": part, "name": "net",
                                     "cidr": f"10.{second}.0.0/16"})
                t["subnet"] += [{"id": f"{net}:s{s}", "network_id": net, "name": f"s{s}",
                                 "cidr": f"10.{second}.{s}.0/24"} for s in range(100)]
                for d in range(TARGETS // 8):
                    target = f"{part}:eks:t{d}"
                    targets.append((target, region))
                    t["deployment_target"].append({"id": target, "partition_id": part,
                                                   "deployment_target_type_id": "eks",
                                                   "name": f"t{d}"})
                    for f in range(5):
                        fleet = f"{target}:aws:workers:f{d}-{f}"
                        t["fleet"].append({"id": fleet, "deployment_target_id": target,
                                           "fleet_type_id": "aws:workers", "name": f"f{d}-{f}"})
                        t["capacity"].append({"id": f"{fleet}:cpu", "fleet_id": fleet,
                                              "allocation_type_id": "cpu", "value": 64.0})
                        t["subnets_fleets"].append({"subnet_id": f"{net}:s{d * 5 + f}",
                                                    "fleet_id": fleet})
    return t, targets


def inventory(services):
    """The whole upstream inventory for ``services`` services: table -> rows."""
    t, targets = infrastructure()
    stacks = max(1, services // 10)
    t["application"] = [{"id": f"a{a}", "defaults": '{"team": "t"}'}
                        for a in range(max(1, stacks // 10))]
    for s in range(stacks):
        t["stack"].append({"id": f"a{s // 10}:s{s}", "application_id": f"a{s // 10}",
                           "name": f"s{s}"})
    for n in range(services):
        stack = f"a{n // 100}:s{n // 10}"
        svc = f"{stack}:v{n}"
        t["service"].append({"id": svc, "stack_id": stack, "name": f"v{n}",
                             "artifact_name": f"img{n}"})
        t["proc"].append({"id": f"{svc}:web", "service_id": svc, "name": "web"})
        t["repo"].append({"id": f"git:r{n}", "repo_type_id": "git", "name": f"r{n}"})
        t["services_repos"].append({"service_id": svc, "repo_id": f"git:r{n}"})
        t["service_config"].append({"id": f"{svc}:app:c:default", "service_id": svc,
                                    "config_template_id": "app", "name": "c", "tag": "default",
                                    "config": "b: 2"})
        for b in (1, 2):
            build = f"{svc}:{b}"
            t["build"].append({"id": build, "service_id": svc, "build_num": b, "vcs_ref": "abc",
                               "ver": f"1.{b}"})
            t["build_artifact"].append({"id": f"{build}:img", "build_id": build,
                                        "input_repo_id": f"git:r{n}",
                                        "output_repo_id": f"git:r{n}", "name": "img",
                                        "upload_path": "/img", "data": '{"sha": "f00"}'})
        for k in (0, 1):
            target, region = targets[(2 * n + k) % len(targets)]
            dep = f"{target}:{svc}:default"
            t["deployment"].append({"id": dep, "deployment_target_id": target,
                                    "service_id": svc, "tag": "default",
                                    "defaults": '{"replicas": 2}'})
            release = f"{dep}:{10 + k}"
            t["release"].append({"id": release, "build_id": f"{svc}:{k + 1}",
                                 "deployment_id": dep, "build_num": 10 + k})
            t["release_artifact"].append({"id": f"{release}:chart", "release_id": release,
                                          "input_repo_id": f"git:r{n}",
                                          "output_repo_id": f"git:r{n}", "name": "chart",
                                          "upload_path": "/c", "data": None})
            t["deployment_current_release"].append({"deployment_id": dep,
                                                    "release_id": release})
            t["deployment_proc"].append({"id": f"{dep}:{svc}:web", "deployment_id": dep,
                                         "proc_id": f"{svc}:web"})
            t["allocation"].append({"id": f"{dep}:{svc}:web:cpu:HIGH",
                                    "deployment_proc_id": f"{dep}:{svc}:web",
                                    "allocation_type_id": "cpu", "value": 1.0,
                                    "watermark": "HIGH"})
            t["deployments_zones"].append({"deployment_id": dep, "zone_id": f"{region}:z{k}"})
    return t


def build_upstream(base_url, services):
    """A fresh upstream database holding the inventory; (name, url, rows)."""
    name = f"qairon_bench_upstream_{os.getpid()}"
    url = upstream_db.fresh_database(base_url, name)
    tables = inventory(services)
    engine = create_engine(url)
    with engine.begin() as connection:
        upstream_db.create_schema(connection)
        for table, rows in tables.items():
            for start in range(0, len(rows), 5000):
                upstream_db.insert(connection, table, normalised(rows[start:start + 5000]))
    engine.dispose()
    return name, url, sum(len(rows) for rows in tables.values())


def normalised(rows):
    """Rows with the same keys (a missing column is NULL)."""
    keys = sorted({k for row in rows for k in row})
    return [{k: row.get(k) for k in keys} for row in rows]


def run_import(target_url, upstream_url, *flags):
    """Run the command as a process; (report, seconds)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "qairon", "import-upstream",
                           upstream_url, "--json", *flags], env=server_env(target_url),
                          capture_output=True, text=True, timeout=3600, check=False)
    seconds = time.perf_counter() - started
    try:
        report = json.loads(done.stdout)
    except ValueError:
        raise RuntimeError(f"import-upstream failed: {done.stderr[-2000:]}") from None
    if done.returncode != 0:
        raise RuntimeError(f"import-upstream refused {report['error_count']} rows, the first: "
                           f"{json.dumps(report['errors'][:3], indent=1)}")
    return report, seconds


def main(argv=None):
    """Build the upstream database, migrate a target, import twice and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("QAIRON_BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--services", type=int, default=4300)
    args = parser.parse_args(argv)
    name, upstream_url, rows = build_upstream(args.database_url, args.services)
    target = PostgresDatabase(args.database_url)
    target.name = target.name.replace("qairon_test_", "qairon_bench_up_")
    target.url = target.url.rsplit("/", 1)[0] + "/" + target.name
    target.create()
    try:
        migrate(target.url)
        results = [(label, *run_import(target.url, upstream_url, *flags))
                   for label, flags in (("dry run", ("--dry-run",)), ("import", ()))]
    finally:
        target.drop()
        upstream_db.drop_database(args.database_url, name)
    print(f"import-upstream: {rows:,} upstream rows ({args.services:,} services), PostgreSQL")
    print(f"{'run':<10}{'rows':>9}{'written':>9}{'refused':>9}{'seconds':>9}{'rows/s':>9}")
    for label, report, seconds in results:
        written = report.get("would_create", 0) + report.get("created", 0)
        print(f"{label:<10}{report['rows']:>9,}{written:>9,}{report['error_count']:>9,}"
              f"{seconds:>9.1f}{report['rows'] / seconds:>9,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
