"""The measured operations: their HTTP requests and the SQL floor of each.

Every operation is an :class:`Operation`: the requests one client sends in
turn, whether it is also replayed by 16 connections, and the statements the
same lookup needs when sent straight to PostgreSQL (its floor).
"""
import json
from urllib.parse import quote, urlencode

from .driver import Request

COLUMNS = "id, stack_id, name, defaults, created_at, last_updated_at"
TOKEN_GET = "GET service by ID, plain, with a token"


def q(object_id):
    """An ID as a URL path segment (``:`` stays, ``/`` is escaped)."""
    return quote(object_id, safe=":")


class Operation:
    """A named operation with its requests, concurrency and SQL floor."""

    def __init__(self, name, requests, floor, concurrent=True, flows=None):
        self.name = name
        self.requests = requests
        self.floor = floor
        self.concurrent = concurrent
        self.flows = flows


def _spread(items, count):
    step = max(1, len(items) // count)
    return [items[(i * step) % len(items)] for i in range(count)]


def ids(rows, table):
    """Every ID of ``table`` in the generated rows."""
    return [row["id"] for row in rows.tables[table]]


def build(rows, count=400, run="r", token=None):
    """Every operation of the benchmark over the generated inventory ``rows``.

    Writes carry ``token`` (a writer token: the server runs with ``QAIRON_AUTH=writes``);
    reads are anonymous, and GET by ID is measured a second time with the token.
    """
    services = _spread(ids(rows, "service"), count)
    stacks = _spread(ids(rows, "stack"), count)
    apps = _spread(ids(rows, "application"), count)
    deployments = _spread(ids(rows, "deployment"), count)
    targets = _spread(ids(rows, "deployment_target"), count)
    release_of = {r["id"]: r["current_release_id"] for r in rows.tables["deployment"]}
    ops = [
        Operation("GET service by ID, plain", [Request("GET", f"/api/services/{q(s)}")
                                               for s in services],
                  [[(f"SELECT {COLUMNS} FROM service WHERE id = %s", (s,))] for s in services]),
        Operation(TOKEN_GET, [Request("GET", f"/api/services/{q(s)}", token=token)
                              for s in services],
                  [[(f"SELECT {COLUMNS} FROM service WHERE id = %s", (s,))] for s in services]),
        Operation("GET service by ID, JSON:API",
                  [Request("GET", f"/api/rest/v1/service/{q(s)}") for s in services],
                  [[(f"SELECT {COLUMNS} FROM service WHERE id = %s", (s,))] for s in services]),
        Operation("GET deployment by ID (+release)",
                  [Request("GET", f"/api/deployments/{q(d)}") for d in deployments],
                  [[("SELECT * FROM deployment WHERE id = %s", (d,)),
                    ("SELECT * FROM release WHERE id = %s", (release_of[d],)),
                    ("SELECT * FROM release_artifact WHERE release_id = %s", (release_of[d],))]
                   for d in deployments]),
        Operation("first page of 100 services",
                  [Request("GET", f"/api/services?limit=100&offset={i % 5 * 100}")
                   for i in range(count)],
                  [[("SELECT count(*) FROM service", ()),
                    (f"SELECT {COLUMNS} FROM service ORDER BY id LIMIT 100 OFFSET %s",
                     (i % 5 * 100,))] for i in range(count)]),
        Operation("first page of 100, JSON:API",
                  [Request("GET", "/api/rest/v1/service?page[size]=100") for _ in range(count)],
                  [[("SELECT count(*) FROM service", ()),
                    (f"SELECT {COLUMNS} FROM service ORDER BY id LIMIT 100", ())]
                   for _ in range(count)]),
        Operation("filter by field (service_id)",
                  [Request("GET", "/api/deployments?" + urlencode({"service_id": s}))
                   for s in services],
                  [[("SELECT count(*) FROM deployment WHERE service_id = %s", (s,)),
                    ("SELECT * FROM deployment WHERE service_id = %s ORDER BY id LIMIT 100",
                     (s,)),
                    ("SELECT * FROM release WHERE id IN (SELECT current_release_id FROM "
                     "deployment WHERE service_id = %s)", (s,)),
                    ("SELECT * FROM release_artifact WHERE release_id IN (SELECT "
                     "current_release_id FROM deployment WHERE service_id = %s)", (s,))]
                   for s in services]),
        Operation("dotted filter stack.application_id",
                  [Request("GET", "/api/services?" + urlencode({"filter": json.dumps(
                      [{"name": "stack.application_id", "op": "eq", "val": a}])}))
                   for a in apps],
                  [[("SELECT count(*) FROM service s JOIN stack t ON t.id = s.stack_id "
                     "WHERE t.application_id = %s", (a,)),
                    ("SELECT s.* FROM service s JOIN stack t ON t.id = s.stack_id "
                     "WHERE t.application_id = %s ORDER BY s.id LIMIT 100", (a,))]
                   for a in apps]),
        Operation("get_field to-many stack.services",
                  [Request("GET", f"/api/stacks/{q(s)}/services") for s in stacks],
                  [[("SELECT count(*) FROM service WHERE stack_id = %s", (s,)),
                    (f"SELECT {COLUMNS} FROM service WHERE stack_id = %s ORDER BY id "
                     "LIMIT 100", (s,))] for s in stacks]),
        Operation("get_field to-many target.deployments",
                  [Request("GET", f"/api/deployment_targets/{q(t)}/deployments")
                   for t in targets],
                  [[("SELECT count(*) FROM deployment WHERE deployment_target_id = %s", (t,)),
                    ("SELECT * FROM deployment WHERE deployment_target_id = %s ORDER BY id "
                     "LIMIT 100", (t,)),
                    ("SELECT r.* FROM release r JOIN deployment d ON d.current_release_id = "
                     "r.id WHERE d.deployment_target_id = %s", (t,)),
                    ("SELECT a.* FROM release_artifact a JOIN deployment d ON "
                     "d.current_release_id = a.release_id WHERE d.deployment_target_id = %s",
                     (t,))] for t in targets]),
    ]
    ops += admin_pages(deployments, release_of, count, token)
    ops += writes(rows, services, run, token)
    return ops


def admin_pages(deployments, release_of, count, token):
    """The admin UI's pages, read with the token (the bench server requires a sign-in)."""
    pages = min(count, 120)
    return [
        Operation("admin UI: home page", [Request("GET", "/admin/", token=token)
                                         for _ in range(pages // 2)],
                  [[("SELECT count(*) FROM service", ())]], concurrent=False),
        Operation("admin UI: list of 100 services",
                  [Request("GET", f"/admin/services/?page_size=100&page={i % 5}", token=token)
                   for i in range(pages)],
                  [[("SELECT count(*) FROM service", ()),
                    (f"SELECT {COLUMNS} FROM service ORDER BY id LIMIT 100 OFFSET %s",
                     (i % 5 * 100,))] for i in range(pages)], concurrent=False),
        Operation("admin UI: deployment object page",
                  [Request("GET", "/admin/deployments/details/?" + urlencode({"id": d}),
                           token=token) for d in deployments[:pages]],
                  [[("SELECT * FROM deployment WHERE id = %s", (d,)),
                    ("SELECT * FROM release WHERE id = %s", (release_of[d],))]
                   for d in deployments[:pages]], concurrent=False),
    ]


def _build_body(service, number, run):
    return {"service_id": service, "build_num": f"{run}{number}", "vcs_ref": f"{number:040x}"}


def writes(rows, services, run, token=None):
    """POST create, PATCH and the CI flow; ``run`` keeps names unique across passes."""
    creates = [Request("POST", "/api/builds", _build_body(services[i % len(services)], i, run),
                       token=token) for i in range(60_000)]
    create_floor = [[("INSERT INTO build (id, service_id, build_num, vcs_ref, defaults, "
                      "created_at, last_updated_at) VALUES (%s, %s, %s, %s, '{}', now(), "
                      "now())", (f"{s}:f{run}{i}", s, f"f{run}{i}", "0" * 40))]
                    for i, s in enumerate(services)]
    patches = [Request("PATCH", f"/api/services/{q(s)}", {"defaults": {"owner": f"team{i}"}},
                       token=token) for i, s in enumerate(services)]
    patch_floor = [[("UPDATE service SET defaults = %s, last_updated_at = now() WHERE id = %s",
                     (json.dumps({"owner": f"floor{i}"}), s))] for i, s in enumerate(services)]
    deployments = rows.tables["deployment"]
    flows, flow_floor = [], []
    for i in range(0, len(deployments), max(1, len(deployments) // 200))[:200]:
        dep = deployments[i]
        service, app = dep["service_id"], dep["service_id"].split(":")[0]
        build_id = f"{service}:ci{run}{i}"
        release = f"{dep['id']}:ci{run}{i}"
        flows.append([
            Request("POST", "/api/builds", {"service_id": service, "build_num": f"ci{run}{i}",
                                            "vcs_ref": f"{i:040x}"}, token=token),
            Request("POST", "/api/build_artifacts", {
                "build_id": build_id, "input_repo_id": f"git:{app}",
                "output_repo_id": f"ecr:{app}", "name": "image",
                "upload_path": f"registry.example.com/{app}:ci{i}"}, token=token),
            Request("POST", "/api/releases", {"build_id": build_id, "deployment_id": dep["id"],
                                              "build_num": f"ci{run}{i}"}, token=token),
            Request("POST", "/api/release_artifacts", {
                "release_id": release, "input_repo_id": f"ecr:{app}",
                "output_repo_id": f"ecr:{app}", "name": "chart",
                "upload_path": f"charts.example.com/{app}/ci{i}"}, token=token),
            Request("PATCH", f"/api/deployments/{q(dep['id'])}",
                    {"current_release_id": release}, token=token),
        ])
        flow_floor.append(_flow_floor(dep, service, app, f"fl{run}{i}"))
    return [
        Operation("POST create build", creates, create_floor),
        Operation("PATCH service defaults", patches, patch_floor),
        Operation("CI flow, 5 writes", [r for f in flows for r in f], flow_floor,
                  concurrent=False, flows=flows),
    ]


def _flow_floor(dep, service, app, tag):
    build_id, release = f"{service}:{tag}", f"{dep['id']}:{tag}"
    stamp = "'{}', now(), now()"
    return [
        ("INSERT INTO build (id, service_id, build_num, vcs_ref, defaults, created_at, "
         f"last_updated_at) VALUES (%s, %s, %s, 'x', {stamp})", (build_id, service, tag)),
        ("INSERT INTO build_artifact (id, build_id, input_repo_id, output_repo_id, name, "
         f"upload_path, defaults, created_at, last_updated_at) VALUES (%s, %s, %s, %s, 'image', "
         f"'p', {stamp})", (build_id + ":image", build_id, f"git:{app}", f"ecr:{app}")),
        ("INSERT INTO release (id, build_id, deployment_id, build_num, defaults, created_at, "
         f"last_updated_at) VALUES (%s, %s, %s, %s, {stamp})", (release, build_id, dep["id"], tag)),
        ("INSERT INTO release_artifact (id, release_id, input_repo_id, output_repo_id, name, "
         f"upload_path, defaults, created_at, last_updated_at) VALUES (%s, %s, %s, %s, 'chart', "
         f"'p', {stamp})", (release + ":chart", release, f"ecr:{app}", f"ecr:{app}")),
        ("UPDATE deployment SET current_release_id = %s WHERE id = %s", (release, dep["id"])),
    ]
