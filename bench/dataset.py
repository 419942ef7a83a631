"""A deterministic inventory for the benchmark, bulk-loaded with PostgreSQL ``COPY``.

Two sizes: ``small`` (10 applications, 1,000 services) and ``large``
(3 environments x 2 provider accounts x 4 regions x 3 partitions, 200
deployment targets, 100 applications x 5 stacks x 20 services = 10,000
services, 20,000 deployments, 100,000 builds with artifacts, 200,000 releases,
50,000 subnets). IDs come from :func:`qairon.core.ids.build_id` and each class's
``id_parts``; the rows obey the model's rules (subnets inside their network
and disjoint, releases ship builds of their deployment's own service, every
current release belongs to its deployment, links stay inside one
environment). :func:`verify` re-checks those rules in SQL after loading.
"""
import io
import ipaddress
import random

from qairon.core.cidr import range_keys
from qairon.core.ids import build_id
from qairon.models import REGISTRY

SIZES = {
    "small": dict(environments=1, accounts=2, regions=2, partitions=3, targets=12,
                  applications=10, stacks=5, services=20, deployments=2, builds=10,
                  releases=10, subnets=2_000),
    "large": dict(environments=3, accounts=2, regions=4, partitions=3, targets=200,
                  applications=100, stacks=5, services=20, deployments=2, builds=10,
                  releases=10, subnets=50_000),
}
ENVIRONMENTS = ("prod", "staging", "dev", "qa", "perf")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "eu-central-1")
STAMP = "2026-01-01T00:00:00+00:00"


def make_id(resource, **values):
    """The canonical ID of a ``resource`` row, from its class's ``id_parts``."""
    return build_id(REGISTRY[resource].id_parts, values)


class Rows:
    """Rows per table, in insertion (parent-first) order; fills ``id`` and the system columns."""

    def __init__(self):
        self.tables = {}

    def add(self, table, **values):
        """Append one row; a resource row gets its computed ID; returns the ID or None."""
        if table in REGISTRY:
            values.setdefault("id", make_id(table, **values))
            values.setdefault("defaults", "{}")
            values.setdefault("created_at", STAMP)
            values.setdefault("last_updated_at", STAMP)
        self.tables.setdefault(table, []).append(values)
        return values.get("id")


