"""The history over HTTP.

    GET  /api/changes[?since&until&resource&id&id_prefix&actor&changeset&cursor&after&limit]
    GET  /api/changesets/<id>                    the changeset and its first changes
    POST /api/changesets/<id>/revert             its inverse, as one new changeset
    GET  /api/diff?since=T1[&until=T2]           what changed between two moments
    GET  /api/<plural>/<id>/history              every change of one object
    POST /api/<plural>/<id>/restore[?as_of=T][&subtree=true]
    POST /api/<plural>/<id>/rename               {"name": NEW}

The last three are actions every resource declares (``qairon.models.base``),
routed by :mod:`qairon.api.actions`. Every read of the other endpoints takes
``?as_of=`` (see :mod:`qairon.history.as_of`).
"""
from flask import Blueprint, jsonify, request, url_for

from qairon.api.body import json_body
from qairon.api.params import query_flag
from qairon.api.query import MAX_LIMIT
from qairon.core.errors import BadRequest, NotFound
from qairon.core.text import is_digits
from qairon.extensions import db
from qairon.history import diff as differ
from qairon.history import reads, undo
from qairon.history.cut import bounds
from qairon.history.rename import rename as rename_object

bp = Blueprint("history", __name__, url_prefix="/api")
DEFAULT_LIMIT = 100


def _int(name, default=None, minimum=0):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not is_digits(raw) or int(raw) < minimum:
        raise BadRequest(f"{name} {raw!r} must be a whole number of at least {minimum}",
                         field=name)
    return int(raw)


def _limit():
    limit = _int("limit", DEFAULT_LIMIT, 1)
    if limit > MAX_LIMIT:
        raise BadRequest(f"limit {limit} must be between 1 and {MAX_LIMIT}", field="limit")
    return limit


def _page(results, more, forwards=False):
    """The envelope of a page of changes, with the cursor of the next one."""
    body = {"results": results, "next": None,
            "cursor": results[-1]["id"] if results else request.args.get("after")}
    if more and results and not forwards:
        args = request.args.to_dict()
        args["cursor"] = results[-1]["id"]
        body["next"] = url_for(request.endpoint, **request.view_args, **args, _external=True)
    return body


@bp.get("/changes")
def changes_view():
    """Changes matching the filters, newest first (or after an ID, oldest first)."""
    lower, upper = bounds(db.session, request.args.get("since"), request.args.get("until"))
    after = _int("after")
    results, more = reads.query_changes(
        db.session, resource=request.args.get("resource") or None,
        object_id=request.args.get("id") or None,
        id_prefix=request.args.get("id_prefix") or None,
        actor=request.args.get("actor") or None, changeset_id=_int("changeset"),
        lower=lower, upper=upper, cursor=_int("cursor"), after=after, limit=_limit())
    return jsonify(_page(results, more, forwards=after is not None))


@bp.get("/changesets/<int:changeset_id>")
def changeset_view(changeset_id):
    """One changeset: who, when, which request, counts, and its first page of changes."""
    found = reads.changeset_row(db.session, changeset_id)
    if found is None:
        raise NotFound(f"changeset {changeset_id} does not exist", field="changeset")
    results, more = reads.query_changes(db.session, changeset_id=changeset_id,
                                        cursor=_int("cursor"), limit=_limit())
    page = _page(results, more)
    if page["next"]:
        page["next"] = url_for("history.changes_view", changeset=changeset_id,
                               cursor=results[-1]["id"], _external=True)
    found.update(changes=page["results"], next=page["next"])
    return jsonify(found)


@bp.post("/changesets/<int:changeset_id>/revert")
def revert_view(changeset_id):
    """Apply the inverse of a changeset (409 listing what changed since)."""
    return jsonify(undo.revert(changeset_id))


@bp.get("/diff")
def diff_view():
    """Per resource and per object, what differs between ``since`` and ``until`` (now)."""
    since = request.args.get("since")
    if not since:
        raise BadRequest("since is required: a changeset ID or an ISO-8601 time", field="since")
    lower, upper = bounds(db.session, since, request.args.get("until"))
    document = differ.diff(db.session, lower, upper, request.args.get("resource") or None,
                           request.args.get("id_prefix") or None)
    document.update(since=since, until=request.args.get("until"))
    return jsonify(document)


def history(cls, object_id):
    """Every change of one object, newest first (also under former IDs and after a delete)."""
    results, more = reads.history(db.session, cls.resource, object_id, cursor=_int("cursor"),
                                  limit=_limit())
    if not results and _int("cursor") is None:
        raise NotFound(f"{cls.resource} {object_id!r} does not exist and never did: the "
                       f"history holds no change of it", field="id")
    return jsonify(_page(results, more))


def restore(cls, object_id):
    """Bring a deleted object back (``subtree=true``: what depended on it too)."""
    result = undo.restore(cls.resource, object_id, request.args.get("as_of") or None,
                          subtree=query_flag("subtree"))
    response = jsonify(result)
    response.status_code = 201
    return response


def rename(cls, object_id):
    """Give an object a new name: new IDs for it and its descendants, references moved."""
    body = json_body()
    if not isinstance(body, dict) or "name" not in body:
        raise BadRequest('give the new name as {"name": "..."}', field="name")
    return jsonify(rename_object(cls.resource, object_id, body["name"]))
