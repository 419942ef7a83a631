"""What a write does, row by row: the :class:`Change` every hook receives.

A change names the operation (``create``, ``update``, ``delete``, ``link``,
``unlink``), the resource and ID it touches, and the row's values before and
after (``None`` where there is no row). A link change is one row of a
many-to-many table, told from its left-hand resource: ``relation`` is that
side's relation name and ``other`` the ``(resource, id)`` linked or unlinked.
"""
from dataclasses import dataclass, field

from sqlalchemy import inspect


@dataclass
class Change:
    """One row written by a write, with its values before and after."""

    operation: str
    resource: str
    id: str
    before: dict = None
    after: dict = None
    relation: str = None
    other: tuple = None
    obj: object = field(default=None, repr=False, compare=False)

    @property
    def changed_fields(self):
        """The fields whose values differ between before and after."""
        if self.before is None or self.after is None:
            return ()
        return tuple(k for k in self.after if self.before.get(k) != self.after.get(k))


def row_values(obj):
    """Every column value of ``obj`` (hidden ones too), as stored."""
    return {column.key: getattr(obj, column.key) for column in obj.__table__.columns}


def committed_values(obj):
    """The column values ``obj`` had when loaded, before this write changed them."""
    state = inspect(obj)
    out = {}
    for column in obj.__table__.columns:
        history = state.attrs[column.key].history
        if history.deleted:
            out[column.key] = history.deleted[0]
        elif history.unchanged:
            out[column.key] = history.unchanged[0]
        elif history.added:  # set without being loaded first: the old value is unknown
            out[column.key] = None
        else:
            out[column.key] = getattr(obj, column.key)
    return out


def link_sides(cls):
    """The many-to-many relations of ``cls`` where it is the link table's left-hand side."""
    out = []
    for relation in inspect(cls).relationships:
        secondary = relation.secondary
        if secondary is None:
            continue
        first = list(secondary.columns)[0]
        (fk,) = first.foreign_keys
        out.append((relation, fk.column.table is cls.__table__))
    return out


def link_changes(objects):
    """``link``/``unlink`` changes from the collection histories of ``objects``, once per row.

    A link added from either side (``deployment.zones`` or ``zone.deployments``)
    is reported once, from the link table's left-hand resource.
    """
    seen, out = set(), []
    for obj in objects:
        state = inspect(obj)
        for relation, is_left in link_sides(type(obj)):
            history = state.attrs[relation.key].history
            for operation, others in (("link", history.added), ("unlink", history.deleted)):
                for other in others:
                    left, right = (obj, other) if is_left else (other, obj)
                    key = (relation.secondary.name, left.id, right.id, operation)
                    if key in seen:
                        continue
                    seen.add(key)
                    name = relation.key if is_left else _reverse(relation)
                    out.append(link_change(operation, left.resource, left.id, name,
                                           right.resource, right.id))
    return out


def _reverse(relation):
    """The name of the same link seen from the other class."""
    for other in inspect(relation.mapper.class_).relationships:
        if other.secondary is relation.secondary and other is not relation:
            return other.key
    return relation.key


def link_change(operation, left, left_id, relation, right, right_id):
    """A ``link``/``unlink`` change of one link row (resources and IDs as text)."""
    row = {"relation": relation, "id": right_id}
    return Change(operation, left, left_id,
                  before=row if operation == "unlink" else None,
                  after=row if operation == "link" else None,
                  relation=relation, other=(right, right_id))
