"""Deleting without orphans: refuse while dependants exist, or cascade on request.

Dependants are found generically from the foreign keys of every registered
resource and from the many-to-many link tables: a child row (a service of a
stack) and a link (a deployment running in a zone) both keep an object in
use, so deleting it is refused with 409 naming them. A cascade collects the
subtree breadth-first with one query per (level, referencing column), and
plans, as :class:`~qairon.pipeline.changes.Change` rows, the references into
it that are cleared (such as a deployment's ``current_release``), the links
that are removed and the rows that are deleted; :meth:`Plan.execute` then
writes them leaves first, inside the caller's transaction.
"""
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update

from qairon.core.chunks import chunked
from qairon.core.errors import Conflict
from qairon.extensions import db
from qairon.models import REGISTRY
from qairon.pipeline.changes import Change, link_change

CHUNK = 500


def referrers(resource):
    """(referencing class, column, nullable) for every column that points at ``resource``."""
    out = []
    for cls in REGISTRY.values():
        for name, target in cls.references().items():
            if target == resource:
                column = cls.__table__.columns[name]
                out.append((cls, column, column.nullable))
    return out


@dataclass(frozen=True)
class LinkTable:
    """A many-to-many table: its left and right resources and columns, and the relation name."""

    table: object
    left: str
    left_column: object
    right: str
    right_column: object
    relation: str

    def column_of(self, resource):
        """The columns holding ``resource``'s IDs (both, for a link of a resource to itself)."""
        return [c for r, c in ((self.left, self.left_column), (self.right, self.right_column))
                if r == resource]

    def other(self, resource):
        """The resource at the other end from ``resource``."""
        return self.right if resource == self.left else self.left


def link_tables():
    """Every many-to-many table of the registry, each once."""
    from sqlalchemy import inspect
    out = {}
    for cls in REGISTRY.values():
        for relation in inspect(cls).relationships:
            table = relation.secondary
            if table is None or table.name in out:
                continue
            left_column, right_column = list(table.columns)
            (left_fk,) = left_column.foreign_keys
            if left_fk.column.table is not cls.__table__:
                continue
            (right_fk,) = right_column.foreign_keys
            out[table.name] = LinkTable(table, cls.resource, left_column,
                                        right_fk.column.table.name, right_column, relation.key)
    return list(out.values())


def dependants(session, obj):
    """What still uses ``obj``: ``{label: count}`` of child rows and of links."""
    counts = {}
    for cls, column, _nullable in referrers(obj.resource):
        if cls is type(obj) and column.key == "id":
            continue
        n = session.execute(select(func.count()).select_from(cls).where(column == obj.id)).scalar()
        if n:
            counts[cls.resource] = counts.get(cls.resource, 0) + n
    for link in link_tables():
        for column in link.column_of(obj.resource):
            n = session.execute(select(func.count()).select_from(link.table)
                                .where(column == obj.id)).scalar()
            if n:
                label = f"{link.other(obj.resource)} link"
                counts[label] = counts.get(label, 0) + n
    return counts


def describe(counts):
    """``3 services and 1 zone link`` from a count mapping."""
    parts = [f"{n} {_label(name, n)}" for name, n in sorted(counts.items())]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _label(name, n):
    """A count's noun: a resource (``service``/``services``) or links (``zone link(s)``)."""
    if n == 1:
        return name
    return REGISTRY[name].plural if name in REGISTRY else name + "s"


def collect_subtree(session, resource, ids):
    """Every row that depends on ``ids`` of ``resource``, transitively: resource -> set of IDs."""
    found = {resource: set(ids)}
    frontier = {resource: set(ids)}
    while frontier:
        following = {}
        for name, level_ids in frontier.items():
            for cls, column, nullable in referrers(name):
                if nullable:
                    continue
                for chunk in chunked(sorted(level_ids), CHUNK):
                    rows = session.execute(select(cls.id).where(column.in_(chunk))).scalars()
                    new = set(rows) - found.setdefault(cls.resource, set())
                    if new:
                        found[cls.resource] |= new
                        following.setdefault(cls.resource, set()).update(new)
        frontier = following
    return found


@dataclass
class Plan:
    """What a delete writes besides the object itself: its changes, then the statements."""

    changes: list = field(default_factory=list)
    statements: list = field(default_factory=list)

    def execute(self, session):
        """Run the planned statements in order (references cleared, links, rows leaves first)."""
        for statement in self.statements:
            session.execute(statement)


def _rows(session, cls, column, ids):
    """Full rows of ``cls`` whose ``column`` is in ``ids``, as dicts."""
    table = cls.__table__
    for chunk in chunked(sorted(ids), CHUNK):
        for row in session.execute(select(table).where(column.in_(chunk))).mappings():
            yield dict(row)


def cascade_plan(session, obj):
    """Plan the cascade of ``obj``: every dependant row and link, recorded, then removed."""
    found = collect_subtree(session, obj.resource, [obj.id])
    plan = Plan()
    for name, ids in found.items():
        for cls, column, nullable in referrers(name):
            if not nullable:
                continue
            for row in _rows(session, cls, column, ids):
                if row["id"] not in found.get(cls.resource, ()):  # kept, so it changes
                    plan.changes.append(Change("update", cls.resource, row["id"], before=row,
                                               after=dict(row, **{column.key: None})))
            for chunk in chunked(sorted(ids), CHUNK):
                plan.statements.append(update(cls.__table__).where(column.in_(chunk))
                                       .values({column.key: None}))
    for link in link_tables():
        columns = [c for name in (link.left, link.right) if name in found
                   for c in link.column_of(name)]
        seen = set()
        for column in columns:
            ids = found[link.left if column is link.left_column else link.right]
            for chunk in chunked(sorted(ids), CHUNK):
                rows = session.execute(select(link.left_column, link.right_column)
                                       .where(column.in_(chunk))).all()
                for left_id, right_id in rows:
                    if (left_id, right_id) in seen:
                        continue
                    seen.add((left_id, right_id))
                    plan.changes.append(link_change("unlink", link.left, left_id, link.relation,
                                                    link.right, right_id))
                plan.statements.append(delete(link.table).where(column.in_(chunk)))
    for table in reversed(db.metadata.sorted_tables):
        ids = found.get(table.name, set()) - ({obj.id} if table.name == obj.resource else set())
        if not ids or table.name not in REGISTRY:
            continue
        cls = REGISTRY[table.name]
        for row in _rows(session, cls, cls.__table__.c.id, ids):
            plan.changes.append(Change("delete", cls.resource, row["id"], before=row))
        for chunk in chunked(sorted(ids), CHUNK):
            plan.statements.append(delete(table).where(table.c.id.in_(chunk)))
    return plan


def plan_delete(session, obj, cascade):
    """Refuse to orphan dependants, or plan the cascade when asked for it."""
    if cascade:
        return cascade_plan(session, obj)
    counts = dependants(session, obj)
    if counts:
        raise Conflict(f"{obj.resource} {obj.id!r} still has {describe(counts)}; delete or "
                       f"unlink them first, or delete with cascade (qcli --cascade, REST "
                       f"?cascade=true)", field="id", meta={"children": counts})
    return Plan()



