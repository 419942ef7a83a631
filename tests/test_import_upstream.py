"""``flask import-upstream``: an upstream-shaped database (schema written in
tests/support/upstream_db.py from the description of the older Qairon) with the
awkward cases, imported and checked object by object, on both target databases."""
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text

from qairon.bulk.importer import BulkImport, given_stamps
from qairon.core.errors import BadRequest
from qairon.extensions import db
from qairon.history.reads import history
from qairon.models import REGISTRY
from tests.conftest import PG_SKIP, PG_URL
from tests.support import upstream_db

T = "prod:aws:123:us-east-1:vpc0:eks:main"          # upstream deployment target
SVC = "shop:web:api"
DEP = f"{T}:{SVC}:default"


def rows(region_id="prod:aws:old-account:us-east-1"):
    """The upstream rows, table by table (the region's ID is stale: re-keyed by hand)."""
    region = region_id
    part = f"{region}:vpc0"
    return {
        "environment": [{"id": "prod", "defaults": None}],
        "provider_type": [{"id": "aws", "defaults": ""}, {"id": "gcp", "defaults": "{}"}],
        "deployment_target_type": [{"id": "eks", "defaults": None}],
        "repo_type": [{"id": "git", "defaults": None}],
        "language": [{"id": "yaml", "defaults": None}],
        "application": [{"id": "shop", "defaults": '{"team": "web"}'}],
        "allocation_type": [{"id": "cpu", "unit": "cores", "defaults": None}],
        "config_template": [{"id": "app", "language_id": "yaml", "doc": "a: 1", "defaults": None}],
        "provider": [{"id": "prod:aws:123", "environment_id": "prod", "provider_type_id": "aws",
                      "native_id": "123", "defaults": None}],
        "region": [{"id": region, "provider_id": "prod:aws:123", "name": "us-east-1",
                    "native_id": None, "defaults": None}],
        "zone": [{"id": f"{region}:a", "region_id": region, "name": "a", "native_id": "use1-az1",
                  "defaults": None}],
        "partition": [{"id": part, "region_id": region, "name": "vpc0", "native_id": None,
                       "defaults": None}],
        "network": [{"id": f"{part}:core", "partition_id": part, "name": "core",
                     "cidr": "10.0.0.0/16", "native_id": None, "defaults": None}],
        "subnet": [{"id": f"{part}:core:s1", "network_id": f"{part}:core", "name": "s1",
                    "cidr": "10.0.1.0/24", "native_id": None, "defaults": None}],
        "fleet_type": [{"id": "aws:workers", "provider_type_id": "aws", "name": "workers",
                        "defaults": '{"size": "m5"}'},
                       {"id": "gcp:workers", "provider_type_id": "gcp", "name": "workers",
                        "defaults": None}],
        "deployment_target": [{"id": f"{part}:eks:main", "partition_id": part,
                               "deployment_target_type_id": "eks", "name": "main",
                               "native_id": None, "defaults": None}],
        "fleet": [{"id": f"{part}:eks:main:aws:workers:pool", "deployment_target_id":
                   f"{part}:eks:main", "fleet_type_id": "aws:workers", "name": "pool",
                   "native_id": None, "defaults": None}],
        "capacity": [{"id": f"{part}:eks:main:aws:workers:pool:cpu", "fleet_id":
                      f"{part}:eks:main:aws:workers:pool", "allocation_type_id": "cpu",
                      "value": 64.0, "defaults": None}],
        "stack": [{"id": "shop:web", "application_id": "shop", "name": "web",
                   "defaults": "not json at all"}],
        "service": [{"id": SVC, "stack_id": "shop:web", "name": "api", "artifact_name": "api-img",
                     "defaults": None}],
        "proc": [{"id": f"{SVC}:worker", "service_id": SVC, "name": "worker", "defaults": None}],
        "repo": [{"id": "git:api", "repo_type_id": "git", "name": "api", "url": None,
                  "defaults": None}],
        "build": [{"id": f"{SVC}:7", "service_id": SVC, "build_num": 7, "vcs_ref": "abc",
                   "ver": "1.0.7", "defaults": None}],
        "build_artifact": [{"id": f"{SVC}:7:image", "build_id": f"{SVC}:7",
                            "input_repo_id": "git:api", "output_repo_id": "git:api",
                            "name": "image", "upload_path": "/img", "data": '{"sha": "f00"}'}],
        "deployment": [{"id": f"{part}:eks:main:{SVC}:default", "deployment_target_id":
                        f"{part}:eks:main", "service_id": SVC, "tag": "default",
                        "defaults": '{"replicas": 2}'}],
        "release": [{"id": f"{part}:eks:main:{SVC}:default:8", "build_id": f"{SVC}:7",
                     "deployment_id": f"{part}:eks:main:{SVC}:default", "build_num": 8,
                     "defaults": None}],
        "deployment_proc": [{"id": f"{part}:eks:main:{SVC}:default:{SVC}:worker",
                             "deployment_id": f"{part}:eks:main:{SVC}:default",
                             "proc_id": f"{SVC}:worker", "defaults": None}],
        "allocation": [{"id": f"{part}:eks:main:{SVC}:default:{SVC}:worker:cpu:HIGH",
                        "deployment_proc_id": f"{part}:eks:main:{SVC}:default:{SVC}:worker",
                        "allocation_type_id": "cpu", "value": 2.0, "watermark": "HIGH",
                        "defaults": None}],
        "stack_config": [{"id": "shop:web:app:base:default", "stack_id": "shop:web",
                          "config_template_id": "app", "name": "base", "tag": "default",
                          "config": None, "defaults": None}],
        "deployments_zones": [{"deployment_id": f"{part}:eks:main:{SVC}:default",
                               "zone_id": f"{region}:a"}] * 2,
        "services_repos": [{"service_id": SVC, "repo_id": "git:api"}],
        "subnets_fleets": [{"subnet_id": f"{part}:core:s1",
                            "fleet_id": f"{part}:eks:main:aws:workers:pool"}],
        "deployment_current_release": [{"deployment_id": f"{part}:eks:main:{SVC}:default",
                                        "release_id": f"{part}:eks:main:{SVC}:default:8"}],
    }


