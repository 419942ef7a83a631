"""Item actions ``GET /api/<plural>/<id>/<name>`` (walks, defaults, free space)
never hide an object.

IDs may contain ``/``, so ``/api/services/a:b:c/trace`` reads two ways: the
trace of ``a:b:c``, or the object whose own ID is ``a:b:c/trace``. As the plain
face does for fields (:func:`qairon.api.plain.resolve`), the whole path as an
ID wins when such an object exists, so every object stays addressable; the
action of its namesake is then reached through the object's own path.
"""
from sqlalchemy import select

from qairon.api.plain import item
from qairon.extensions import db


def whole_path_object(cls, plural, object_id, suffix):
    """The plain face's answer for the object ``object_id/suffix`` if it exists, else None."""
    whole = f"{object_id}/{suffix}"
    if db.session.execute(select(cls.id).where(cls.id == whole)).first() is None:
        return None
    return item(plural, whole)
