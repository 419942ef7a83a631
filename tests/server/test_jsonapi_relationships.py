"""Every relationship of every resource, through every JSON:API way of writing it.

Each change is made first on the plain face, then through each JSON:API form
(the to-one relationship endpoint; POST, PATCH and DELETE on a to-many
relationship endpoint; the ``relationships`` block of a resource PATCH or POST).
A change the plain face refuses must be refused with the same status, in the
one error shape, and leave every row of every table as it was; a change the
plain face accepts must be accepted and leave the database exactly as the plain
face left it. The cases are generated from the registry and ``data.py``.
"""
import json
from collections import Counter
from functools import partial

import pytest

from qairon.models import REGISTRY

from .data import CASES, EXTRA
from .helpers import post
from .relations import Edge, build_wide_world, edges, first_id, ids_of, snapshot, spread, value_of

PREFIX = "/api/rest/v1"
JSONAPI = {"Content-Type": "application/vnd.api+json"}
SUCCESS = (200, 201, 204)
TO_MANY = {"one_to_many", "many_to_many"}
LEAKS = ("<class", "SQL", "INSERT", "UPDATE ", "Traceback", "qairon.models")


def ident(cls, object_id):
    return None if object_id is None else {"type": cls.resource, "id": object_id}


def shape_problem(response):
    """What is wrong with a refusal's body, or None: the one shape, our words, a source."""
    errors = (response.get_json(silent=True) or {}).get("errors") or [{}]
    error = errors[0]
    source = error.get("source") or {}
    if not (error.get("title") and error.get("detail") and error.get("status")):
        return f"not the one error shape: {error}"
    if not ({"pointer", "parameter"} & set(source)):
        return f"no source.pointer or source.parameter: {error}"
    if any(leak in error["detail"] for leak in LEAKS):
        return f"leaks internals: {error['detail']}"
    return None


class Judge:
    """Makes each change on the plain face, then through its JSON:API forms; keeps mismatches."""

    def __init__(self, client):
        self.client, self.failures, self.seen = client, [], Counter()

    def _restore(self, where, restore):
        response = restore()
        if response.status_code not in SUCCESS:
            self.failures.append(f"{where}: restoring failed {response.get_json()}")

    def check(self, label, kind, plain, restore, forms):
        """``plain()`` makes the change on the plain face; ``forms`` are its JSON:API spellings."""
        before = snapshot()
        expected = plain()
        status = expected.status_code
        accepted = status in SUCCESS
        if accepted:
            target = snapshot(times=False)
            self._restore(label, restore)
        elif snapshot() != before:
            self.failures.append(f"{label}: the plain face's refusal {status} wrote something")
        for method, path, data in forms:
            where = f"{label}: {method} {path[:60]}"
            start = snapshot()
            response = self.client.open(PREFIX + path, method=method,
                                        data=json.dumps({"data": data}), headers=JSONAPI)
            got = response.status_code
            self.seen[(kind, "accepted" if accepted else status, got)] += 1
            if accepted:
                if got not in SUCCESS:
                    self.failures.append(f"{where}: {got} {response.get_json()} where the plain "
                                         f"face accepts")
                elif snapshot(times=False) != target:
                    self.failures.append(f"{where}: not the change the plain face makes")
                else:
                    self._restore(where, restore)
                continue
            if got != status:
                self.failures.append(f"{where}: {got} where the plain face answers {status} "
                                     f"({expected.get_json()})")
            if snapshot() != start:
                self.failures.append(f"{where}: refused with {got} but wrote something")
            problem = shape_problem(response)
            if problem:
                self.failures.append(f"{where}: {problem}")

    def verdict(self, accepted=(), refused=()):
        """No mismatch; accepted and refused changes were exercised for the kinds named."""
        assert not self.failures, "\n".join(self.failures)
        for kind in accepted:
            assert (kind, "accepted") in {k[:2] for k in self.seen}, (kind, self.seen)
        for kind in refused:
            assert {o for k, o, _got in self.seen if k == kind} - {"accepted"}, (kind, self.seen)


@pytest.fixture
def wide(client):
    build_wide_world(client)
    return client


def _resource_document(edge, subject, linkage):
    return {"type": edge.cls.resource, "id": subject,
            "relationships": {edge.name: {"data": linkage}}}


def test_to_one_relationships(wide):
    judge = Judge(wide)
    for edge in edges({"to_one"}):
        subject = first_id(edge.cls)
        current = value_of(edge.cls, subject, edge.key)
        for other in spread([i for i in ids_of(edge.target) if i != current]) + [None]:
            linkage = ident(edge.target, other)
            forms = [("PATCH", f"/{edge.cls.resource}/{subject}/relationships/{edge.name}",
                      linkage),
                     ("PATCH", f"/{edge.cls.resource}/{subject}",
                      _resource_document(edge, subject, linkage))]
            judge.check(f"{edge} -> {other}", "to_one",
                        partial(edge.add_plain, wide, subject, other),
                        edge.restorer(wide, subject, other), forms)
    judge.verdict(accepted=["to_one"], refused=["to_one"])


