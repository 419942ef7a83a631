"""The home page's figures and the global search, each in one statement over every table.

A search text is an ID, an ID prefix or any part of an ID: the exact ID
jumps to its object; otherwise the objects whose ID starts with the text come
first, then those whose ID contains it, up to :data:`LIMIT`.
"""
from sqlalchemy import func, literal, select, union_all

from qairon.extensions import db
from qairon.models import REGISTRY

LIMIT = 50


def escaped(text):
    """``text`` for a LIKE pattern with ``\\`` as the escape: its wildcards match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def counts():
    """``{resource: rows}`` of every resource, in one statement."""
    parts = [select(literal(name).label("resource"), func.count().label("n")).select_from(cls)
             for name, cls in sorted(REGISTRY.items())]
    return {row.resource: row.n for row in db.session.execute(union_all(*parts))}


def _matching(pattern, limit):
    parts = [select(literal(name).label("resource"), cls.id.label("id"))
             .where(cls.id.like(pattern, escape="\\"))
             for name, cls in sorted(REGISTRY.items())]
    query = union_all(*parts).subquery()
    return [(r.resource, r.id) for r in db.session.execute(
        select(query.c.resource, query.c.id).order_by(query.c.id).limit(limit))]


def exact(object_id):
    """``(resource, id)`` of every object whose ID is exactly ``object_id``."""
    parts = [select(literal(name).label("resource"), cls.id.label("id"))
             .where(cls.id == object_id) for name, cls in sorted(REGISTRY.items())]
    return [(r.resource, r.id) for r in db.session.execute(union_all(*parts))]


def find(text, limit=LIMIT):
    """``[(resource, id)]``: IDs starting with ``text``, then IDs containing it."""
    text = text.strip()
    if not text:
        return []
    found = _matching(escaped(text) + "%", limit)
    if len(found) < limit:
        seen = set(found)
        found += [hit for hit in _matching("%" + escaped(text) + "%", limit)
                  if hit not in seen][:limit - len(found)]
    return found
