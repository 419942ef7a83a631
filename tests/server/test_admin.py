"""The admin UI without a browser: every resource of the registry has its pages, creates and
edits go through the write pipeline, and the drawing helpers place what they are given.

The browser scenarios are in ``tests/ui``; these run on both databases with the test app.
"""
import json
import re
from urllib.parse import quote

import pytest

from qairon.admin import graph, netmap
from qairon.models import REGISTRY
from qairon.models.base import SYSTEM_FIELDS
from tests.server.data import CASES, EXTRA
from tests.server.helpers import build_world, count, post
from tests.support.world import WORLD

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf(client, url):
    """The CSRF token of the form at ``url``."""
    response = client.get(url)
    assert response.status_code == 200, url
    return TOKEN.search(response.get_data(as_text=True)).group(1)


def form_value(value):
    return json.dumps(value) if isinstance(value, (dict, list)) else str(value)


@pytest.fixture
def world(client):
    build_world(client)
    return client


@pytest.mark.parametrize("resource", sorted(REGISTRY))
def test_every_resource_has_its_list_form_and_object_page(world, resource):
    cls = REGISTRY[resource]
    listed = world.get(f"/admin/{cls.plural}/")
    assert listed.status_code == 200
    form = world.get(f"/admin/{cls.plural}/new/").get_data(as_text=True)
    for name in cls.writable_fields():
        assert f'name="{name}"' in form, name
    for name in (*SYSTEM_FIELDS, *cls.hidden):
        assert f'name="{name}"' not in form, name
    object_id = next(row.id for row in WORLD if row.resource == resource)
    page = world.get(f"/admin/{cls.plural}/details/?id={quote(object_id)}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "qairon-crumbs" in text and 'data-field="id"' in text


@pytest.mark.parametrize("resource", sorted(CASES))
def test_every_resource_is_created_through_the_form_and_recorded(world, resource):
    cls = REGISTRY[resource]
    fields, expected, _change = CASES[resource]
    for needed, needed_fields in EXTRA.get(resource, ()):
        assert post(world, needed, needed_fields).status_code == 201
    url = f"/admin/{cls.plural}/new/"
    data = {name: form_value(value) for name, value in fields.items()}
    response = world.post(url, data=dict(data, csrf_token=csrf(world, url)))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert world.get(f"/api/{cls.plural}/{quote(expected, safe=':')}").status_code == 200
    history = world.get(f"/api/{cls.plural}/{quote(expected, safe=':')}/history").get_json()
    assert history["results"][0]["operation"] == "create"


def test_a_form_without_the_csrf_token_writes_nothing(world):
    before = count("application")
    response = world.post("/admin/applications/new/", data={"name": "forged"})
    assert response.status_code == 200
    assert "CSRF token" in response.get_data(as_text=True)
    assert count("application") == before


def test_a_refusal_is_shown_next_to_its_field_and_nothing_is_written(world):
    url = "/admin/subnets/new/"
    before = count("subnet")
    response = world.post(url, data={"csrf_token": csrf(world, url), "name": "clash",
                                     "network_id": CASES["subnet"][0]["network_id"],
                                     "cidr": "10.0.0.0/24", "defaults": "{}"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    feedback = text[text.index('id="cidr"'):]
    assert "overlaps subnet" in feedback[:feedback.index("</ul>")]
    assert count("subnet") == before


def test_an_unknown_object_is_a_404_page_in_the_apis_words(world):
    response = world.get("/admin/services/details/?id=no:such:service")
    assert response.status_code == 404
    assert "service &#39;no:such:service&#39; does not exist" in response.get_data(as_text=True)


def test_graph_layout_puts_each_depth_in_its_column_and_links_origins():
    document = {"resource": "service", "id": "a:b:c", "nodes": [
        {"resource": "stack", "id": "a:b", "depth": 1, "via": "stack",
         "from": {"resource": "service", "id": "a:b:c"}},
        {"resource": "application", "id": "a", "depth": 2, "via": "application",
         "from": {"resource": "stack", "id": "a:b"}},
        {"resource": "repo", "id": "git:a", "depth": 1, "via": "repos",
         "from": {"resource": "service", "id": "a:b:c"}}]}
    drawing = graph.layout(document)
    xs = {node["id"]: node["x"] for node in drawing.nodes}
    assert xs["a:b:c"] < xs["a:b"] == xs["git:a"] < xs["a"]
    assert [n["start"] for n in drawing.nodes] == [True, False, False, False]
    assert len(drawing.edges) == 3
    assert drawing.width >= xs["a"] + graph.NODE_W


def test_address_map_bands_are_ordered_and_proportional():
    bands = netmap.bands("10.0.0.0/16", [("subnet", "n:eks0", "10.0.0.0/22")],
                         ["10.0.128.0/17", "10.0.4.0/22"], width=1000)
    assert [b["cidr"] for b in bands] == ["10.0.0.0/22", "10.0.4.0/22", "10.0.128.0/17"]
    assert bands[0]["id"] == "n:eks0" and bands[1]["id"] is None
    assert bands[2]["x"] == 500 and bands[2]["w"] == 500
    assert bands[0]["w"] == pytest.approx(1000 * 1024 / 65536, abs=0.01)