@pytest.fixture
def upstream():
    """A function building an upstream database from table rows; its URL."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    made = []

    def build(tables, alter=()):
        name = f"qairon_upstream_test_{len(made)}_{id(made)}"
        url = upstream_db.fresh_database(PG_URL, name)
        made.append(name)
        engine = create_engine(url)
        with engine.begin() as connection:
            upstream_db.create_schema(connection)
            for statement in alter:
                connection.execute(text(statement))
            for table, table_rows in tables.items():
                upstream_db.insert(connection, table, table_rows)
        engine.dispose()
        return url

    yield build
    for name in made:
        upstream_db.drop_database(PG_URL, name)


def run(runner, url, *options):
    result = runner.invoke(args=["import-upstream", url, "--json", *options])
    return result.exit_code, json.loads(result.output)


def get(resource, object_id):
    db.session.expire_all()
    return db.session.get(REGISTRY[resource], object_id)


def test_imports_every_table_object_by_object(app, runner, upstream):
    code, report = run(runner, upstream(rows()))
    assert (code, report["error_count"], report["committed"]) == (0, 0, True), report["errors"]
    region = "prod:aws:123:us-east-1"                 # the stale upstream ID is rebuilt
    part = f"{region}:vpc0"
    target = f"{part}:eks:main"
    assert get("region", "prod:aws:old-account:us-east-1") is None
    assert get("zone", f"{region}:a").native_id == "use1-az1"
    assert get("subnet", f"{part}:core:s1").cidr == "10.0.1.0/24"
    assert get("environment", "prod").defaults == {}
    assert get("application", "shop").defaults == {"team": "web"}
    assert get("stack", "shop:web").defaults == {"upstream": {"defaults": "not json at all"}}
    assert get("service", SVC).defaults == {"upstream": {"artifact_name": "api-img"}}
    workers = get("fleet_type", "workers")            # two provider types' types: one
    assert workers.defaults == {"size": "m5", "upstream": {"provider_type_id": "aws"}}
    assert report["merged"] == {"fleet_type": 1}
    fleet = get("fleet", f"{part}:workers:pool")      # under the target's partition
    assert fleet.fleet_type_id == "workers"
    assert [t.id for t in fleet.deployment_targets] == [target]
    assert [s.id for s in fleet.subnets] == [f"{part}:core:s1"]
    assert get("capacity", f"{part}:workers:pool:cpu").value == 64.0
    build = get("build", f"{SVC}:7")
    assert (build.build_num, build.defaults) == ("7", {"upstream": {"ver": "1.0.7"}})
    assert get("build_artifact", f"{SVC}:7:image").defaults == {"sha": "f00"}
    deployment = get("deployment", f"{target}:{SVC}:default")
    assert deployment.defaults == {"replicas": 2}
    assert deployment.current_release_id == f"{target}:{SVC}:default:8"
    assert [z.id for z in deployment.zones] == [f"{region}:a"]     # the duplicate row: one link
    assert [r.id for r in get("service", SVC).repos] == ["git:api"]
    assert get("release", f"{target}:{SVC}:default:8").build_num == "8"
    assert get("deployment_proc", f"{target}:{SVC}:default:worker").proc_id == f"{SVC}:worker"
    assert get("allocation", f"{target}:{SVC}:default:worker:cpu:HIGH").value == 2.0
    assert get("stack_config", "shop:web:app:base:default").config == "{}"
    assert report["resources"]["fleet"]["created"] == 1
    assert report["resources"]["deployment.zones"]["created"] == 1
    assert report["resources"]["fleet.subnets"]["created"] == 1
    assert report["resources"]["deployment_target.fleets"]["created"] == 1


def test_all_or_nothing_names_each_refused_row_by_table_and_id(app, runner, upstream):
    tables = rows(region_id="prod:aws:123:us-east-1")
    tables["zone"].append({"id": "prod:aws:123:us-east-1:b:c", "name": "b:c", "native_id": None,
                           "region_id": "prod:aws:123:us-east-1", "defaults": None})
    tables["capacity"][0]["allocation_type_id"] = None
    code, report = run(runner, upstream(tables))
    assert (code, report["committed"], report["error_count"]) == (1, False, 2)
    refused = {(e["table"], e["upstream_id"]): e for e in report["errors"]}
    assert ("zone", "prod:aws:123:us-east-1:b:c") in refused
    capacity = refused[("capacity", tables["capacity"][0]["id"])]
    assert capacity["field"] == "allocation_type_id"
    assert get("environment", "prod") is None        # nothing was written


def test_dry_run_writes_nothing_and_counts_what_it_would(app, runner, upstream):
    code, report = run(runner, upstream(rows()), "--dry-run")
    assert (code, report["dry_run"], report["committed"]) == (0, True, False)
    assert report["resources"]["deployment"]["would_create"] == 1
    assert get("environment", "prod") is None


def test_colliding_fleets_are_refused_with_both_ids(app, runner, upstream):
    tables = rows()
    part = "prod:aws:old-account:us-east-1:vpc0"
    tables["deployment_target"].append({**tables["deployment_target"][0], "id": f"{part}:eks:b",
                                        "name": "b"})
    tables["fleet"].append({**tables["fleet"][0], "id": f"{part}:eks:b:aws:workers:pool",
                            "deployment_target_id": f"{part}:eks:b"})
    code, report = run(runner, upstream(tables))
    (error,) = [e for e in report["errors"] if e["table"] == "fleet"]
    assert code == 1 and error["upstream_id"] == f"{part}:eks:main:aws:workers:pool"  # 2nd by ID
    assert "rename one" in error["detail"] and f"{part}:eks:b:aws:workers:pool" in error["detail"]


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def stored(value):
    """A stored timestamp as an aware UTC datetime (SQLite keeps no zone: its values are UTC)."""
    assert value is not None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def stamped_rows():
    """rows() with upstream timestamps (naive, as the older Qairon's columns hold them)."""
    tables = rows()
    tables["region"][0].update(created_at=datetime(2019, 3, 4, 5, 6, 7, 123456),
                               last_updated_at=datetime(2021, 1, 2, 3, 4, 5))
    tables["zone"][0].update(created_at=datetime(2019, 3, 5, 1, 0, 0), last_updated_at=None)
    tables["fleet_type"][0].update(created_at=datetime(2020, 1, 1),      # aws:workers
                                   last_updated_at=datetime(2020, 6, 1))
    tables["fleet_type"][1].update(created_at=datetime(2018, 1, 1),      # gcp:workers
                                   last_updated_at=None)
    return tables


# the older database may lack a timestamp: a nullable created_at, no created_at at all
LACKING = ('ALTER TABLE repo_type ALTER COLUMN created_at DROP NOT NULL',
           'ALTER TABLE language DROP COLUMN created_at')


def test_objects_keep_the_upstream_timestamps_read_as_utc(app, runner, upstream):
    tables = stamped_rows()
    tables["repo_type"][0].update(created_at=None)
    url = upstream(tables, alter=LACKING)
    before = datetime.now(timezone.utc)
    code, report = run(runner, url)
    after = datetime.now(timezone.utc)
    assert (code, report["error_count"]) == (0, 0), report["errors"]
    region_id = "prod:aws:123:us-east-1"
    region = get("region", region_id)               # both given: both kept, naive read as UTC
    assert stored(region.created_at) == utc(2019, 3, 4, 5, 6, 7, 123456)
    assert stored(region.last_updated_at) == utc(2021, 1, 2, 3, 4, 5)
    zone = get("zone", f"{region_id}:a")              # never updated upstream: its created_at
    assert stored(zone.created_at) == stored(zone.last_updated_at) == utc(2019, 3, 5, 1)
    workers = get("fleet_type", "workers")           # merged: the earliest creation
    assert stored(workers.created_at) == utc(2018, 1, 1)
    assert stored(workers.last_updated_at) == utc(2020, 6, 1)
    for resource, name in (("repo_type", "git"), ("language", "yaml")):  # none: the import's
        obj = get(resource, name)
        assert before <= stored(obj.created_at) == stored(obj.last_updated_at) <= after
    (created,) = [c for c in history(db.session, "region", region_id)[0]
                  if c["operation"] == "create"]
    assert created["after"]["created_at"] == "2019-03-04T05:06:07.123456+00:00"
    assert created["after"]["last_updated_at"] == "2021-01-02T03:04:05.000000+00:00"
    assert before <= datetime.fromisoformat(created["at"]) <= after   # the changeset: the import


def test_a_second_import_of_the_same_database_finds_its_rows_unchanged(app, runner, upstream):
    url = upstream(stamped_rows())
    assert run(runner, url)[0] == 0
    code, report = run(runner, url)
    assert (code, report["error_count"], report["committed"]) == (0, 0, True), report["errors"]
    counts = {name: {k: n for k, n in c.items() if n}     # objects (links are no rows)
              for name, c in report["resources"].items() if "." not in name}
    assert counts["region"] == {"unchanged": 1}
    assert counts["fleet_type"] == {"unchanged": 1}
    assert all(set(c) == {"unchanged"} for c in counts.values()), counts
    assert stored(get("region", "prod:aws:123:us-east-1").created_at) == \
        utc(2019, 3, 4, 5, 6, 7, 123456)


def test_only_a_stamped_import_takes_timestamps_and_only_aware_ones(app):
    with pytest.raises(BadRequest) as refused:
        given_stamps({"created_at": datetime(2020, 1, 1)})
    assert refused.value.field == "created_at" and "time zone" in refused.value.detail
    with pytest.raises(BadRequest) as refused:
        given_stamps({"recon": utc(2020, 1, 1)})
    assert refused.value.field == "recon"
    assert given_stamps({"created_at": datetime.fromisoformat("2020-01-01T02:00:00+02:00"),
                         "last_updated_at": None}) == {"created_at": utc(2020, 1, 1)}
    with pytest.raises(TypeError):
        BulkImport(db.session).feed([(1, "environment", {"name": "x"},
                                      {"created_at": utc(2020, 1, 1)})])
    db.session.rollback()

def older_plugin_rows(tables):
    """The older dependencies plugin's rows over ``rows()``: the deployment (its upstream ID
    stale) depends on build 7 and on its worker proc (an ID re-keyed here)."""
    deployment = tables["deployment"][0]["id"]
    dproc = tables["deployment_proc"][0]["id"]
    relatable = f"Deployment:{deployment}"
    dependency = f"runs:{relatable}:image"
    return {
        "plugin_dependencies_dependency_case": [
            {"id": "runs", "relatable_type": "Deployment", "related_type": "Build",
             "allowed_relationship": "OTO"},
            {"id": "procs", "relatable_type": "Deployment", "related_type": "DeploymentProc",
             "allowed_relationship": "OTM"}],
        "plugin_dependencies_relatable": [{"id": relatable, "relatable_type": "Deployment",
                                           "object_id": deployment}],
        "plugin_dependencies_dependency": [
            {"id": dependency, "dependency_case_id": "runs", "relatable_id": relatable,
             "name": "image"},
            {"id": f"procs:{relatable}:workers", "dependency_case_id": "procs",
             "relatable_id": relatable, "name": "workers"}],
        "plugin_dependencies_related": [
            {"id": f"Build:{dependency}:{SVC}:7", "dependency_id": dependency,
             "related_type": "Build", "object_id": f"{SVC}:7"},
            {"id": f"DeploymentProc:procs:{relatable}:workers:{dproc}",
             "dependency_id": f"procs:{relatable}:workers", "related_type": "DeploymentProc",
             "object_id": dproc}],
    }


def test_the_older_plugins_rows_are_refused_without_the_plugin_that_serves_them(app, runner,
                                                                                upstream):
    tables = rows()
    plugin = older_plugin_rows(tables)
    code, report = run(runner, upstream({**tables, **plugin}))
    assert (code, report["committed"]) == (1, False)
    refused = {(e["table"], e["upstream_id"]): e for e in report["errors"]}
    assert set(refused) == {(table, row["id"]) for table, table_rows in plugin.items()
                            for row in table_rows}
    assert all("QAIRON_PLUGINS=dependency_cases" in e["detail"] for e in refused.values())
    assert get("environment", "prod") is None
