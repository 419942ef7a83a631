"""Rendering config templates: the context, the filters, the refusals, the query bound."""
import pytest

from qairon.extensions import db
from tests.generate.helpers import TEMPLATES, add_templates
from tests.server.helpers import build_world, post
from tests.support.insight import add_all
from tests.support.sqlcount import QueryCounter
from tests.support.world import DEPLOYMENT, NET, PART, SUBNET


@pytest.fixture
def world(client):
    build_world(client)
    add_templates(client)
    return client


def template(client, name, doc, **fields):
    response = post(client, "config_template", dict(name=name, language_id="hcl", doc=doc,
                                                    **fields))
    assert response.status_code == 201, response.get_json()


def render(client, url_id, name, resource="networks"):
    return client.get(f"/api/{resource}/{url_id}/render?template={name}")


def test_the_context_holds_ancestors_relations_and_effective_defaults(world):
    assert world.patch("/api/provider_types/aws", json={"defaults": {"tags": {"team": "net"},
                                                                      "owner": "aws"}}
                       ).status_code == 200
    assert world.patch(f"/api/networks/{NET}", json={"defaults": {"owner": "me"}}
                       ).status_code == 200
    template(world, "ctx", "{{ environment.name }} {{ provider.native_id }} {{ region.name }} "
                           "{{ partition.name }} {{ provider_type.name }} "
                           "{{ obj.subnets | map(attribute='cidr') | join(',') }} "
                           "{{ defaults.tags.team }} {{ obj.defaults.owner }} "
                           "{{ obj.own_defaults | json }} {{ network.name }}")
    answer = render(world, NET, "ctx").get_json()
    assert answer["text"] == ('prod 123456789012 us-east-1 us-east-1a aws 10.0.0.0/22 net me '
                              '{"owner": "me"} main-vpc\n')
    assert answer["path"] is None and answer["id"] == NET and answer["template"] == "ctx"


def test_a_deployment_sees_its_current_release_artifacts_and_both_ancestries(world):
    answer = render(world, DEPLOYMENT, "k8s-deployment", "deployments").get_json()
    assert answer["path"] == "kubernetes/prod/main-cluster/checkout/order-processor-default.yaml"
    assert 'image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/op:r7"' in answer["text"]
    assert "namespace: checkout" in answer["text"]


def test_a_target_lists_its_deployments_with_their_current_release(world):
    template(world, "dt", "{% for d in obj.deployments %}{{ d.current_release.id }}"
                          "{% endfor %}")
    answer = render(world, PART + ":eks:main-cluster", "dt", "deployment_targets").get_json()
    assert answer["text"] == DEPLOYMENT + ":7\n"


def test_filters_write_json_yaml_and_hcl_safely(world):
    assert world.patch(f"/api/networks/{NET}", json={"defaults": {
        "x": {"b": [1, True, None], "a": 'say "${var.secret}" and %{ if }'}}}).status_code == 200
    template(world, "filters", "{{ defaults.x | json }}\n{{ defaults.x | yaml }}\n"
                               "{{ defaults.x.a | hcl }}\n{{ defaults.x | hcl }}")
    text = render(world, NET, "filters").get_json()["text"]
    assert text.splitlines() == [
        '{"a": "say \\"${var.secret}\\" and %{ if }", "b": [1, true, null]}',
        "a: say \"${var.secret}\" and %{ if }", "b:", "- 1", "- true", "- null",
        '"say \\"$${var.secret}\\" and %%{ if }"',
        '{"a" = "say \\"$${var.secret}\\" and %%{ if }", "b" = [1, true, null]}']


@pytest.mark.parametrize("doc, line, says", [
    ("ok\n{{ obj.nope }}", 2, "has no attribute 'nope'"),
    ("a\nb\n{{ nothing }}", 3, "'nothing' is undefined"),
    ("{{ obj.__class__.__mro__ }}", 1, "unsafe"),
    ("{{ 1 // 0 }}", 1, "division"),
    ("{{ obj.name.__class__ }}", 1, "unsafe"),
])
def test_a_failing_template_is_a_422_naming_the_template_and_line(world, doc, line, says):
    template(world, "bad", doc)
    response = render(world, NET, "bad")
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["detail"].startswith(f"config_template 'bad', doc line {line}: "), body
    assert says in body["detail"]


