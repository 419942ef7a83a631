"""The JSON:API face at ``/api/rest/v1/<resource>``, one Flask-Restless-NG API
per registered resource, created in a loop; it keeps the plain face's contract.

- before a view runs, :func:`check_request` resolves the URL
  (:mod:`~qairon.api.jsonapi_routes`), checks the body is JSON and the query
  parameters are servable (:mod:`~qairon.api.jsonapi_params`);
- write documents pass the plain face's input step in the views' preprocessors
  (:mod:`~qairon.api.jsonapi_input`), then the one write pipeline;
- a write is committed only once its answer is built
  (:mod:`~qairon.api.jsonapi_commit`); ``include`` and timestamps are served by
  :mod:`~qairon.api.jsonapi_output`; every error is answered in the one error
  shape (:mod:`~qairon.api.jsonapi_errors`).

Curl stays welcome: plain ``application/json`` bodies and ``Accept: */*`` are
accepted, and ``filter[objects]`` may be the object form with dotted paths.
"""
from functools import partial

from flask import request
from flask_restless import APIManager
from sqlalchemy import inspect

from qairon.api import jsonapi_errors, jsonapi_input, jsonapi_output
from qairon.api.body import json_body
from qairon.api.jsonapi_commit import AnswerFirstSession, commit_after_answer
from qairon.api.jsonapi_params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, check_query
from qairon.api.jsonapi_routes import (
    EXTENSION,
    PREFIX,
    current_route,
    on_jsonapi,
    refuse_unrouted,
    served_by_jsonapi,
)
from qairon.models import REGISTRY

JSONAPI = "application/vnd.api+json"
GETS = ("GET_COLLECTION", "GET_RESOURCE", "GET_TO_MANY_RELATION", "GET_TO_ONE_RELATION",
        "GET_RELATED_RESOURCE", "GET_TO_MANY_RELATIONSHIP", "GET_TO_ONE_RELATIONSHIP")


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


def check_request():
    """``before_request``: a JSON:API request is routed, its body JSON, its parameters servable."""
    if not on_jsonapi():
        return
    if not served_by_jsonapi(request.endpoint):
        refuse_unrouted()
    route = current_route()
    if request.method in ("POST", "PATCH") or (request.method == "DELETE" and route.relationship):
        json_body()  # JSON within the bounds (depth, NaN, text), or our own 400
    check_query(route)


def _processors(cls):
    bound = {name: [partial(getattr(jsonapi_input, fn), cls)] for name, fn in (
        ("POST_RESOURCE", "create"), ("PATCH_RESOURCE", "update"),
        ("DELETE_RESOURCE", "delete"), ("PATCH_RELATIONSHIP", "replace_relationship"),
        ("POST_RELATIONSHIP", "add_to_relationship"),
        ("DELETE_RELATIONSHIP", "remove_from_relationship"))}
    after = {name: [jsonapi_output.add_included] for name in GETS}
    after["POST_RESOURCE"] = [jsonapi_input.check_created, jsonapi_output.add_included]
    return bound, after


def register(app):
    """Create the JSON:API views for every registered resource and install their checks."""
    manager = APIManager(app, session=AnswerFirstSession(), url_prefix=PREFIX)
    serializers = {}
    with app.app_context():
        for name, cls in sorted(REGISTRY.items()):
            exclude = to_many(cls) + list(cls.hidden)
            serializers[cls] = jsonapi_output.Serializer(cls, name, manager, primary_key="id",
                                                         exclude=exclude)
            pre, post = _processors(cls)
            manager.create_api(
                cls, collection_name=name, methods=["GET", "POST", "PATCH", "DELETE"],
                exclude=exclude, serializer=serializers[cls],
                page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE,
                allow_to_many_replacement=True, allow_delete_from_to_many_relationships=True,
                primary_key="id", preprocessors=pre, postprocessors=post)
    names = {blueprint.name for blueprint in manager.blueprints}
    app.extensions[EXTENSION] = {"blueprints": names, "serializers": serializers}
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.split(".", 1)[0] in names:
            app.view_functions[endpoint] = commit_after_answer(view)
    app.before_request(check_request)
    app.after_request(jsonapi_output.keep_include_in_link_header)
    jsonapi_errors.install(app)
    app.wsgi_app = PlainJsonMiddleware(app.wsgi_app)
    return manager
