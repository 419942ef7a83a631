"""What there is to fuzz, read off the code rather than typed by hand: the
resource schema (fields, relations, links, declared actions with their
arguments) and the IDs and create fields of the shared seed world.
"""
from dataclasses import dataclass, field

from tests.support.world import WORLD


@dataclass(repr=False)
class Catalog:
    """Resources (name -> schema entry), their actions, and the seed world."""

    resources: dict
    actions: list = field(default_factory=list)   # (resource, action entry of the schema)
    known: dict = field(default_factory=dict)     # resource -> set of IDs
    samples: dict = field(default_factory=dict)   # resource -> [fields of a valid create]

    def __repr__(self):
        return f"Catalog({len(self.resources)} resources)"

    def _repr_pretty_(self, printer, _cycle):
        printer.text(repr(self))  # Hypothesis names strategies with it: keep it short

    def plural(self, resource):
        """The plain face's collection name of ``resource``."""
        return self.resources[resource]["plural"]

    def all_ids(self):
        """Every known ID, whatever its resource."""
        return {i for ids in self.known.values() for i in ids}


def world():
    """(resource -> IDs, resource -> create fields) of the seed world."""
    known, samples = {}, {}
    for resource, fields, object_id in WORLD:
        known.setdefault(resource, set()).add(object_id)
        samples.setdefault(resource, []).append(fields)
    return known, samples


def load():
    """The catalog of this code base (builds an app on an in-memory database to read it)."""
    from qairon import create_app
    from qairon.api.schema import schema_document
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        resources = schema_document()["resources"]
    actions = [(name, action) for name, spec in sorted(resources.items())
               for action in spec.get("actions", [])]
    return Catalog(resources, actions, *world())
