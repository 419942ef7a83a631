"""The JSON:API face at ``/api/rest/v1/<resource>``, one Flask-Restless-NG API
per registered resource, created in a loop.

Two adaptations keep it friendly to curl and to seed 001's queries: plain
``application/json`` bodies and ``Accept: */*`` are accepted, and
``filter[objects]`` may be the object form ``{"filters": [...]}`` and use
dotted relationship paths.
"""
import json

from flask import request
from flask_restless import APIManager
from sqlalchemy import inspect
from werkzeug.datastructures import ImmutableMultiDict

from qairon.api.filters import prepare_filters
from qairon.api.params import query_flag
from qairon.api.query import parse_filter_text
from qairon.extensions import db
from qairon.models import REGISTRY
from qairon.pipeline import CASCADE_KEY

PREFIX = "/api/rest/v1"
JSONAPI = "application/vnd.api+json"
FILTER_PARAM = "filter[objects]"


def to_many(cls):
    """Names of the to-many relations, left out of default serialization (no N+1)."""
    return [r.key for r in inspect(cls).relationships if r.uselist]


def accept_plain_json(environ):
    """Let ``Content-Type: application/json`` and ``Accept: */*`` reach the JSON:API views."""
    if not environ.get("PATH_INFO", "").startswith(PREFIX):
        return
    if environ.get("CONTENT_TYPE", "").split(";")[0].strip() in ("application/json", ""):
        if environ.get("REQUEST_METHOD") in ("POST", "PATCH"):
            environ["CONTENT_TYPE"] = JSONAPI
    accept = environ.get("HTTP_ACCEPT", "")
    if not accept or "application/json" in accept or "*/*" in accept:
        environ["HTTP_ACCEPT"] = JSONAPI


class PlainJsonMiddleware:
    """WSGI middleware applying :func:`accept_plain_json` before Flask parses headers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        accept_plain_json(environ)
        return self.app(environ, start_response)


def filtered_model():
    """The model a JSON:API collection request filters: the resource or its related one."""
    parts = request.path[len(PREFIX):].strip("/").split("/")
    cls = REGISTRY.get(parts[0])
    if cls is not None and len(parts) >= 3:
        relation = inspect(cls).relationships.get(parts[-1])
        cls = relation.mapper.class_ if relation is not None else cls
    return cls


def rewrite_filters():
    """Check and normalise ``filter[objects]`` (object form, dotted paths) before the views
    parse it; a bad filter is a 400 naming it, as on the plain face."""
    if not request.path.startswith(PREFIX) or FILTER_PARAM not in request.args:
        return
    cls = filtered_model()
    if cls is None:
        return
    filters = parse_filter_text(request.args[FILTER_PARAM], FILTER_PARAM)
    args = request.args.to_dict(flat=False)
    args[FILTER_PARAM] = [json.dumps(prepare_filters(cls, filters, FILTER_PARAM))]
    request.args = ImmutableMultiDict(args)


def cascade_preprocessor(**_kw):
    """``DELETE ...?cascade=true`` deletes the subtree in the same transaction."""
    db.session.info[CASCADE_KEY] = query_flag("cascade")


def register(app):
    """Create the JSON:API blueprints for every registered resource."""
    manager = APIManager(app, session=db.session, url_prefix=PREFIX)
    with app.app_context():
        _create_apis(manager)
    app.before_request(rewrite_filters)
    app.wsgi_app = PlainJsonMiddleware(app.wsgi_app)
    return manager


def _create_apis(manager):
    for name, cls in sorted(REGISTRY.items()):
        manager.create_api(
            cls, collection_name=name,
            methods=["GET", "POST", "PATCH", "DELETE"],
            exclude=to_many(cls) + list(cls.hidden),
            page_size=100, max_page_size=1000,
            allow_to_many_replacement=True,
            allow_delete_from_to_many_relationships=True,
            primary_key="id",
            preprocessors={"DELETE_RESOURCE": [cascade_preprocessor]},
        )
