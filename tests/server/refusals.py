"""Refusal cases generated from the per-resource test data, for every registered resource.

The world they run against is the seed world plus the objects the cases of
``data.py`` need (``EXTRA``). For each resource, from its ``CASES`` entry (one more
object) and its first row in the world:

- ``missing``: a create without one of its required fields -> 400 naming it;
- ``unknown``: a create whose reference names no object -> 422 (API_CONTRACT.md:
  "422 a rule broken (unknown reference in the body ...)");
- ``colon``: a create with ``:`` in one of its name parts -> 400;
- ``duplicate``: the world's object created again -> 409;
- ``identity``: a PATCH of one of the world object's ID fields -> 422;
- ``children``: a DELETE of the world object while the world holds children -> 409
  naming them.

``RELATIONSHIP_CASES`` are the unknown references and identity changes that JSON:API
can also carry in its standard form, under ``relationships``.

Each case says which field the refusal must name and words of the rule its detail
must contain; the faces that run them are in ``test_refusals.py``.
"""
from dataclasses import dataclass

from sqlalchemy import inspect

from qairon.core.ids import build_id
from qairon.models import REGISTRY
from qairon.pipeline.rules import declared
from tests.support.world import WORLD, Row

from .data import CASES, EXTRA

CREATES = ("missing", "unknown", "colon", "duplicate")


def identity(resource, fields):
    """The ID the server computes for ``fields`` (ID parts with a default filled in)."""
    values = dict(declared(REGISTRY[resource]).id_defaults)
    values.update({k: v for k, v in fields.items() if v is not None})
    return build_id(REGISTRY[resource].id_parts, values)


def refusal_world():
    """The rows the refusal suite builds: the seed world, then every case's extra objects."""
    rows, seen = list(WORLD), {(row.resource, row.id) for row in WORLD}
    for needs in EXTRA.values():
        for resource, fields in needs:
            row = Row(resource, fields, identity(resource, fields))
            if (row.resource, row.id) not in seen:
                seen.add((row.resource, row.id))
                rows.append(row)
    return rows


ROWS = refusal_world()


@dataclass(frozen=True)
class Case:
    """One refused request: what it does, what it must answer, and which row it aims at."""

    resource: str
    kind: str
    field: str
    status: int
    rule: str
    fields: dict = None
    target: str = None
    value: object = None
    children: dict = None

    @property
    def name(self):
        """``<resource>-<kind>-<field>``: the test ID that says which case failed."""
        return f"{self.resource}-{self.kind}-{self.field}"


def fresh(resource):
    """The fields of the resource's new object (its ``CASES`` entry), renamed when the
    world holds that object already (an extra object another case needs)."""
    fields, expected = dict(CASES[resource][0]), CASES[resource][1]
    if any(row.resource == resource and row.id == expected for row in ROWS):
        for name in REGISTRY[resource].name_fields():
            fields[name] = f"{fields[name]}-2"
    return fields


def first_row(resource):
    """The resource's first object in the world (test_resources.py insists there is one)."""
    return next((row for row in ROWS if row.resource == resource), None)


def children_of(row):
    """``{child resource: count}`` of world rows whose references point at ``row``."""
    out = {}
    for other in ROWS:
        for name, target in REGISTRY[other.resource].references().items():
            if target == row.resource and other.fields.get(name) == row.id:
                out[other.resource] = out.get(other.resource, 0) + 1
    return out


def changed_value(resource, name, current):
    """A value of ID field ``name`` other than ``current``: another object of the world for
    a reference, else the case object's value, else a new one."""
    target = dict(declared(REGISTRY[resource]).references).get(name)
    others = [row.id for row in ROWS if row.resource == target and row.id != current]
    if others:
        return others[0]
    proposed = CASES[resource][0].get(name)
    return proposed if proposed not in (None, current) else f"{current}-2"


def relation_of(resource, name):
    """The to-one relationship whose foreign key is column ``name``, or None."""
    for relation in inspect(REGISTRY[resource]).relationships:
        if not relation.uselist and [c.key for c in relation.local_columns] == [name]:
            return relation.key
    return None


def cases_of(resource):
    """Every generated refusal of ``resource``."""
    cls, spec = REGISTRY[resource], declared(REGISTRY[resource])
    fields, out = fresh(resource), []
    for name in spec.required:
        if name in fields:
            out.append(Case(resource, "missing", name, 400, "required",
                            fields={k: v for k, v in fields.items() if k != name}))
    for name, _target in spec.references:
        if fields.get(name) is not None:
            out.append(Case(resource, "unknown", name, 422, "does not exist",
                            fields=dict(fields, **{name: fields[name] + "-missing"}),
                            value=fields[name] + "-missing"))
    for name in cls.name_fields():
        if name in fields:
            out.append(Case(resource, "colon", name, 400, "may not contain ':'",
                            fields=dict(fields, **{name: "a:b"}), value="a:b"))
    row = first_row(resource)
    if row is None:
        return out
    out.append(Case(resource, "duplicate", "id", 409, "already exists", fields=row.fields,
                    target=row.id, value=row.id))
    for name in spec.identity:
        current = row.fields.get(name, dict(spec.id_defaults).get(name))
        out.append(Case(resource, "identity", name, 422, "part of the ID",
                        fields={name: changed_value(resource, name, current)}, target=row.id))
    children = children_of(row)
    if children:
        out.append(Case(resource, "children", "id", 409, "still has", target=row.id,
                        value=row.id, children=children))
    return out


CASES_ALL = [case for resource in sorted(REGISTRY) for case in cases_of(resource)]


def by_relationship(case):
    """True when the case can also be sent in JSON:API's standard form, the reference under
    ``relationships``: an unknown reference, or an ID reference changed to another object."""
    if relation_of(case.resource, case.field) is None:
        return False
    if case.kind == "unknown":
        return True
    return case.kind == "identity" and any(row.id == case.fields[case.field] for row in ROWS)


RELATIONSHIP_CASES = [case for case in CASES_ALL if by_relationship(case)]