def generate(size="large", seed=7):
    """Build every row of the inventory of ``size``; the same seed gives the same rows."""
    spec = SIZES[size]
    rnd = random.Random(seed)
    rows = Rows()
    for name in ("aws",):
        rows.add("provider_type", name=name)
    for name in ("nodegroup",):
        rows.add("fleet_type", name=name)
    for name in ("eks", "ecs"):
        rows.add("deployment_target_type", name=name)
    for name in ("git", "ecr"):
        rows.add("repo_type", name=name)
    partitions, zones_of, fleets_of = _infrastructure(rows, spec)
    targets = []
    for index in range(spec["targets"]):
        partition = partitions[index % len(partitions)]
        kind = ("eks", "ecs")[index // len(partitions) % 2]
        target = rows.add("deployment_target", partition_id=partition,
                          deployment_target_type_id=kind, name=f"cluster{index:03d}",
                          native_id=None)
        rows.add("deployment_target_fleet", deployment_target_id=target,
                 fleet_id=fleets_of[partition])
        targets.append((target, partition))
    services = _applications(rows, spec)
    _lifecycle(rows, spec, rnd, services, targets, zones_of)
    _subnets(rows, spec, partitions)
    return rows


def _infrastructure(rows, spec):
    partitions, zones_of, fleets_of = [], {}, {}
    for env in ENVIRONMENTS[:spec["environments"]]:
        rows.add("environment", name=env)
        for account_index in range(spec["accounts"]):
            account = f"{100000000000 + len(partitions) * 7919 + account_index:012d}"
            provider = rows.add("provider", environment_id=env, provider_type_id="aws",
                                native_id=account)
            for region_name in REGIONS[:spec["regions"]]:
                region = rows.add("region", provider_id=provider, name=region_name,
                                  native_id=None)
                for letter in "abcdef"[:spec["partitions"]]:
                    zone = rows.add("zone", region_id=region, name=f"{region_name}-az{letter}",
                                    native_id=None)
                    partition = rows.add("partition", region_id=region,
                                         name=f"{region_name}{letter}", native_id=None)
                    fleets_of[partition] = rows.add(
                        "fleet", partition_id=partition, fleet_type_id="nodegroup",
                        name="workers", native_id=None)
                    zones_of[partition] = zone
                    partitions.append(partition)
    return partitions, zones_of, fleets_of


def _applications(rows, spec):
    services = []
    for a in range(spec["applications"]):
        app = rows.add("application", name=f"app{a:03d}")
        rows.add("repo", repo_type_id="git", name=app, url=f"https://git.example.com/{app}.git")
        rows.add("repo", repo_type_id="ecr", name=app, url=None)
        for s in range(spec["stacks"]):
            stack = rows.add("stack", application_id=app, name=f"stack{s}")
            for v in range(spec["services"]):
                service = rows.add("service", stack_id=stack, name=f"svc{v:02d}")
                rows.add("proc", service_id=service, name="web")
                rows.add("service_repo", service_id=service, repo_id=f"git:{app}")
                services.append((service, app))
    return services


def _lifecycle(rows, spec, rnd, services, targets, zones_of):
    for index, (service, app) in enumerate(services):
        builds = []
        for number in range(1, spec["builds"] + 1):
            build = rows.add("build", service_id=service, build_num=str(number),
                             vcs_ref=f"{rnd.getrandbits(160):040x}")
            rows.add("build_artifact", build_id=build, input_repo_id=f"git:{app}",
                     output_repo_id=f"ecr:{app}", name="image",
                     upload_path=f"registry.example.com/{app}:{number}")
            builds.append(build)
        for d in range(spec["deployments"]):
            target, partition = targets[(index * 7 + d * 101) % len(targets)]
            deployment = rows.add("deployment", deployment_target_id=target, service_id=service,
                                  tag="default", native_id=None, current_release_id=None)
            rows.add("deployment_zone", deployment_id=deployment, zone_id=zones_of[partition])
            for number in range(1, spec["releases"] + 1):
                release = rows.add("release", build_id=builds[number - 1],
                                   deployment_id=deployment, build_num=str(number))
            rows.add("release_artifact", release_id=release, input_repo_id=f"ecr:{app}",
                     output_repo_id=f"ecr:{app}", name="chart",
                     upload_path=f"charts.example.com/{app}/{number}")
            rows.tables["deployment"][-1]["current_release_id"] = release


def _subnets(rows, spec, partitions):
    per_network, extra = divmod(spec["subnets"], len(partitions))
    for index, partition in enumerate(partitions):
        network_cidr = ipaddress.IPv4Network((0x0A000000 + (index << 16), 16))
        network = rows.add("network", partition_id=partition, name="main-vpc",
                           cidr=str(network_cidr), native_id=None)
        for number in range(per_network + (index < extra)):
            cidr = ipaddress.IPv4Network((int(network_cidr.network_address) + number * 64, 26))
            start, end = range_keys(cidr)
            rows.add("subnet", network_id=network, name=f"sn{number:04d}", cidr=str(cidr),
                     range_start=start, range_end=end, native_id=None)


def _text(value):
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def load(connection, rows):
    """COPY every table in parent-first order, set current releases last; ANALYZE."""
    deferred = []
    with connection.cursor() as cursor:
        for table, table_rows in rows.tables.items():
            columns = list(table_rows[0])
            if "current_release_id" in columns:
                deferred = [(r["id"], r["current_release_id"]) for r in table_rows]
                columns.remove("current_release_id")
            buffer = io.StringIO()
            for row in table_rows:
                buffer.write("\t".join(_text(row[c]) for c in columns) + "\n")
            buffer.seek(0)
            cursor.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer)
        if deferred:
            cursor.execute("CREATE TEMP TABLE bench_current (id varchar, release varchar)")
            buffer = io.StringIO("".join(f"{a}\t{b}\n" for a, b in deferred))
            cursor.copy_expert("COPY bench_current FROM STDIN", buffer)
            cursor.execute("UPDATE deployment d SET current_release_id = c.release "
                           "FROM bench_current c WHERE c.id = d.id")
    connection.commit()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.autocommit = False


#: Rule -> SQL counting the rows that break it (all must be 0).
CHECKS = {
    "release ships a build of its deployment's service":
        "SELECT count(*) FROM release r JOIN build b ON b.id = r.build_id "
        "JOIN deployment d ON d.id = r.deployment_id WHERE b.service_id <> d.service_id",
    "current_release is a release of that deployment":
        "SELECT count(*) FROM deployment d JOIN release r ON r.id = d.current_release_id "
        "WHERE r.deployment_id <> d.id",
    "subnet inside its network":
        "SELECT count(*) FROM subnet s JOIN network n ON n.id = s.network_id "
        "WHERE NOT (s.cidr <<= n.cidr)",
    "subnets of a network disjoint":
        "SELECT count(*) FROM subnet a JOIN subnet b ON a.network_id = b.network_id "
        "AND a.id < b.id AND a.cidr && b.cidr",
    "deployment zone in the deployment's environment":
        "SELECT count(*) FROM deployment_zone dz JOIN deployment d ON d.id = dz.deployment_id "
        "WHERE split_part(dz.zone_id, ':', 1) <> split_part(d.deployment_target_id, ':', 1)",
    "target fleet in the target's environment":
        "SELECT count(*) FROM deployment_target_fleet tf "
        "WHERE split_part(tf.fleet_id, ':', 1) <> split_part(tf.deployment_target_id, ':', 1)",
}


def verify(connection):
    """Count rule violations per rule (expected all 0) and rows per table."""
    out = {"violations": {}, "rows": {}}
    with connection.cursor() as cursor:
        for rule, sql in CHECKS.items():
            cursor.execute(sql)
            out["violations"][rule] = cursor.fetchone()[0]
        for table in REGISTRY:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            out["rows"][table] = cursor.fetchone()[0]
    connection.rollback()
    return out
