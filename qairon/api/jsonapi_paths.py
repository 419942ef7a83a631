"""JSON:API URLs of objects whose ID contains ``/``.

Flask-Restless-NG routes ``/api/rest/v1/<type>/<resource_id>[/...]`` with
one path segment for the ID, so ``/api/rest/v1/repo/ecr:org/app`` would read
as the relation ``app`` of ``ecr:org``, and an ID with two slashes would not be
served at all. Before the view runs, :func:`reroute` looks the path's leading
segments up as IDs (one query); when an ID with a ``/`` exists, the longest
one wins, as on the plain face (:func:`qairon.api.plain.resolve`), and the rest
of the path (a relation, ``relationships/<name>``) is routed as usual with
that ID.
"""
from flask import current_app, request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from qairon.extensions import db
from qairon.models import REGISTRY

PREFIX = "/api/rest/v1/"
TOKEN = "qairon-resource-id"


def longest_id(cls, parts):
    """``(id, n)``: the longest ``/``-joined prefix of ``parts`` (2 parts or more) that is an ID."""
    candidates = ["/".join(parts[:n]) for n in range(2, len(parts) + 1)]
    found = set(db.session.scalars(select(cls.id).where(cls.id.in_(candidates))))
    for n in range(len(parts), 1, -1):
        if candidates[n - 2] in found:
            return candidates[n - 2], n
    return None, 0


def reroute():
    """Route a JSON:API request whose resource ID contains ``/`` to the view it names."""
    if not request.path.startswith(PREFIX):
        return
    collection, _, remainder = request.path[len(PREFIX):].partition("/")
    cls = REGISTRY.get(collection)
    if cls is None or "/" not in remainder.strip("/"):
        return
    parts = remainder.split("/")
    object_id, n = longest_id(cls, parts)
    if object_id is None:
        return
    path = "/".join([PREFIX.rstrip("/"), collection, TOKEN, *parts[n:]])
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        rule, args = adapter.match(path, request.method, return_rule=True)
    except HTTPException as error:
        request.routing_exception = error
        return
    request.url_rule, request.routing_exception = rule, None
    request.view_args = {key: object_id if value == TOKEN else value
                         for key, value in args.items()}


def register(app):
    """Install :func:`reroute` before every request of ``app``."""
    app.before_request(reroute)
