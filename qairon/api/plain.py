"""The plain JSON face: ``/api/<plural>`` and ``/api/<plural>/<id>[/<field>]``.

One generic set of views serves every registered resource; the rules live in
the model layer's flush events, so these views only parse, call and commit.
"""
from flask import Blueprint, jsonify, request, url_for
from sqlalchemy import func, inspect
from sqlalchemy.orm import with_parent

from qairon.api.body import has_body, json_body
from qairon.api.filters import prepare_filters, prepare_pair
from qairon.api.params import query_flag
from qairon.api.query import build_query, parse_filter_text, parse_sort, parse_window
from qairon.api.serialize import one_dict, rows_dicts, to_dict, visible_columns
from qairon.core.errors import BadRequest, Conflict, NotFound
from qairon.extensions import db
from qairon.models import by_plural
from qairon.models.lookup import fetch, missing
from qairon.pipeline import CASCADE_KEY, insert_new, session_changes
from qairon.pipeline.shape import assignable

bp = Blueprint("plain", __name__, url_prefix="/api")
RESERVED_ARGS = {"limit", "offset", "filter", "sort", "cascade", "as_of"}


def model_for(plural):
    """The class served at ``/api/<plural>``, or 404."""
    cls = by_plural(plural)
    if cls is None:
        raise NotFound(f"no resource is served at {request.path}", field="resource")
    return cls




def committed(obj):
    """Flush (the rules run), serialise, then commit: the reply needs no reload after commit."""
    db.session.flush()
    out = to_dict(obj)
    db.session.commit()
    return out


def page_of(query, cls):
    """The paginated list envelope for ``query``."""
    limit, offset = parse_window(request.args)
    connection = db.session.connection()
    count = connection.execute(query.with_entities(func.count(cls.id)).order_by(None)
                               .statement).scalar()
    rows = connection.execute(query.with_entities(*visible_columns(cls))
                              .limit(limit).offset(offset).statement).all()

    def link(new_offset):
        args = request.args.to_dict()
        args.update(limit=limit, offset=new_offset)
        return url_for(request.endpoint, **request.view_args, **args, _external=True)

    return jsonify({
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "results": rows_dicts(db.session, cls, rows),
    })


def request_filters(cls):
    """Checked filters from ``?field=value`` pairs and ``?filter=<json>``."""
    filters = []
    for key, value in request.args.items(multi=True):
        if key in RESERVED_ARGS:
            continue
        filters.append(prepare_pair(cls, key, value))
    if "filter" in request.args:
        filters += prepare_filters(cls, parse_filter_text(request.args["filter"]))
    return filters


@bp.get("/<plural>")
def list_objects(plural):
    cls = model_for(plural)
    query = build_query(db.session, cls, request_filters(cls),
                        parse_sort(request.args.get("sort"), cls))
    return page_of(query, cls)


@bp.post("/<plural>")
def create_object(plural):
    """Create one object: the pipeline's batch path (one lookup, one ``INSERT``), then commit."""
    cls = model_for(plural)
    obj = cls(**assignable(cls, json_body()))
    insert_new(db.session, [obj])
    response = jsonify(to_dict(obj))
    response.status_code = 201
    response.headers["Location"] = url_for("plain.item", plural=plural, rest=obj.id,
                                           _external=True)
    db.session.commit()
    return response


def resolve(cls, rest):
    """Split ``<id>[/<field>]`` and fetch the object; IDs may themselves contain ``/``.

    One query looks up both readings (the whole path as an ID, and the part
    before the last ``/``); the whole path wins when both exist.
    """
    if "/" not in rest:
        return fetch(db.session, cls, rest), None
    object_id, field = rest.rsplit("/", 1)
    found = {o.id: o for o in db.session.query(cls).filter(cls.id.in_((rest, object_id)))}
    if rest in found:
        return found[rest], None
    if object_id not in found:
        raise missing(db.session, cls, object_id)
    return found[object_id], field


@bp.route("/<plural>/<path:rest>", methods=["GET", "PATCH", "PUT", "DELETE", "POST"])
def item(plural, rest):
    cls = model_for(plural)
    if request.method == "GET" and "/" not in rest:
        found = one_dict(db.session, cls, rest)
        if found is None:
            raise missing(db.session, cls, rest)
        return jsonify(found)
    obj, field = resolve(cls, rest)
    if field is not None:
        return field_view(cls, obj, field)
    if request.method == "GET":
        return jsonify(to_dict(obj))
    if request.method in ("PATCH", "PUT"):
        for key, value in assignable(cls, json_body(), current=obj).items():
            setattr(obj, key, value)
        return jsonify(committed(obj))
    if request.method == "DELETE":
        return delete_object(obj)
    raise BadRequest(f"POST goes to /api/{plural}; use PATCH to change {obj.id!r}",
                     field="method")


def delete_object(obj):
    """Delete, refusing to orphan dependants unless ``?cascade=true``; counts what went."""
    db.session.info[CASCADE_KEY] = query_flag("cascade")
    db.session.delete(obj)
    db.session.flush()
    deleted = {}
    for change in session_changes(db.session):
        if change.operation == "delete":
            deleted[change.resource] = deleted.get(change.resource, 0) + 1
    db.session.commit()
    return jsonify({"deleted": deleted})


def field_view(cls, obj, field):
    """GET a scalar, to-one or to-many field; POST/DELETE one many-to-many link."""
    relationships = inspect(cls).relationships
    if field in relationships and field not in cls.hidden:
        relation = relationships[field]
        if request.method in ("POST", "DELETE"):
            return link_view(cls, obj, field, relation)
        if request.method != "GET":
            raise BadRequest(f"{field} is a relation: GET it, or POST/DELETE one link",
                             field=field)
        if not relation.uselist:
            related = getattr(obj, field)
            return jsonify(to_dict(related) if related is not None else None)
        target = relation.mapper.class_
        query = build_query(db.session, target, request_filters(target),
                            parse_sort(request.args.get("sort"), target))
        return page_of(query.filter(with_parent(obj, getattr(cls, field))), target)
    if field in cls.column_names() and request.method == "GET":
        return jsonify(to_dict(obj)[field])
    raise NotFound(f"{field!r} is not a field or relation of {cls.resource}", field="field")


def link_view(cls, obj, field, relation):
    """Add (POST ``{"id": ...}``) or remove (DELETE ``?id=...``) one many-to-many link."""
    if field not in cls.links:
        raise BadRequest(f"{field} of {cls.resource} is not a many-to-many link; "
                         f"links: {', '.join(cls.links) or 'none'}", field=field)
    target = relation.mapper.class_
    other_id = request.args.get("id") if request.method == "DELETE" else None
    if other_id is None and has_body(request.environ):
        body = json_body()
        other_id = body.get("id") if isinstance(body, dict) else None
    if not isinstance(other_id, str) or not other_id:
        raise BadRequest(f'give the {target.resource} to link as {{"id": "..."}}', field="id")
    other = fetch(db.session, target, other_id)
    collection = getattr(obj, field)
    if request.method == "POST":
        if other in collection:
            raise Conflict(f"{field}: {cls.resource} {obj.id!r} is already linked to "
                           f"{target.resource} {other.id!r}", field=field)
        collection.append(other)
    else:
        if other not in collection:
            raise NotFound(f"{field}: {cls.resource} {obj.id!r} is not linked to "
                           f"{target.resource} {other.id!r}", field=field)
        collection.remove(other)
    return jsonify(committed(obj))
