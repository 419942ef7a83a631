"""The one place where every write is checked.

A ``before_flush`` listener on the session runs for every write path — the
plain face, the JSON:API face, bulk import, the admin UI — so rules, audit and
authorisation hook in here once. New objects get their ID computed and are
checked; changed objects may not change identity fields; links must stay
inside one environment; deleted objects may not orphan children.
"""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from . import deletion
from .coerce import coerce
from .errors import BadRequest, Conflict, RuleError
from .ids import build_id, check_name_part
from .models import REGISTRY, Resource


def _apply_id_defaults(obj):
    """Fill scalar column defaults of ID parts (``tag`` -> ``default``) before the ID is built."""
    for field in obj.identity_fields():
        if getattr(obj, field) is None:
            column = obj.__table__.columns[field]
            if column.default is not None and not callable(column.default.arg):
                setattr(obj, field, column.default.arg)


def _coerce_columns(obj):
    """Check the type of every set column, whatever face the value came through."""
    for name in obj.writable_fields():
        value = getattr(obj, name)
        if value is not None:
            coerced = coerce(type(obj), name, value)
            if coerced is not value and coerced != value:
                setattr(obj, name, coerced)


def _check_names(obj):
    for field in obj.name_fields():
        problem = check_name_part(field, getattr(obj, field))
        if problem:
            raise BadRequest(problem, field=field)


def _check_required(obj):
    for name in obj.writable_fields():
        column = obj.__table__.columns[name]
        if not column.nullable and column.default is None and getattr(obj, name) is None:
            raise BadRequest(f"{name} is required for a {obj.resource}", field=name)


def _check_defaults(obj):
    if obj.defaults is None:
        obj.defaults = {}
    if not isinstance(obj.defaults, dict):
        raise BadRequest(f"defaults must be a JSON object, not {type(obj.defaults).__name__}",
                         field="defaults")


def _pending(session):
    """IDs of objects being created in this flush, per resource."""
    out = {}
    for obj in session.new:
        if isinstance(obj, Resource):
            out.setdefault(obj.resource, set()).add(obj.id)
    return out


def _check_references(session, obj, pending, only=None):
    for field, target in obj.references().items():
        if only is not None and field not in only:
            continue
        value = getattr(obj, field)
        if value is None or value in pending.get(target, ()):
            continue
        if session.get(REGISTRY[target], value) is None:
            raise RuleError(f"{field} {value!r} does not exist (no {target} has that ID)",
                            field=field)


def _check_links(obj):
    env = obj.environment_name()
    for relation in obj.isolated_links:
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


def check_new(session, obj, pending):
    """Compute the ID of a new object and check every rule on it."""
    _check_required(obj)
    _check_defaults(obj)
    _check_references(session, obj, pending)
    if session.get(type(obj), obj.id) is not None:
        raise Conflict(f"{obj.resource} {obj.id!r} already exists", field="id")
    obj.validate(session)
    _check_links(obj)


def check_dirty(session, obj, pending):
    """Check a changed object: identity is immutable, references exist, rules hold."""
    changed = _changed_fields(obj)
    frozen = changed & (set(obj.identity_fields()) | {"id", "created_at"})
    if frozen:
        field = sorted(frozen)[0]
        raise RuleError(f"{field} is part of the ID of {obj.resource} {obj.id!r} and cannot "
                        f"be changed; create a new {obj.resource} instead", field=field)
    _coerce_columns(obj)
    _check_required(obj)
    _check_defaults(obj)
    _check_references(session, obj, pending, only=changed)
    obj.validate(session)
    _check_links(obj)


def _prepare_ids(session):
    for obj in session.new:
        if isinstance(obj, Resource):
            _apply_id_defaults(obj)
            _coerce_columns(obj)
            _check_names(obj)
            _check_required(obj)
            obj.id = build_id(obj.id_parts, {f: getattr(obj, f) for f in obj.identity_fields()})


@event.listens_for(Session, "before_flush")
def check_flush(session, flush_context, instances):
    """Run every rule on what this flush writes; raising aborts it whole."""
    with session.no_autoflush:
        _prepare_ids(session)
        pending = _pending(session)
        for obj in list(session.new):
            if isinstance(obj, Resource):
                check_new(session, obj, pending)
        for obj in list(session.dirty):
            if isinstance(obj, Resource) and session.is_modified(obj):
                check_dirty(session, obj, pending)
        for obj in list(session.deleted):
            if isinstance(obj, Resource):
                deletion.before_delete(session, obj)
