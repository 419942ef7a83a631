"""JSON:API write documents, checked and reshaped before Flask-Restless-NG applies them.

Every write of the JSON:API face takes the plain face's input step: attributes
go through :func:`qairon.pipeline.shape.assignable` (unknown and read-only
fields refused, types checked), and a to-one relationship
(``"stack": {"data": {"type": "stack", "id": ...}}``) becomes its foreign-key
field, so that giving ``stack_id`` or the relationship is one and the same
write, judged by the same rules. To-many linkage is checked here (shape, type,
existence) and applied by the views; the pipeline's rules judge what it changes.
Each function is a Flask-Restless-NG pre- or postprocessor, bound to its class.
"""
from flask import g, request
from werkzeug.datastructures import Headers

from qairon.api.jsonapi_commit import AnswerFirstSession
from qairon.api.jsonapi_routes import relation_of
from qairon.api.jsonapi_upstream import relation_name, translate
from qairon.api.params import query_flag
from qairon.core.chunks import chunked
from qairon.core.errors import BadRequest, Conflict, NotFound
from qairon.extensions import db
from qairon.pipeline import CASCADE_KEY
from qairon.pipeline.shape import assignable

RESOURCE_MEMBERS = ("type", "id", "attributes", "relationships", "links", "meta")


def fetch(cls, object_id):
    """The object with ``object_id``, or 404 naming it."""
    obj = db.session.get(cls, object_id)
    if obj is None:
        raise NotFound(f"{cls.resource} {object_id!r} does not exist", field="id")
    return obj


def primary(document, cls):
    """The resource object of a write document, checked to be of ``cls``'s type."""
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise BadRequest(f'the body must be a JSON:API document {{"data": {{"type": '
                         f'"{cls.resource}", "attributes": {{...}}}}}}', field="data")
    resource = document["data"]
    unknown = sorted(str(k) for k in set(resource) - set(RESOURCE_MEMBERS))
    if unknown:
        raise BadRequest(f"data.{unknown[0][:80]} is not a member of a resource object; its "
                         f"members are type, id, attributes and relationships", field="data")
    if resource.get("type") != cls.resource:
        if "type" not in resource:
            raise BadRequest(f"data.type is required ({cls.resource!r})", field="type")
        raise Conflict(f"data.type {str(resource['type'])[:80]!r} does not match this "
                       f"endpoint, which takes {cls.resource!r}", field="type")
    resource.pop("links", None)
    resource.pop("meta", None)
    return resource


def _object(resource, name):
    value = resource.get(name, {})
    if not isinstance(value, dict):
        raise BadRequest(f"data.{name} must be a JSON object", field=name)
    return value


def _linkage(document):
    if not isinstance(document, dict) or "data" not in document:
        raise BadRequest('the body must be a JSON:API document {"data": ...}: a resource '
                         'identifier, a list of them, or null', field="data")
    return document["data"]


def foreign_key(relation):
    """The writable foreign-key field a to-one relation is stored in, or None."""
    if relation.direction.name != "MANYTOONE" or len(relation.local_remote_pairs) != 1:
        return None
    (local, _remote), = relation.local_remote_pairs
    return local.key if local.key in relation.parent.class_.writable_fields() else None


def identifier(relation, item, name):
    """The ID in a resource identifier ``{"type", "id"}`` of ``relation``'s class (or None)."""
    target = relation.mapper.class_
    if item is None and not relation.uselist:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise BadRequest(f'{name} takes resource identifiers {{"type": "{target.resource}", '
                         f'"id": "..."}}', field=name)
    if item.get("type") != target.resource:
        raise Conflict(f"{name}: type {str(item.get('type'))[:80]!r} does not match; {name} "
                       f"holds {target.resource} objects", field=name)
    return item["id"]