def test_a_template_that_does_not_compile_is_refused_on_write(world):
    response = post(world, "config_template", {"name": "bad", "language_id": "hcl",
                                               "doc": "a\n{% if %}"})
    body = response.get_json()
    assert response.status_code == 422
    assert "config_template 'bad', doc line 2" in body["detail"]
    assert world.get("/api/config_templates/bad").status_code == 404


@pytest.mark.parametrize("fields, field", [
    ({"applies_to": "netwrk"}, "applies_to"),
    ({"path": "x.tf"}, "path"),
    ({"applies_to": "network", "selector": {"filters": [{"name": "nope", "op": "eq",
                                                          "val": 1}]}}, "selector"),
    ({"applies_to": "network", "path": "{% for %}"}, "path"),
])
def test_what_a_template_applies_to_is_checked(world, fields, field):
    response = post(world, "config_template", dict(name="t", language_id="hcl", doc="x",
                                                   **fields))
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["source"]["field"] == field


def test_rendering_for_another_resource_or_an_unknown_template_is_refused(world):
    assert render(world, NET, "k8s-deployment").status_code == 422
    assert render(world, NET, "no-such").status_code == 404
    assert world.get(f"/api/networks/{NET}/render").status_code == 400
    assert render(world, NET + "x", "vpc-tf").status_code == 404


def test_generate_renders_every_object_sorted_and_refuses_unsafe_or_shared_paths(world):
    add_all("network", [dict(partition_id=PART, name=f"n{i}", cidr=f"10.{i + 1}.0.0/16")
                        for i in range(3)])
    db.session.commit()
    answer = world.get("/api/config_templates/vpc-tf/generate").get_json()
    paths = [r["path"] for r in answer["renderings"]]
    assert paths == sorted(paths) and len(paths) == 4
    assert all(r["text"].endswith("}\n") for r in answer["renderings"])
    assert world.patch("/api/config_templates/vpc-tf", json={"path": "../{{ obj.name }}"}
                       ).status_code == 200
    assert world.get("/api/config_templates/vpc-tf/generate").status_code == 422
    assert world.patch("/api/config_templates/vpc-tf", json={"path": "same.tf"}
                       ).status_code == 200
    assert world.get("/api/config_templates/vpc-tf/generate").status_code == 409


def test_the_selector_narrows_what_a_template_generates(world):
    add_all("network", [dict(partition_id=PART, name="other", cidr="10.9.0.0/16")])
    db.session.commit()
    assert world.patch("/api/config_templates/vpc-tf", json={
        "selector": {"filters": [{"name": "name", "op": "eq", "val": "other"}]}}
    ).status_code == 200
    answer = world.get("/api/config_templates/vpc-tf/generate").get_json()
    assert [r["id"] for r in answer["renderings"]] == [PART + ":other"]


def test_render_as_of_reads_the_past(world):
    before = world.get("/api/changes?limit=1").get_json()["results"][0]["changeset"]
    assert world.delete(f"/api/subnets/{SUBNET}").status_code in (200, 204)
    past = world.get(f"/api/networks/{NET}/render?template=vpc-tf&as_of={before}").get_json()
    now = render(world, NET, "vpc-tf").get_json()
    assert "10.0.0.0/22" in past["text"] and "10.0.0.0/22" not in now["text"]


def statements(client, url):
    db.session.remove()
    with QueryCounter() as counter:
        response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return counter.count


def test_the_context_costs_the_same_queries_for_1_or_50_children_and_objects(world):
    one_subnet = statements(world, f"/api/networks/{NET}/render?template=vpc-tf")
    one_network = statements(world, "/api/config_templates/vpc-tf/generate")
    add_all("subnet", [dict(network_id=NET, name=f"s{i}", cidr=f"10.0.{4 + i}.0/24")
                       for i in range(50)])
    add_all("network", [dict(partition_id=PART, name=f"n{i}", cidr=f"10.{i + 1}.0.0/16")
                        for i in range(50)])
    db.session.commit()
    assert statements(world, f"/api/networks/{NET}/render?template=vpc-tf") == one_subnet
    assert statements(world, "/api/config_templates/vpc-tf/generate") == one_network
    assert one_network < 25


def test_the_example_templates_are_what_the_docs_ship():
    assert set(TEMPLATES) == {"vpc-tf", "k8s-deployment"}
