"""The ``dependency_cases`` plugin on a real server, driven as the older Qairon's client drives it.

That client creates ``dependency_case``, ``relatable``, ``dependency`` and
``related`` objects on the JSON:API face with text attributes only, and
compares each reply, flattened (``id``, the attributes, each to-one relation as
``<name>_id``), with exactly what it sent plus the ID. Here the deployment of
the seed world depends on its build: the walks follow the dependency, the rules
check the rows, and neither end goes while a row names it.
"""
import pytest
import requests

from qairon.models import REGISTRY
from tests.support.live_server import LiveServer
from tests.support.world import BUILD, DEPLOYMENT, NEIGHBOURS, PAYMENT_GATEWAY, SERVICE, WORLD

V1 = "/api/rest/v1"
HEADERS = {"Content-Type": "application/vnd.api+json", "Accept": "application/vnd.api+json"}
CASE = "deployment_on_build"
RELATABLE = f"Deployment:{DEPLOYMENT}"
DEPENDENCY = f"{CASE}:{RELATABLE}:image"
RELATED = f"Build:{DEPENDENCY}:{BUILD}"


@pytest.fixture(scope="module")
def server():
    with LiveServer(extra_env={"QAIRON_PLUGINS": "dependency_cases"}) as live:
        for row in list(WORLD) + list(NEIGHBOURS[:2]):
            answer = requests.post(f"{live.url}/api/{REGISTRY[row.resource].plural}",
                                   json=row.fields)
            assert answer.status_code == 201, answer.text
        yield live


def create(server, kind, attributes):
    """A create as the older client sends it: ``type`` and text attributes, nothing else."""
    return requests.post(f"{server.url}{V1}/{kind}", headers=HEADERS,
                         json={"data": {"type": kind, "attributes": attributes}})


def flattened(reply):
    """The reply's resource object as the older client flattens it."""
    data = reply.json()["data"]
    out = {"id": data["id"], **data["attributes"]}
    for name, link in data.get("relationships", {}).items():
        if isinstance(link.get("data"), dict):
            out[f"{name}_id"] = link["data"]["id"]
    return out


def delete(server, kind, object_id):
    return requests.delete(f"{server.url}{V1}/{kind}/{object_id}", headers=HEADERS)


def walk(server, plural, object_id, name):
    nodes = requests.get(f"{server.url}/api/{plural}/{object_id}/{name}").json()["nodes"]
    return {(n["resource"], n["id"]): n.get("via") for n in nodes}


def test_the_older_clients_flow_reads_back_exactly_what_it_sent(server):
    sent = [("dependency_case", {"id": CASE, "relatable_type": "Deployment",
                                 "related_type": "Build", "allowed_relationship": "OTO"}, CASE),
            ("relatable", {"relatable_type": "Deployment", "object_id": DEPLOYMENT}, RELATABLE),
            ("dependency", {"dependency_case_id": CASE, "relatable_id": RELATABLE,
                            "name": "image"}, DEPENDENCY),
            ("related", {"related_type": "Build", "dependency_id": DEPENDENCY,
                         "object_id": BUILD}, RELATED)]
    for kind, attributes, expected in sent:
        made = create(server, kind, attributes)
        assert made.status_code == 201, made.text
        assert flattened(made) == {**attributes, "id": expected}
        read = requests.get(f"{server.url}{V1}/{kind}/{expected}", headers=HEADERS)
        assert flattened(read) == {**attributes, "id": expected}
    # the walks follow the dependency both ways, named by its case
    assert walk(server, "deployments", DEPLOYMENT, "trace")[("build", BUILD)] == CASE
    assert walk(server, "builds", BUILD, "impact")[("deployment", DEPLOYMENT)] == CASE
    # the plain face shows the same objects with every field
    plain = requests.get(f"{server.url}/api/related_objects/{RELATED}").json()
    assert plain["dependency_id"] == DEPENDENCY and "created_at" in plain
    # neither end goes while a row names it
    for plural, object_id, holder in (("builds", BUILD, RELATED),
                                      ("deployments", DEPLOYMENT, RELATABLE)):
        refused = requests.delete(f"{server.url}/api/{plural}/{object_id}?cascade=true")
        assert refused.status_code == 409, refused.text
        assert holder in refused.json()["detail"]
    # the older client's cleanup, in its order
    for kind, object_id in (("related", RELATED), ("dependency", DEPENDENCY),
                            ("relatable", RELATABLE), ("dependency_case", CASE)):
        assert delete(server, kind, object_id).status_code == 204
    assert walk(server, "deployments", DEPLOYMENT, "trace").get(("build", BUILD)) is None


def refusal(reply, status):
    assert reply.status_code == status, reply.text
    return reply.json()["errors"][0]