def linkage_list(relation, linkage, name):
    """A to-many linkage checked: a list of identifiers of objects that exist."""
    target = relation.mapper.class_
    if not isinstance(linkage, list):
        raise BadRequest(f"{name} is a to-many relationship: give a list of resource "
                         f"identifiers (maybe an empty list)", field=name)
    ids = [identifier(relation, item, name) for item in linkage]
    found = set()
    for chunk in chunked(sorted(set(ids)), 500):
        found.update(row.id for row in db.session.query(target.id).filter(target.id.in_(chunk)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"{name}: {target.resource} {missing[0]!r} does not exist", field=name)
    return [{"type": target.resource, "id": i} for i in ids]


def apply_relationships(cls, resource, fields):
    """Fold to-one relationships into ``fields`` as foreign keys; keep to-many for the views."""
    links = _object(resource, "relationships")
    kept = {}
    for name, link in links.items():
        relation = relation_of(cls, relation_name(cls, name), name)
        if not isinstance(link, dict) or "data" not in link:
            raise BadRequest(f'relationships.{name} must be {{"data": ...}}: a resource '
                             f'identifier, a list of them, or null', field=name)
        key = foreign_key(relation)
        if key is not None:
            value = identifier(relation, link["data"], name)
            if key in fields and fields[key] != value:
                raise BadRequest(f"{key} {fields[key]!r} and relationships.{name} {value!r} "
                                 f"disagree; give one of them", field=key)
            fields[key] = value
        elif relation.uselist:
            kept[name] = {"data": linkage_list(relation, link["data"], name)}
        else:
            raise BadRequest(f"{name} of {cls.resource} cannot be set", field=name)
    resource["attributes"] = fields
    resource.pop("relationships", None)
    if kept:
        resource["relationships"] = kept


def create(cls, data=None, **_kw):
    """POST: attributes through the input step, relationships folded, a client ID kept aside."""
    resource = primary(data, cls)
    client_id = resource.pop("id", None)
    if client_id is not None and not isinstance(client_id, str):
        raise BadRequest("data.id must be text (the ID the server computes), or left out",
                         field="id")
    attributes, given = translate(cls, _object(resource, "attributes"), creating=True)
    if given is not None and client_id is not None and given != client_id:
        raise Conflict(f"data.id {client_id[:200]!r} and attributes.id {given[:200]!r} "
                       f"disagree; give one of them", field="id")
    g.jsonapi_client_id = client_id if client_id is not None else given
    apply_relationships(cls, resource, assignable(cls, attributes))


def check_created(result=None, **_kw):
    """After the create, before the commit: the client's ``data.id`` is the computed one, and
    the answer can be sent (its ``Location`` header can carry the new ID)."""
    given = g.pop("jsonapi_client_id", None)
    data = (result or {}).get("data") or {}
    computed = data.get("id")
    if given is not None and given != computed:
        raise Conflict(f"data.id {given[:200]!r} is not the ID the server computes from the "
                         f"fields ({computed!r}); leave id out or send that one", field="id")
    try:
        Headers([("Location", f"{request.base_url}/{computed}")])
    except ValueError:
        raise BadRequest(f"the new {data.get('type')}'s ID {computed!r} cannot be sent back in "
                         f"a Location header (it holds a line break); nothing was written",
                         field="id") from None


def update(cls, resource_id=None, data=None, **_kw):
    """PATCH: the object exists, ``data.id`` is its ID, the fields pass the input step."""
    obj = fetch(cls, resource_id)
    resource = primary(data, cls)
    if resource.get("id") != resource_id:
        if "id" not in resource:
            raise BadRequest(f"data.id is required: the ID of the {cls.resource} being "
                             f"changed ({resource_id!r})", field="id")
        raise Conflict(f"data.id {str(resource['id'])[:200]!r} does not match the ID in the "
                       f"URL ({resource_id!r})", field="id")
    attributes, _given = translate(cls, _object(resource, "attributes"), creating=False)
    apply_relationships(cls, resource, assignable(cls, attributes, current=obj))


def delete(cls, resource_id=None, **_kw):
    """DELETE: ``?cascade=true`` deletes the subtree in the same transaction; 404 if absent."""
    db.session.info[CASCADE_KEY] = query_flag("cascade")
    fetch(cls, resource_id)


def replace_relationship(cls, instance_id=None, relation_name=None, data=None, **_kw):
    """PATCH ``/relationships/<name>``: a to-one becomes its foreign key, written now."""
    obj = fetch(cls, instance_id)
    relation = relation_of(cls, relation_name, "relation", NotFound)
    linkage = _linkage(data)
    key = foreign_key(relation)
    if key is not None:
        setattr(obj, key, identifier(relation, linkage, relation_name))
        AnswerFirstSession().flush()  # the pipeline judges the reference as on the plain face
    elif relation.uselist:
        data["data"] = linkage_list(relation, linkage, relation_name)
    else:
        raise BadRequest(f"{relation_name} of {cls.resource} cannot be set",
                         field=relation_name)


def _to_many(cls, relation_name, verb):
    relation = relation_of(cls, relation_name, "relation", NotFound)
    if not relation.uselist:
        raise BadRequest(f"{verb} works on to-many relationships; {relation_name} of "
                         f"{cls.resource} is to-one: PATCH it", field=relation_name)
    return relation


def add_to_relationship(cls, resource_id=None, relation_name=None, data=None, **_kw):
    """POST ``/relationships/<name>``: members to add, checked."""
    fetch(cls, resource_id)
    relation = _to_many(cls, relation_name, "POST")
    data["data"] = linkage_list(relation, _linkage(data), relation_name)


def remove_from_relationship(cls, instance_id=None, relation_name=None, **_kw):
    """DELETE ``/relationships/<name>``: members to remove, at least one of them linked."""
    obj = fetch(cls, instance_id)
    relation = _to_many(cls, relation_name, "DELETE")
    wanted = linkage_list(relation, _linkage(request.get_json(force=True, silent=True)),
                          relation_name)
    linked = {other.id for other in getattr(obj, relation_name)}
    if wanted and not any(item["id"] in linked for item in wanted):
        raise NotFound(f"{cls.resource} {obj.id!r} is not linked to "
                       f"{relation.mapper.class_.resource} {wanted[0]['id']!r}",
                       field=relation_name)
