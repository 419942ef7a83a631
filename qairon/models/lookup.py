"""Finding objects by ID, refusing with the one "does not exist" 404 when there is none.

The 404 of an object that was renamed names its new ID (read from the change
record, :func:`qairon.history.reads.successor`), so a client holding an old ID
learns where the object went.
"""
from sqlalchemy import select

from qairon.core.errors import does_not_exist


def missing(session, cls, object_id, field="id"):
    """The 404 of an ID that names no object (naming the new ID of a renamed one)."""
    from qairon.history.reads import successor
    error = does_not_exist(cls.resource, object_id, field)
    renamed = successor(session, cls.resource, object_id)
    if renamed is not None:
        error.detail = f"{error.detail}: it was renamed to {renamed!r}"
        error.meta = {"renamed_to": renamed}
    return error


def fetch(session, cls, object_id, field="id"):
    """The ORM object of ``cls`` with ``object_id``; :func:`does_not_exist` if none."""
    obj = session.get(cls, object_id)
    if obj is None:
        raise missing(session, cls, object_id, field)
    return obj


def require(session, cls, object_id, field="id"):
    """Refuse unless ``object_id`` exists, reading its ID alone (no object is built)."""
    if session.execute(select(cls.id).where(cls.id == object_id)).first() is None:
        raise missing(session, cls, object_id, field)


def written(session, cls, object_id):
    """The object of ``cls`` with ``object_id``: one created in this same write, or a stored
    one; None when there is neither."""
    pending = next((o for o in session.new if type(o) is cls and o.id == object_id), None)
    return pending if pending is not None else session.get(cls, object_id)


def another(session, obj, **values):
    """The ID of another object of ``obj``'s class whose fields hold ``values`` (the first
    stored one by ID, else one created in this same write), or None: what a "one per ..."
    rule names when it refuses."""
    cls = type(obj)
    stored = session.execute(
        select(cls.id).where(cls.id != obj.id, *(getattr(cls, k) == v for k, v in values.items()))
        .order_by(cls.id).limit(1)).scalar()
    if stored is not None:
        return stored
    return next((o.id for o in session.new if type(o) is cls and o is not obj
                 and all(getattr(o, k) == v for k, v in values.items())), None)