def test_to_many_additions(wide):
    judge = Judge(wide)
    for edge in edges(TO_MANY):
        subject = first_id(edge.cls)
        members = edge.members(subject)
        for other in spread([i for i in ids_of(edge.target) if i not in members]):
            path = f"/{edge.cls.resource}/{subject}/relationships/{edge.name}"
            grown = [ident(edge.target, i) for i in members + [other]]
            forms = [("POST", path, [ident(edge.target, other)]), ("PATCH", path, grown),
                     ("PATCH", f"/{edge.cls.resource}/{subject}",
                      _resource_document(edge, subject, grown))]
            judge.check(f"{edge} + {other}", edge.kind,
                        partial(edge.add_plain, wide, subject, other),
                        edge.restorer(wide, subject, other), forms)
    judge.verdict(accepted=TO_MANY, refused=TO_MANY)


def test_to_many_removals(wide):
    judge = Judge(wide)
    for edge in edges(TO_MANY):
        subject = first_id(edge.cls)
        members = edge.members(subject)
        for member in members[:1]:
            path = f"/{edge.cls.resource}/{subject}/relationships/{edge.name}"
            rest = [ident(edge.target, i) for i in members if i != member]
            forms = [("DELETE", path, [ident(edge.target, member)]), ("PATCH", path, rest),
                     ("PATCH", f"/{edge.cls.resource}/{subject}",
                      _resource_document(edge, subject, rest))]
            judge.check(f"{edge} - {member}", edge.kind,
                        partial(edge.remove_plain, wide, subject, member),
                        edge.restorer(wide, subject, member), forms)
    judge.verdict(accepted=["many_to_many"], refused=["one_to_many"])


class Creation:
    """A create on the plain face, optionally followed by one link, and its undoing."""

    def __init__(self, client, cls, fields, edge=None, other=None):
        self.client, self.cls, self.fields, self.edge, self.other = client, cls, fields, edge, other
        self.object_id = None
        self.was = value_of(edge.target, other, edge.key) if edge and edge.kind != "many_to_many" \
            else None

    def plain(self):
        """Create (and link) on the plain face; a refused link undoes the create."""
        created = post(self.client, self.cls.resource, self.fields)
        if created.status_code != 201 or self.edge is None:
            self.object_id = (created.get_json() or {}).get("id")
            return created
        self.object_id = created.get_json()["id"]
        linked = self.edge.add_plain(self.client, self.object_id, self.other)
        if linked.status_code not in SUCCESS:
            self.delete()
        return linked

    def delete(self):
        """Put back what the create (and its link) changed."""
        if self.edge is not None and self.edge.kind == "one_to_many":
            response = self.client.patch(
                f"/api/{self.edge.target.plural}/{self.other}",
                data=json.dumps({self.edge.key: self.was}),
                headers={"Content-Type": "application/json"})
            assert response.status_code == 200, response.get_json()
        return self.client.delete(f"/api/{self.cls.plural}/{self.object_id}?cascade=true")

    def document(self, as_relationships):
        """The JSON:API resource object: ``as_relationships`` references as relationships."""
        to_one = {e.key: e for e in edges({"to_one"}) if e.cls is self.cls}
        links = {to_one[k].name: {"data": ident(to_one[k].target, self.fields[k])}
                 for k in as_relationships}
        if self.edge is not None:
            links[self.edge.name] = {"data": [ident(self.edge.target, self.other)]}
        attributes = {k: v for k, v in self.fields.items() if k not in as_relationships}
        return {"type": self.cls.resource, "attributes": attributes, "relationships": links}


def test_creates_with_relationships(client):
    build_wide_world(client, cases=False)
    judge = Judge(client)
    for resource, (fields, _expected, _change) in CASES.items():
        for extra_resource, extra_fields in EXTRA.get(resource, []):
            assert post(client, extra_resource, extra_fields).status_code in (201, 409)
        cls = REGISTRY[resource]
        own = [e for e in edges({"to_one"}) if e.cls is cls and e.key in fields]
        runs = [(f"create {resource}", fields, [e.key for e in own], None, None)]
        for edge in own:
            for other in spread([i for i in ids_of(edge.target) if i != fields[edge.key]]):
                runs.append((f"create {resource} {edge.name} -> {other}",
                             dict(fields, **{edge.key: other}), [edge.key], None, None))
            runs.append((f"create {resource} {edge.name} -> nope",
                         dict(fields, **{edge.key: "nope"}), [edge.key], None, None))
        for edge in (e for e in edges(TO_MANY) if e.cls is cls):
            for other in spread(ids_of(edge.target)):
                runs.append((f"create {resource} with {edge.name} {other}", fields, [],
                             edge, other))
        for label, values, as_relationships, edge, other in runs:
            creation = Creation(client, cls, values, edge, other)
            judge.check(label, edge.kind if edge else "create", creation.plain, creation.delete,
                        [("POST", f"/{resource}", creation.document(as_relationships))])
    judge.verdict(accepted=["create", *TO_MANY], refused=["create", *TO_MANY])


def test_edges_cover_every_relation():
    """The generated cases reach every relation of every resource (none is skipped)."""
    from sqlalchemy import inspect
    names = {f"{cls.resource}.{r.key}" for cls in REGISTRY.values()
             for r in inspect(cls).relationships if r.key not in cls.hidden}
    assert {repr(e) for e in edges({"to_one", *TO_MANY})} == names
    assert all(isinstance(e, Edge) for e in edges({"to_one"}))
