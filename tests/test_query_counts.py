"""Zero N+1: every list and relation endpoint issues a constant number of SQL
statements, whatever the number of rows it returns.

The seed world is built, every endpoint's statements are counted, then
:data:`COPIES` more objects of every resource are added next to the world's
(same parents, new names; deployments with a current release and its
artifact) and every endpoint must cost exactly as many statements again —
each list and relation now returning well over a hundred rows.
"""
import pytest
from sqlalchemy import inspect

from qairon.extensions import db
from qairon.models import REGISTRY
from tests.server.helpers import build_world, patch
from tests.support.sqlcount import QueryCounter
from tests.support.world import BUILD, DEPLOYMENT, DPROC, IMAGE_REPO, RELEASE, SERVICE, SOURCE_REPO, WORLD

COPIES = 120
#: A statement bound for any list or relation page (count, page, embedded loads).
BOUND = 8


def statements(client, url):
    """(statements, rows returned) of one GET."""
    with QueryCounter() as counter:
        response = client.get(url)
    body = response.get_json()
    assert response.status_code == 200, (url, body)
    rows = body["results"] if "results" in body else body["data"]
    return counter.count, len(rows)


def endpoints():
    """Every resource's list on both faces and every to-many relation on the plain face."""
    urls = []
    world_ids = {}
    for resource, _fields, object_id in WORLD:
        world_ids.setdefault(resource, object_id)
    for name, cls in sorted(REGISTRY.items()):
        urls.append(f"/api/{cls.plural}?limit=1000")
        urls.append(f"/api/rest/v1/{name}?page[size]=1000")
        for relation in inspect(cls).relationships:
            if relation.uselist and name in world_ids:
                urls.append(f"/api/{cls.plural}/{world_ids[name]}/{relation.key}?limit=1000")
    return urls


def copy_fields(resource, fields, index):
    """The fields of copy ``index`` of a world object: new names, same parents."""
    cls = REGISTRY[resource]
    out = dict(fields)
    for name in cls.name_fields():
        out[name] = f"{out.get(name) or 'default'}-n{index}"
    if resource == "subnet":
        out["cidr"] = f"10.0.{4 + index // 4}.{index % 4 * 64}/26"
    elif resource == "allocation":
        out.update(watermark="LOW", allocation_type_id=f"cpu-n{index}")
    elif resource == "capacity":
        out["allocation_type_id"] = f"cpu-n{index}"
    elif resource == "deployment_proc":
        out["proc_id"] = f"{SERVICE}:web-n{index}"
    return out


def add_copies():
    """COPIES more objects of every resource, through the ORM and the flush rules."""
    done = set()
    for resource, fields, _object_id in WORLD:
        if resource in done:
            continue
        done.add(resource)
        cls = REGISTRY[resource]
        db.session.add_all(cls(**copy_fields(resource, fields, i)) for i in range(COPIES))
        db.session.commit()
    deployments = [d.id for d in db.session.query(REGISTRY["deployment"])
                   .filter(REGISTRY["deployment"].tag.like("default-n%"))]
    for deployment in deployments:
        db.session.add(REGISTRY["release"](build_id=BUILD, deployment_id=deployment,
                                           build_num="1"))
    db.session.commit()
    for deployment in deployments:
        db.session.add(REGISTRY["release_artifact"](
            release_id=f"{deployment}:1", input_repo_id=SOURCE_REPO,
            output_repo_id=IMAGE_REPO, name="chart", upload_path="p"))
    db.session.commit()
    for deployment in db.session.query(REGISTRY["deployment"]).filter(
            REGISTRY["deployment"].id.in_(deployments)):
        deployment.current_release_id = deployment.id + ":1"
    db.session.commit()
    db.session.remove()


@pytest.fixture
def world(client):
    """The seed world, its deployment running its release (so embeds are loaded)."""
    build_world(client)
    patch(client, "deployment", DEPLOYMENT, {"current_release_id": RELEASE})
    return client


def test_lists_and_relations_cost_constant_statements(world):
    urls = endpoints()
    before = {url: statements(world, url) for url in urls}
    add_copies()
    grown = 0
    for url in urls:
        count, rows = statements(world, url)
        assert count == before[url][0], (url, before[url], (count, rows))
        assert count <= BOUND, (url, count)
        grown += rows >= COPIES
    assert grown >= len(REGISTRY) * 2, "the copies did not reach the lists"


def test_a_deployment_list_embeds_every_current_release(world):
    add_copies()
    listed = world.get("/api/deployments?limit=1000").get_json()
    embedded = [d for d in listed["results"] if d["current_release"]]
    assert len(embedded) == COPIES + 1
    assert all(d["current_release"]["release_artifacts"][0]["name"] == "chart"
               for d in embedded)
    assert listed["count"] == COPIES + 1
    assert DPROC in {p["id"] for p in world.get("/api/deployment_procs?limit=1000")
                     .get_json()["results"]}


def page_statements(client, url):
    """Statements of one admin UI page (HTML), which must answer 200."""
    with QueryCounter() as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count


def admin_pages():
    """Every resource's admin list (500 rows a page) and the object page of its world object."""
    from urllib.parse import quote
    urls = []
    world_ids = {}
    for resource, _fields, object_id in WORLD:
        world_ids.setdefault(resource, object_id)
    for name, cls in sorted(REGISTRY.items()):
        urls.append(f"/admin/{cls.plural}/?page_size=500")
        urls.append(f"/admin/{cls.plural}/?page_size=500&search=prod")
        if name in world_ids:
            urls.append(f"/admin/{cls.plural}/details/?id={quote(world_ids[name])}")
    return urls


def test_admin_lists_and_object_pages_cost_constant_statements(world):
    urls = admin_pages()
    world.get("/admin/")  # the first page of the process compiles the templates
    before = {url: page_statements(world, url) for url in urls}
    add_copies()
    for url in urls:
        assert page_statements(world, url) == before[url], url
    assert max(count for url, count in before.items() if "details" not in url) <= BOUND
