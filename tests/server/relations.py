"""Every relation of every resource, and the plain face's way of writing each one.

``build_wide_world`` creates through the plain face the seed example
(``tests.support.world.WORLD``), a copy of its infrastructure in a second environment, the
extra object of every resource (``data.CASES``, optional) and one link per
declared many-to-many relation, so that every relation has other objects to
point at, in the same environment and in another one. :class:`Edge` describes
one relation generically (from the registry, never by name) and writes it the
plain face's way; :func:`snapshot` reads every row of every table.
"""
import json
from functools import reduce

from sqlalchemy import String, cast, func, inspect, literal, select, text, union_all

from qairon.extensions import db
from qairon.models import REGISTRY
from tests.support.world import ACCOUNT, WORLD, first_of

from .data import CASES, EXTRA
from .helpers import patch, post

JSON = {"Content-Type": "application/json"}
OTHER_ENV, OTHER_ACCOUNT = "dev", "555555555555"
TIMES = ("created_at", "last_updated_at")


def mirrored(value):
    """A WORLD value moved to the other environment (and another provider account)."""
    if not isinstance(value, str):
        return value
    if value == "prod":
        return OTHER_ENV
    value = value.replace(ACCOUNT, OTHER_ACCOUNT)
    return OTHER_ENV + value[len("prod"):] if value.startswith("prod:") else value


def _create(client, resource, fields, may_exist=False):
    response = post(client, resource, fields)
    allowed = (201, 409) if may_exist else (201,)
    assert response.status_code in allowed, (resource, fields, response.get_json())


def build_wide_world(client, cases=True):
    """WORLD, its mirror in another environment, (the CASES objects,) declared links."""
    for resource, fields, _expected in WORLD:
        _create(client, resource, fields)
    for resource, fields, expected in WORLD:
        if mirrored(expected) != expected:
            _create(client, resource, {k: mirrored(v) for k, v in fields.items()})
    if cases:
        for resource, (fields, _expected, _change) in CASES.items():
            for extra_resource, extra_fields in EXTRA.get(resource, []):
                _create(client, extra_resource, extra_fields, may_exist=True)
            _create(client, resource, fields, may_exist=True)
    for cls in REGISTRY.values():
        for name in cls.links:
            edge = Edge(cls, inspect(cls).relationships[name])
            subject = first_id(cls)
            for other in ids_of(edge.target):
                if edge.add_plain(client, subject, other).status_code == 200:
                    break


def ids_of(cls, **where):
    """Every ID of ``cls`` (with column values ``where``), sorted."""
    db.session.remove()
    query = db.session.query(cls.id).filter_by(**where).order_by(cls.id)
    out = [row.id for row in query]
    db.session.remove()
    return out


def first_id(cls):
    """The seed world's object of ``cls``: the subject of the relation tests."""
    return first_of(cls.resource).id


def value_of(cls, object_id, field):
    """One stored value."""
    db.session.remove()
    value = getattr(db.session.get(cls, object_id), field)
    db.session.remove()
    return value


_SNAPSHOTS = {}


def state_tables():
    """The tables holding the inventory (not the change record, a log of it)."""
    return [t for t in db.metadata.sorted_tables if not t.info.get("log")]


def _snapshot_sql(times):
    """One ``UNION ALL`` reading every row of every table as text, compiled once."""
    key = (db.engine.dialect.name, times)
    if key not in _SNAPSHOTS:
        selects = []
        for table in state_tables():
            parts = [func.coalesce(cast(c, String), literal("<null>", String)) for c in table.columns
                     if times or c.key not in TIMES]
            selects.append(select(literal(table.name, String).label("name"),
                                  reduce(lambda a, b: a + "|" + b, parts).label("row")))
        statement = union_all(*selects).order_by("name", "row")
        _SNAPSHOTS[key] = text(str(statement.compile(
            dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})))
    return _SNAPSHOTS[key]


def snapshot(times=True):
    """Every row of every table, as text (``times=False`` drops timestamps)."""
    db.session.remove()
    out = {table.name: [] for table in state_tables()}
    for name, row in db.session.execute(_snapshot_sql(times)):
        out[name].append(row)
    db.session.remove()
    return out


def spread(ids):
    """At most two of ``ids``: the first and the last (another environment sorts apart)."""
    return list(dict.fromkeys(ids[:1] + ids[-1:]))


class Edge:
    """One relation of one resource: its kind, its key, and the plain face's way to write it."""

    def __init__(self, cls, relation):
        self.cls, self.name, self.target = cls, relation.key, relation.mapper.class_
        (local, remote), *_ = relation.local_remote_pairs
        if relation.direction.name == "MANYTOONE":
            self.kind, self.key = "to_one", local.key
        elif relation.secondary is None:
            self.kind, self.key = "one_to_many", remote.key
        else:
            self.kind, self.key = "many_to_many", None
            reverse = next(r.key for r in inspect(self.target).relationships
                           if r.secondary is relation.secondary and r is not relation)
            self.declared_here = self.name in cls.links
            self.reverse = reverse

    def __repr__(self):
        return f"{self.cls.resource}.{self.name}"

    def members(self, subject):
        """IDs of the objects ``subject`` holds in this to-many relation."""
        db.session.remove()
        members = sorted(o.id for o in getattr(db.session.get(self.cls, subject), self.name))
        db.session.remove()
        return members

    def _link(self, subject, other):
        if self.declared_here:
            return self.cls, subject, self.name, other
        return self.target, other, self.reverse, subject

    def add_plain(self, client, subject, other):
        """Point ``subject``'s relation at ``other`` (or add it), as the plain face does."""
        if self.kind == "to_one":
            return patch(client, self.cls.resource, subject, {self.key: other})
        if self.kind == "one_to_many":
            return patch(client, self.target.resource, other, {self.key: subject})
        owner, owner_id, name, linked = self._link(subject, other)
        return client.post(f"/api/{owner.plural}/{owner_id}/{name}",
                           data=json.dumps({"id": linked}), headers=JSON)

    def remove_plain(self, client, subject, other):
        """Take ``other`` out of ``subject``'s to-many relation, as the plain face does."""
        if self.kind == "one_to_many":
            return patch(client, self.target.resource, other, {self.key: None})
        owner, owner_id, name, linked = self._link(subject, other)
        return client.delete(f"/api/{owner.plural}/{owner_id}/{name}",
                             query_string={"id": linked})

    def restorer(self, client, subject, other):
        """A function that puts back what a successful add or removal of ``other`` changed."""
        if self.kind == "to_one":
            was = value_of(self.cls, subject, self.key)
            return lambda: patch(client, self.cls.resource, subject, {self.key: was})
        if self.kind == "one_to_many":
            was = value_of(self.target, other, self.key)
            return lambda: patch(client, self.target.resource, other, {self.key: was})
        if other in self.members(subject):
            return lambda: self.add_plain(client, subject, other)
        return lambda: self.remove_plain(client, subject, other)


def edges(kinds):
    """Every relation of every resource whose kind is in ``kinds``."""
    out = []
    for _name, cls in sorted(REGISTRY.items()):
        for relation in inspect(cls).relationships:
            if relation.key not in cls.hidden:
                edge = Edge(cls, relation)
                if edge.kind in kinds:
                    out.append(edge)
    return out

