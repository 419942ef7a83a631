"""``GET /api/openapi.json`` (the document) and ``/api/docs/`` (the interactive viewer).

The viewer is Swagger UI from the ``swagger-ui-py`` package (Apache-2.0), served
from its installed static files — no CDN: the page loads only this server's
files. The page and its script are ours (``viewer/``).
"""
import os
from importlib.util import find_spec

from flask import Blueprint, current_app, jsonify, redirect, send_from_directory, url_for

from qairon.core.errors import NotFound
from qairon.identity.authn import public
from qairon.openapi.document import build

bp = Blueprint("openapi", __name__, url_prefix="/api")
OURS = os.path.join(os.path.dirname(__file__), "viewer")
VIEWER_FILES = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png",
                "favicon-16x16.png")
#: Swagger UI draws icons from data: URLs and sets inline styles; nothing else is loosened.
DOCS_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
EXTENSION_KEY = "qairon.openapi"


def swagger_ui_dir():
    """The folder of Swagger UI's static files in the installed ``swagger_ui`` package."""
    spec = find_spec("swagger_ui")
    return os.path.join(spec.submodule_search_locations[0], "static")


def document():
    """The app's document, built once (the URL map does not change after start-up)."""
    cached = current_app.extensions.get(EXTENSION_KEY)
    if cached is None:
        cached = current_app.extensions[EXTENSION_KEY] = build(current_app)
    return cached


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this server: both faces, actions, every API route."""
    return jsonify(document())


@bp.get("/docs")
@public
def docs_redirect():
    """The interactive documentation (its assets are relative to ``/api/docs/``)."""
    return redirect(url_for("openapi.docs_file", name="index.html").rsplit("index.html", 1)[0])


@bp.get("/docs/", defaults={"name": "index.html"})
@bp.get("/docs/<name>")
@public
def docs_file(name):
    """The viewer's page, its start script, and Swagger UI's files."""
    if name in ("index.html", "start.js"):
        response = send_from_directory(OURS, name)
    elif name in VIEWER_FILES:
        response = send_from_directory(swagger_ui_dir(), name)
    else:
        raise NotFound(f"{name!r} is not a file of the API documentation", field="name")
    response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response
