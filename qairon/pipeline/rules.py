"""The rules step of the write pipeline: every created or changed row is checked here.

New objects get their ID computed and are checked (required fields, names,
references that exist, no duplicate, the model's own ``validate``); changed
objects may not change identity fields; links must stay inside one
environment. Whatever face a write came through, :mod:`qairon.pipeline.flow`
calls :func:`check_writes` before anything is persisted.
"""
from collections import namedtuple
from functools import lru_cache

from sqlalchemy import bindparam, inspect, literal_column, select, union_all

from qairon.core.chunks import chunked
from qairon.core.errors import BadRequest, Conflict, RuleError
from qairon.core.ids import build_id, check_id_length, check_name_part
from qairon.core.jsontext import check_document
from qairon.core.limits import LIMITS
from qairon.models import REGISTRY
from qairon.pipeline.shape import coerce, column_kind

Declared = namedtuple("Declared",
                      "writable required identity names references id_defaults isolated "
                      "documents")
_DECLARED = {}


def declared(cls):
    """What the rules read from a resource class, computed once per class (batches are hot)."""
    spec = _DECLARED.get(cls)
    if spec is None:
        columns = cls.__table__.columns
        writable, identity = tuple(cls.writable_fields()), tuple(cls.identity_fields())
        spec = _DECLARED[cls] = Declared(
            writable=writable,
            required=tuple(n for n in writable
                           if not columns[n].nullable and columns[n].default is None),
            identity=identity, names=tuple(cls.name_fields()),
            references=tuple(cls.references().items()),
            id_defaults=tuple((f, columns[f].default.arg) for f in identity
                              if columns[f].default is not None
                              and not callable(columns[f].default.arg)),
            isolated=isolated_relations(cls),
            documents=tuple(n for n in writable if column_kind(columns[n]) == "json"))
    return spec


def isolated_relations(cls):
    """The many-to-many relations of ``cls`` whose ends must share an environment.

    A link declared ``isolated`` on either side counts for both: the reverse
    relation (``zone.deployments`` of ``deployment.zones``) is checked too.
    """
    out = {name for name, link in cls.links.items() if link.isolated}
    mapper = inspect(cls)
    for other in REGISTRY.values():
        for name, link in other.links.items():
            secondary = inspect(other).relationships[name].secondary
            if link.isolated:
                out.update(r.key for r in mapper.relationships if r.secondary is secondary)
    return tuple(sorted(out))


def _apply_id_defaults(obj):
    """Fill scalar column defaults of ID parts (``tag`` -> ``default``) before the ID is built."""
    for field, default in declared(type(obj)).id_defaults:
        if getattr(obj, field) is None:
            setattr(obj, field, default)


def _coerce_columns(obj):
    """Check the type of every set column, whatever face the value came through."""
    for name in declared(type(obj)).writable:
        value = getattr(obj, name)
        if value is not None:
            coerced = coerce(type(obj), name, value)
            if coerced is not value and coerced != value:
                setattr(obj, name, coerced)


def _check_names(obj):
    for field in declared(type(obj)).names:
        problem = check_name_part(field, getattr(obj, field))
        if problem:
            raise BadRequest(problem, field=field)


def _check_required(obj):
    for name in declared(type(obj)).required:
        if getattr(obj, name) is None:
            raise BadRequest(f"{name} is required for every {obj.resource}", field=name)


def _check_documents(obj):
    """JSON columns (``defaults``) hold a bounded JSON object; null is refused when given,
    and an object created without one gets ``{}``."""
    for name in declared(type(obj)).documents:
        value = getattr(obj, name)
        if value is None and not inspect(obj).attrs[name].history.added:
            setattr(obj, name, {})
            continue
        check_document(name, value, LIMITS.defaults_max_bytes, LIMITS.defaults_max_depth)


def _pending(new):
    """IDs of objects being created in this write, per resource; an ID given twice is refused."""
    out = {}
    for obj in new:
        ids = out.setdefault(obj.resource, set())
        if obj.id in ids:
            raise Conflict(f"{obj.resource} {obj.id!r} is given twice", field="id")
        ids.add(obj.id)
    return out


EXISTS_CHUNK = 500


@lru_cache(maxsize=512)
def _lookup_statement(shape):
    """The ``UNION ALL`` lookup for ``shape`` = ((resource, number of ID lists), ...).

    Built once per shape with expanding parameters, so SQLAlchemy compiles it
    once too; a single create reuses the same statement every time.
    """
    selects = []
    for resource, lists in shape:
        table = REGISTRY[resource].__table__
        label = literal_column(f"'{resource}'").label("resource")
        for n in range(lists):
            selects.append(select(label, table.c.id.label("id")).where(
                table.c.id.in_(bindparam(f"{resource}_{n}", expanding=True))))
    return selects[0] if len(selects) == 1 else union_all(*selects)


