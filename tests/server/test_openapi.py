"""The OpenAPI document: valid, complete (every route the app registers), generated
from the registry, and rendered by the viewer at ``/api/docs/``."""
import re

import pytest
from flask import Blueprint
from openapi_spec_validator import validate

from qairon import create_app
from qairon.models import REGISTRY
from qairon.openapi.routes import EXCLUDED, methods_of
from qairon.openapi.schemas import component_name

OPERATIONS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def doc(sqlite_app):
    response = sqlite_app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def rule_pattern(rule):
    """A regular expression matching the document's paths that serve ``rule``.

    ``<plural>`` is any collection of the registry (or the parameter ``{plural}``);
    ``<path:...>`` one or more
    segments (an ID may hold ``/``); any other variable one segment.
    """
    plurals = "|".join([re.escape(cls.plural) for cls in REGISTRY.values()] + [r"\{plural\}"])
    out, position = "", 0
    for match in re.finditer(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule):
        out += re.escape(rule[position:match.start()])
        converter, name = match.groups()
        out += f"(?:{plurals})" if name == "plural" else ".+" if converter == "path" else "[^/]+"
        position = match.end()
    return out + re.escape(rule[position:])


def undocumented(app, doc):
    """``(rule, method)`` of every API route that no operation of ``doc`` serves."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith(EXCLUDED):
            continue
        pattern = re.compile(rule_pattern(rule.rule))
        for method in methods_of(rule):
            if not any(pattern.fullmatch(path) and method.lower() in item
                       for path, item in doc["paths"].items()):
                missing.append((rule.rule, method))
    return missing


def test_the_document_is_valid_openapi_3_1(doc):
    assert doc["openapi"] == "3.1.0"
    validate(doc)


def test_every_route_the_app_registers_is_in_the_document(sqlite_app, doc):
    assert undocumented(sqlite_app, doc) == []


def test_every_resource_has_both_faces_described_from_its_columns(doc):
    schemas = doc["components"]["schemas"]
    for resource, cls in REGISTRY.items():
        name = component_name(resource)
        base = f"/api/{cls.plural}"
        assert set(doc["paths"][base]) == {"get", "post"}
        assert {"get", "patch", "put", "delete"} <= set(doc["paths"][base + "/{id}"])
        assert set(schemas[name]["required"]) == {"id", "resource", *cls.column_names(),
                                                  *cls.embedded}
        assert schemas[name + "Create"]["required"] == list(cls.create)
        assert not set(cls.identity_fields()) & set(schemas[name + "Patch"]["properties"])
        assert {"get", "post"} <= set(doc["paths"][f"/api/rest/v1/{resource}"])
        for action in cls.actions:
            path = "/api/" + action.url_path(cls.plural)
            assert action.method.lower() in doc["paths"][path], path


def test_column_types_and_the_envelopes(doc):
    schemas = doc["components"]["schemas"]
    capacity = schemas["Capacity"]["properties"]
    assert capacity["value"] == {"type": "number"}
    assert capacity["defaults"] == {"type": "object"}
    assert capacity["created_at"] == {"type": "string", "format": "date-time"}
    assert schemas["Deployment"]["properties"]["current_release_id"]["type"] == ["string", "null"]
    assert schemas["ServiceList"]["required"] == ["count", "next", "previous", "results"]
    assert schemas["Error"]["required"] == ["status", "title", "detail", "source"]
    listing = doc["paths"]["/api/services"]["get"]
    assert {"400", "404"} <= set(listing["responses"])
    create = doc["paths"]["/api/services"]["post"]["responses"]
    assert {"409", "415", "422"} <= set(create)
    assert create["201"]["links"]["GetService"]["operationId"] == "get_service"
    jsonapi = doc["paths"]["/api/rest/v1/service"]["get"]["responses"]
    assert "application/vnd.api+json" in jsonapi["200"]["content"]
    assert doc["components"]["responses"]["JsonApiError404"]["content"][
        "application/vnd.api+json"]["schema"] == {"$ref": "#/components/schemas/JsonApiErrors"}


def test_a_route_added_by_anyone_appears_and_non_api_paths_do_not():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "AUTH": "off"})
    bp = Blueprint("elsewhere", __name__)

    @bp.route("/api/<plural>/<path:object_id>/preview", methods=["GET", "POST"])
    def preview(plural, object_id):
        """Preview one object."""

    @bp.get("/api/widgets/<int:number>")
    def widget(number):
        """One widget."""

    widget.openapi = {"description": "A widget, described by its view."}

    @bp.get("/admin/widgets")
    def admin_page():
        """A page of the admin UI."""

    app.register_blueprint(bp)
    doc = app.test_client().get("/api/openapi.json").get_json()
    validate(doc)
    assert undocumented(app, doc) == []
    previewed = doc["paths"]["/api/{plural}/{object_id}/preview"]
    assert set(previewed) == {"get", "post"}
    assert previewed["get"]["summary"] == "Preview one object."
    plural = previewed["get"]["parameters"][0]
    assert "services" in plural["schema"]["enum"]
    described = doc["paths"]["/api/widgets/{number}"]["get"]
    assert described["parameters"][0]["schema"] == {"type": "integer"}
    assert described["description"] == "A widget, described by its view."
    assert not [path for path in doc["paths"] if path.startswith(("/admin", "/static"))]


def test_public_routes_need_no_credentials(doc):
    assert doc["paths"]["/up"]["get"]["security"] == []
    assert doc["security"] == [{"token": []}, {"session": []}, {}]
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_viewer_is_served_from_this_server(sqlite_app):
    client = sqlite_app.test_client()
    assert client.get("/api/docs").headers["Location"].endswith("/api/docs/")
    page = client.get("/api/docs/")
    assert page.status_code == 200 and b"swagger-ui-bundle.js" in page.data
    assert b"http" not in page.data  # every asset is relative: nothing from elsewhere
    script = client.get("/api/docs/start.js")
    assert b"../openapi.json" in script.data
    bundle = client.get("/api/docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.data) > 100_000
    assert "img-src 'self' data:" in bundle.headers["Content-Security-Policy"]
    missing = client.get("/api/docs/../../qairon.cfg")
    assert missing.status_code == 404
