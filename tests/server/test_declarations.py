"""What the model classes declare (links, embedded relations, actions) is what the
rules, the walks, the routes and the schema do — for every resource, read generically."""
import pytest
from sqlalchemy import inspect

from qairon.api.schema import schema_document
from qairon.core.errors import Conflict
from qairon.extensions import db
from qairon.insight import graph
from qairon.models import REGISTRY, dependency_order
from qairon.models.declarations import COLLECTION
from qairon.pipeline.rules import isolated_relations
from tests.server.data import DEPLOYMENT, REGION
from tests.server.helpers import build_world, post

ITEM_ACTIONS = [(name, action) for name in sorted(REGISTRY)
                for action in REGISTRY[name].actions if action.scope != COLLECTION]


@pytest.mark.parametrize("resource, action", [(n, a.name) for n, a in ITEM_ACTIONS])
def test_every_declared_item_action_is_routed(client, resource, action):
    cls = REGISTRY[resource]
    method = cls.action(action).method
    response = client.open(f"/api/{cls.plural}/no:such:thing/{action}", method=method,
                           json={"additional_mask_bits": 1, "name": "x"})
    assert response.status_code == 404, response.get_json()
    assert "does not exist" in response.get_json()["detail"]


def test_an_action_is_refused_where_it_is_not_declared(client):
    response = client.get("/api/services/ecommerce:checkout:order-processor/lineage")
    body = response.get_json()
    assert response.status_code == 404 and body["source"]["field"] == "resource"
    assert body["detail"] == ("lineage is served at /api/build_artifacts/<id>/lineage and "
                              "/api/release_artifacts/<id>/lineage")


def test_a_collection_action_is_served_at_its_declared_path(client):
    (action,) = [a for a in REGISTRY["capacity"].actions if a.scope == COLLECTION]
    response = client.get("/api/" + action.url_path(REGISTRY["capacity"].plural))
    assert response.status_code == 200 and response.get_json() == {"environment": None,
                                                                    "fleets": []}


def test_the_schema_exports_every_declaration(app):
    document = schema_document()
    for name, cls in REGISTRY.items():
        entry = document["resources"][name]
        relations = inspect(cls).relationships
        assert entry["links"] == {
            relation: {"resource": relations[relation].mapper.class_.resource,
                       "isolated": link.isolated, "depends_on": link.depends_on}
            for relation, link in cls.links.items()}
        assert entry["embedded"] == {k: list(v) for k, v in cls.embedded.items()}
        assert [a["name"] for a in entry["actions"]] == [a.name for a in cls.actions]
    assert document["order"] == dependency_order()


def test_the_order_puts_every_required_reference_first(app):
    order = dependency_order()
    assert sorted(order) == sorted(REGISTRY)
    for name, cls in REGISTRY.items():
        for field, target in cls.references().items():
            if not cls.__table__.columns[field].nullable and target != name:
                assert order.index(target) < order.index(name), (name, field)


def test_a_dependency_link_is_an_edge_of_the_walks(app):
    for name, cls in REGISTRY.items():
        links = {e.name for e in graph.edges_of(cls) if e.is_link}
        assert links == {r for r, link in cls.links.items() if link.depends_on}, name


def test_an_isolated_link_is_checked_from_both_sides(app):
    assert isolated_relations(REGISTRY["deployment"]) == ("zones",)
    assert isolated_relations(REGISTRY["zone"]) == ("deployments",)
    assert isolated_relations(REGISTRY["repo"]) == ()


def test_linking_from_the_undeclared_side_cannot_cross_environments(app, client):
    build_world(client)
    for resource, fields in [
            ("environment", {"name": "dev"}),
            ("provider", {"environment_id": "dev", "provider_type_id": "aws",
                          "native_id": "999999999999"}),
            ("region", {"provider_id": "dev:aws:999999999999", "name": "us-east-1"}),
            ("zone", {"region_id": "dev:aws:999999999999:us-east-1", "name": "use1-az1"})]:
        assert post(client, resource, fields).status_code == 201
    zone = db.session.get(REGISTRY["zone"], "dev:aws:999999999999:us-east-1:use1-az1")
    zone.deployments.append(db.session.get(REGISTRY["deployment"], DEPLOYMENT))
    with pytest.raises(Conflict, match="links cannot cross environments"):
        db.session.flush()
    db.session.rollback()
    same = db.session.get(REGISTRY["zone"], REGION + ":use1-az1")
    same.deployments.append(db.session.get(REGISTRY["deployment"], DEPLOYMENT))
    db.session.commit()
    assert [z.id for z in db.session.get(REGISTRY["deployment"], DEPLOYMENT).zones] == [same.id]