def _existing(session, wanted):
    """Which of the wanted IDs exist in the database, asked in one statement.

    Every resource's IDs (in lists of at most 500) are looked up together by a
    ``UNION ALL``, so a single create costs one lookup for itself and all its
    references, and a batch of a thousand rows costs a handful.
    """
    found = {resource: set() for resource in wanted}
    if not wanted:
        return found
    shape, params = [], {}
    for resource in sorted(wanted):
        lists = list(chunked(sorted(wanted[resource]), EXISTS_CHUNK))
        shape.append((resource, len(lists)))
        params.update({f"{resource}_{n}": ids for n, ids in enumerate(lists)})
    rows = session.connection().execute(_lookup_statement(tuple(shape)), params)
    for resource, object_id in rows:
        found[resource].add(object_id)
    return found


def _wanted_ids(new, dirty):
    """The IDs a write must know about: new objects' own IDs and their references,
    and the references a changed object changed."""
    wanted = {}
    for obj in new:
        wanted.setdefault(obj.resource, set()).add(obj.id)
    changed = [(obj, None) for obj in new] + [(obj, _changed_fields(obj)) for obj in dirty]
    for obj, fields in changed:
        for field, target in declared(type(obj)).references:
            value = getattr(obj, field)
            if value is not None and (fields is None or field in fields):
                wanted.setdefault(target, set()).add(value)
    return wanted


def _check_references(obj, pending, existing, only=None):
    for field, target in declared(type(obj)).references:
        if only is not None and field not in only:
            continue
        value = getattr(obj, field)
        if value is None or value in pending.get(target, ()):
            continue
        if value not in existing.get(target, ()):
            raise RuleError(f"{field} {value!r} does not exist (no {target} has that ID)",
                            field=field)


def _check_links(obj):
    env = obj.environment_name()
    for relation in declared(type(obj)).isolated:
        for other in inspect(obj).attrs[relation].history.added:
            if other.environment_name() != env:
                raise Conflict(
                    f"{relation}: {obj.resource} {obj.id!r} is in environment {env!r} and "
                    f"{other.resource} {other.id!r} in {other.environment_name()!r}; links cannot "
                    f"cross environments (connect them by peering, outside Qairon)",
                    field=relation)


def _changed_fields(obj):
    state = inspect(obj)
    return {attr.key for attr in state.attrs
            if attr.key in obj.__table__.columns and attr.history.has_changes()}


def check_new(session, obj, pending, existing):
    """Check every rule on a new object (its ID is computed already)."""
    _check_required(obj)
    _check_documents(obj)
    _check_references(obj, pending, existing)
    if obj.id in existing.get(obj.resource, ()):
        raise Conflict(f"{obj.resource} {obj.id!r} already exists", field="id")
    obj.validate(session)
    _check_links(obj)


def check_dirty(session, obj, pending, existing):
    """Check a changed object: identity is immutable, references exist, rules hold."""
    changed = _changed_fields(obj)
    frozen = changed & (set(declared(type(obj)).identity) | {"id", "created_at"})
    if frozen:
        field = sorted(frozen)[0]
        raise RuleError(f"{field} is part of the ID of {obj.resource} {obj.id!r} and cannot "
                        f"be changed; create a new {obj.resource} instead", field=field)
    _coerce_columns(obj)
    _check_required(obj)
    _check_documents(obj)
    _check_references(obj, pending, existing, only=changed)
    obj.validate(session)
    _check_links(obj)


def prepare_ids(new):
    """Compute the IDs of new objects (defaults of ID parts filled, names checked)."""
    for obj in new:
        _apply_id_defaults(obj)
        _coerce_columns(obj)
        _check_names(obj)
        _check_required(obj)
        spec = declared(type(obj))
        obj.id = build_id(obj.id_parts, {f: getattr(obj, f) for f in spec.identity})
        problem = check_id_length(obj.resource, obj.id)
        if problem:
            raise BadRequest(problem, field=spec.names[-1] if spec.names else "id")


def check_writes(session, new=(), dirty=()):
    """Run every rule on the objects a write creates and changes.

    This is the rules step of the write pipeline (:mod:`qairon.pipeline.flow`):
    the session's flush calls it for whatever it is about to write, and a
    batch that inserts rows itself calls it for its objects first. Raising
    aborts the write whole. Deletions are checked by
    :func:`qairon.pipeline.deletion.plan_delete`.
    """
    with session.no_autoflush:
        prepare_ids(new)
        pending = _pending(new)
        existing = _existing(session, _wanted_ids(new, dirty))
        for obj in new:
            check_new(session, obj, pending, existing)
        for obj in dirty:
            check_dirty(session, obj, pending, existing)