def test_the_rules_check_what_the_rows_say(server):
    unknown = refusal(create(server, "dependency_case", {
        "id": "x", "relatable_type": "Gizmo", "related_type": "Build",
        "allowed_relationship": "OTM"}), 422)
    assert unknown["source"]["field"] == "relatable_type" and "Deployment" in unknown["detail"]
    cardinality = refusal(create(server, "dependency_case", {
        "id": "x", "relatable_type": "Service", "related_type": "Build",
        "allowed_relationship": "MTM"}), 400)
    assert cardinality["source"]["field"] == "allowed_relationship"
    assert create(server, "dependency_case", {
        "id": "service_on_build", "relatable_type": "Service", "related_type": "Build",
        "allowed_relationship": "OTO"}).status_code == 201
    absent = refusal(create(server, "relatable", {"relatable_type": "Service",
                                                  "object_id": f"{SERVICE}-gone"}), 422)
    assert "does not exist" in absent["detail"] and absent["source"]["field"] == "object_id"
    assert create(server, "relatable", {"relatable_type": "Service",
                                        "object_id": SERVICE}).status_code == 201
    assert create(server, "relatable", {"relatable_type": "Deployment",
                                        "object_id": DEPLOYMENT}).status_code == 201
    wrong_type = refusal(create(server, "dependency", {
        "dependency_case_id": "service_on_build", "relatable_id": f"Deployment:{DEPLOYMENT}",
        "name": "d"}), 422)
    assert "is for Service objects" in wrong_type["detail"]
    mine = f"service_on_build:Service:{SERVICE}:built"
    assert create(server, "dependency", {"dependency_case_id": "service_on_build",
                                         "relatable_id": f"Service:{SERVICE}",
                                         "name": "built"}).status_code == 201
    twice = refusal(create(server, "dependency", {"dependency_case_id": "service_on_build",
                                                  "relatable_id": f"Service:{SERVICE}",
                                                  "name": "again"}), 409)
    assert mine in twice["detail"]
    other_type = refusal(create(server, "related", {"related_type": "Service",
                                                    "dependency_id": mine,
                                                    "object_id": SERVICE}), 422)
    assert other_type["source"]["field"] == "related_type"
    assert create(server, "related", {"related_type": "Build", "dependency_id": mine,
                                      "object_id": BUILD}).status_code == 201
    second = refusal(create(server, "related", {"related_type": "Build", "dependency_id": mine,
                                                "object_id": BUILD + "0"}), 422)
    assert "does not exist" in second["detail"]
    one_only = create(server, "build", {"service_id": SERVICE, "build_num": "43",
                                        "vcs_ref": "abc"})
    assert one_only.status_code == 201, one_only.text
    oto = refusal(create(server, "related", {"related_type": "Build", "dependency_id": mine,
                                             "object_id": f"{SERVICE}:43"}), 409)
    assert "OTO" in oto["detail"] and oto["source"]["field"] == "dependency_id"
    given_id = requests.post(f"{server.url}{V1}/relatable", headers=HEADERS, json={"data": {
        "type": "relatable", "id": "Service:elsewhere",
        "attributes": {"relatable_type": "Service", "object_id": PAYMENT_GATEWAY}}})
    mismatch = refusal(given_id, 409)
    assert mismatch["source"]["field"] == "id" and f"Service:{PAYMENT_GATEWAY}" in mismatch["detail"]


def test_the_two_dependency_plugins_cannot_be_enabled_together(tmp_path):
    server = LiveServer(extra_env={"QAIRON_PLUGINS": "dependencies,dependency_cases"})
    server.database_url = "sqlite:///" + str(tmp_path / "q.db")
    done = server.flask("routes")
    assert done.returncode != 0
    assert "plugin 'dependency_cases' failed to load" in done.stderr
    assert "two plugins cannot declare one resource" in done.stderr


def test_import_upstream_brings_the_older_plugins_rows_re_keyed(tmp_path):
    """An upstream database with the older plugin's tables (their object IDs stale or
    re-keyed here) imports with the plugin enabled; the walks then follow its rows."""
    from sqlalchemy import create_engine

    from tests.conftest import PG_SKIP, PG_URL
    from tests.support import upstream_db
    from tests.test_import_upstream import SVC, older_plugin_rows, rows
    if not PG_URL:
        pytest.skip(PG_SKIP)
    tables = rows()
    plugin = older_plugin_rows(tables)
    name = "qairon_upstream_cases"
    url = upstream_db.fresh_database(PG_URL, name)
    try:
        engine = create_engine(url)
        with engine.begin() as connection:
            upstream_db.create_schema(connection)
            for table, table_rows in {**tables, **plugin}.items():
                upstream_db.insert(connection, table, table_rows)
        engine.dispose()
        with LiveServer(extra_env={"QAIRON_PLUGINS": "dependency_cases"}) as live:
            done = live.flask("import-upstream", url, "--json")
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
            deployment = f"prod:aws:123:us-east-1:vpc0:eks:main:{SVC}:default"
            relatable = f"Deployment:{deployment}"
            base = f"{live.url}/api"
            assert requests.get(f"{base}/relatables/{relatable}").json()["object_id"] == \
                deployment
            image = requests.get(f"{base}/dependencies/runs:{relatable}:image").json()
            assert (image["dependency_case_id"], image["relatable_id"]) == ("runs", relatable)
            proc = f"{deployment}:worker"                # deployment:<proc name> here
            workers = f"procs:{relatable}:workers"
            assert requests.get(f"{base}/related_objects/DeploymentProc:{workers}:{proc}"
                                ).status_code == 200
            trace = walk(live, "deployments", deployment, "trace")
            assert trace[("build", f"{SVC}:7")] == "runs"
            assert trace[("deployment_proc", proc)] == "procs"
    finally:
        upstream_db.drop_database(PG_URL, name)
