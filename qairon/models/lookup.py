"""Finding objects by ID, refusing with the one "does not exist" 404 when there is none."""
from sqlalchemy import select

from qairon.core.errors import does_not_exist


def fetch(session, cls, object_id, field="id"):
    """The ORM object of ``cls`` with ``object_id``; :func:`does_not_exist` if none."""
    obj = session.get(cls, object_id)
    if obj is None:
        raise does_not_exist(cls.resource, object_id, field)
    return obj


def require(session, cls, object_id, field="id"):
    """Refuse unless ``object_id`` exists, reading its ID alone (no object is built)."""
    if session.execute(select(cls.id).where(cls.id == object_id)).first() is None:
        raise does_not_exist(cls.resource, object_id, field)
