"""The older (upstream) Qairon's client on the JSON:API face, where our model allows it.

What that client sends is mapped to our fields before the plain face's input
step (:func:`qairon.pipeline.shape.assignable`) judges it, from what each
resource class declares in ``upstream`` (:class:`~qairon.models.declarations.Upstream`):

- a catalogue object (its ID is its name) created with ``attributes.id`` gets
  that as its ``name``; any other ``attributes.id`` is a client-supplied ID,
  checked like ``data.id`` (a mismatch is a 409);
- declared field synonyms (an artifact's ``data`` is its ``defaults``) and
  relation aliases (``type``, ``template``) are accepted, and the aliases are
  shown beside our relation names in resource objects;
- fields a JSON:API create may omit get their declared value (a config's
  ``config``);
- a field our model places elsewhere (``Moved``) is refused in one sentence
  saying where it went and, when it can, the value to give instead.

docs/MIGRATING.md is the user's side of it.
"""
import json

from flask import current_app
from sqlalchemy import inspect

from qairon.config import flag
from qairon.core.errors import BadRequest, Conflict, NotFound
from qairon.extensions import db
from qairon.models import REGISTRY
from qairon.pipeline.shape import column_kind

#: Collections of the older server's ``dependencies`` plugin. A resource registered
#: under one of these names is served as any other and this answer no longer applies.
PLUGIN_COLLECTIONS = ("dependency_case", "dependency", "relatable", "related")


def relation_aliases(cls):
    """Alias -> to-one relation: the declared ones, and ``type`` for a class with a
    ``type_field`` (the relation whose foreign key it is)."""
    out = dict(cls.upstream.relations)
    if cls.type_field and "type" not in out:
        for relation in inspect(cls).relationships:
            pairs = relation.local_remote_pairs
            if not relation.uselist and len(pairs) == 1 and pairs[0][0].key == cls.type_field:
                out["type"] = relation.key
    return out


def relation_name(cls, name):
    """Our name of the relation a client called ``name`` (an alias, or already ours)."""
    return relation_aliases(cls).get(name, name)


def _foreign_key(cls, relation):
    (local, _remote), = inspect(cls).relationships[relation].local_remote_pairs
    return local.key


def _moved(cls, moved, value):
    hint = ""
    if moved.use:
        target = REGISTRY.get(moved.field.removesuffix("_id"))
        found = db.session.get(target, value) if target and isinstance(value, str) else None
        hint = (f"; give {moved.use} {getattr(found, moved.use)!r} instead" if found is not None
                else f"; give {moved.use} instead")
    raise BadRequest(f"{moved.field} is not a field of {cls.resource}: {moved.why}{hint}",
                     field=moved.field)


def _is_catalogue(cls):
    return len(cls.identity_fields()) == 1 and cls.identity_fields() == cls.name_fields()


def translate(cls, attributes, creating):
    """``attributes`` as the older client sends them, in our fields, and the ID it gave
    (or None). Anything not declared is left for the input step to judge."""
    if not isinstance(attributes, dict):
        return attributes, None
    out = dict(attributes)
    writable = set(cls.writable_fields())
    for theirs, ours in cls.upstream.fields:
        if theirs in out and theirs not in writable:
            if ours in out:
                raise BadRequest(f"{theirs} and {ours} are one field of {cls.resource} here "
                                 f"({ours}); give one of them", field=ours)
            out[ours] = out.pop(theirs)
    for alias, relation in relation_aliases(cls).items():
        key = _foreign_key(cls, relation)
        for given in (alias, f"{alias}_id"):
            if given in out and given not in writable:
                value = out.pop(given)
                if key in out and out[key] != value:
                    raise BadRequest(f"{given} is {key} here, and they disagree; give one of "
                                     f"them", field=key)
                out[key] = value
    if not creating:
        return out, None
    for moved in cls.upstream.moved:
        if moved.field in out and moved.field not in writable:
            _moved(cls, moved, out[moved.field])
    given_id = out.pop("id", None)
    if given_id is not None and not isinstance(given_id, str):
        raise BadRequest("id must be text (the ID the server computes), or left out", field="id")
    if given_id is not None and _is_catalogue(cls):
        name = cls.identity_fields()[0]
        if out.get(name, given_id) != given_id:
            raise Conflict(f"id {given_id[:200]!r} and {name} {str(out[name])[:200]!r} disagree: "
                           f"a {cls.resource}'s ID is its {name}; give one of them", field="id")
        out[name] = given_id
    for field, value in cls.upstream.fill:
        out.setdefault(field, value)
    return out, given_id


def add_aliases(cls, resource_object):
    """Show each to-one relation under its alias too (``type``, ``template``)."""
    links = resource_object.get("relationships")
    if not links:
        return
    for alias, relation in relation_aliases(cls).items():
        if relation in links and alias not in links:
            links[alias] = links[relation]


def defaults_as_text(cls, attributes):
    """With ``JSONAPI_DEFAULTS_AS_TEXT`` on, JSON columns (``defaults``) are shown as the
    JSON text of the object, as the older server showed its text column."""
    if not flag(current_app.config.get("JSONAPI_DEFAULTS_AS_TEXT")):
        return
    for key, value in attributes.items():
        column = cls.__table__.columns.get(key)
        if column is not None and column_kind(column) == "json" and isinstance(value, dict):
            attributes[key] = json.dumps(value)


def collection_alias(cls, view_args):
    """Serve a to-many relation under the name the older client reads (``configs``): the
    view is given our relation's name (``deployment_configs``)."""
    name = (view_args or {}).get("relation_name")
    ours = dict(cls.upstream.collections).get(name)
    if ours is not None:
        view_args["relation_name"] = ours


def hide_attributes(cls, attributes):
    """Leave out the attributes ``cls.upstream.hidden`` names (the older server never showed
    them: a resource shaped after one of its tables shows that table's columns only)."""
    for key in cls.upstream.hidden:
        attributes.pop(key, None)


def refuse_plugin_path(name, prefix):
    """404 for a collection of the older server's dependencies plugin, saying what serves it."""
    if name in PLUGIN_COLLECTIONS and name not in REGISTRY:
        raise NotFound(f"{prefix}/{name} belongs to the older Qairon's dependencies plugin; this "
                       f"server serves it with QAIRON_PLUGINS=dependency_cases (its four "
                       f"resources, as that client sends them), and typed edges between any "
                       f"two objects with QAIRON_PLUGINS=dependencies; what an object stands on "
                       f"and what depends on it are /api/<plural>/<id>/trace and /impact "
                       f"(docs/MIGRATING.md)", field="resource")
