"""What the JSON:API face answers beyond Flask-Restless-NG's defaults.

Timestamps carry their UTC offset, as on the plain face. ``include`` is served
here, level by level with one query per relation (never one per object), within
``JSONAPI_MAX_INCLUDED`` objects: past the bound the request is refused with a
400 naming ``include`` instead of keeping a worker busy.
"""
import re
from datetime import datetime
from urllib.parse import quote

from flask import current_app, g
from flask_restless.serialization import DefaultSerializer
from flask_restless.views.base import parse_sparse_fields
from sqlalchemy import select

from qairon.api.jsonapi_params import INCLUDE, max_included
from qairon.api.jsonapi_routes import EXTENSION, relations
from qairon.api.jsonapi_upstream import add_aliases, defaults_as_text, hide_attributes
from qairon.api.serialize import timestamp
from qairon.core.errors import BadRequest
from qairon.extensions import db
from qairon.models import REGISTRY

LINKS = ("first", "last", "prev", "next")


class Serializer(DefaultSerializer):
    """Flask-Restless-NG's resource objects, with timestamps in UTC and their offset, and
    the older (upstream) client's relation names beside ours."""

    def serialize_attributes(self, instance, only=None):
        """The attributes, every timestamp as ISO 8601 text with ``+00:00``, less those the
        resource declares hidden from the older client."""
        attributes = super().serialize_attributes(instance, only)
        for key in attributes:
            value = getattr(instance, key, None)
            if isinstance(value, datetime):
                attributes[key] = timestamp(value)
        defaults_as_text(self._model, attributes)
        hide_attributes(self._model, attributes)
        return attributes

    def serialize(self, instance, only=None):
        """The resource object, its to-one relations also under the older client's names."""
        result = super().serialize(instance, only)
        add_aliases(self._model, result)
        return result


def _primary(result):
    data = result.get("data")
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    out = {}
    for item in items:
        if item.get("type") in REGISTRY:
            out.setdefault(item["type"], set()).add(item["id"])
    return out


def _related_ids(cls, ids, name, limit):
    """IDs of the objects ``name`` reaches from ``cls`` rows ``ids`` (at most ``limit`` + 1)."""
    relation = relations(cls)[name]
    target = relation.mapper.class_
    query = (select(target.id).select_from(cls).join(getattr(cls, name))
             .where(cls.id.in_(sorted(ids))).distinct().limit(limit + 1))
    return target, {row[0] for row in db.session.execute(query)}


def included(tree, primary):
    """Resource objects reached by the include ``tree`` from ``primary`` ({type: ids}), bounded."""
    limit = max_included()
    seen = {(resource, i) for resource, ids in primary.items() for i in ids}
    wanted = {}
    frontier = [(REGISTRY[resource], ids, tree) for resource, ids in primary.items()]
    while frontier:
        cls, ids, branches = frontier.pop()
        for name, deeper in branches.items():
            target, found = _related_ids(cls, ids, name, limit)
            for object_id in found:
                if (target.resource, object_id) not in seen:
                    seen.add((target.resource, object_id))
                    wanted.setdefault(target, set()).add(object_id)
            if len(found) > limit or sum(map(len, wanted.values())) > limit:
                raise BadRequest(f"include reaches more than {limit} objects; ask for fewer "
                                 f"relations or a smaller page", field=INCLUDE)
            if deeper and found:
                frontier.append((target, found, deeper))
    serializers = current_app.extensions[EXTENSION]["serializers"]
    out = []
    for target, ids in sorted(wanted.items(), key=lambda item: item[0].resource):
        rows = db.session.query(target).filter(target.id.in_(sorted(ids))).order_by(target.id)
        only = parse_sparse_fields(target.resource)
        out.extend(serializers[target].serialize(obj, only=only) for obj in rows)
    return out


def _with_include(url):
    return url + ("&" if "?" in url else "?") + \
        f"{INCLUDE}={quote(g.jsonapi_include_text, safe=',.')}"


def keep_include_in_link_header(response):
    """``after_request``: the ``Link`` header's page URLs keep the request's ``include``."""
    if g.get("jsonapi_include_text") and response.headers.get("Link"):
        response.headers["Link"] = re.sub(r"<([^>]*)>", lambda m: f"<{_with_include(m[1])}>",
                                          response.headers["Link"])
    return response


def add_included(result=None, **_kw):
    """Postprocessor: the requested ``include`` as ``included``, and kept in the page links."""
    tree = g.get("jsonapi_include")
    if not tree or not isinstance(result, dict) or "errors" in result:
        return
    result["included"] = included(tree, _primary(result))
    links = result.get("links") or {}
    for name in LINKS:
        if isinstance(links.get(name), str):
            links[name] = _with_include(links[name])
