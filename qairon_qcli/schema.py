"""The resource schema qcli generates its commands from.

``schema.json`` is written by the server (``flask --app qairon schema``) from its
model registry and shipped as package data, so the client never imports the
server and never keeps a hand-made copy of the model.
"""
import json
import os

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.json")

_cache = {}


def load_schema(path=None):
    """Return the ``{"resources": {...}}`` document, read once per path."""
    path = path or os.environ.get("QAIRON_QCLI_SCHEMA") or SCHEMA_PATH
    if path not in _cache:
        with open(path, encoding="utf-8") as handle:
            _cache[path] = json.load(handle)
    return _cache[path]


class UnknownResource(KeyError):
    """A resource name that the schema does not list."""

    def __str__(self):
        return f"unknown resource {self.args[0]!r}"


class Schema:
    """Read-only helpers over the schema document."""

    def __init__(self, document=None):
        self.document = document if document is not None else load_schema()
        self.resources = self.document["resources"]

    def names(self):
        """Resource names, sorted."""
        return sorted(self.resources)

    def resource(self, name):
        """The schema entry of one resource; :class:`UnknownResource` if absent."""
        try:
            return self.resources[name]
        except KeyError:
            raise UnknownResource(name) from None

    def plural(self, name):
        """The URL collection name of a resource."""
        return self.resource(name)["plural"]

    def field_kind(self, name, field):
        """Classify ``field`` of ``name`` as ``scalar``, ``to_one`` or ``to_many``."""
        entry = self.resource(name)
        if field in entry.get("to_many", {}):
            return "to_many"
        if field in entry.get("to_one", {}):
            return "to_one"
        return "scalar"

    def field_type(self, name, field):
        """The declared type of a column (``string``, ``integer``, ``json``, ...)."""
        return self.resource(name).get("fields", {}).get(field, "string")

    def column_for(self, name, field):
        """The column a ``set_field`` writes: a to-one relation maps to ``<name>_id``."""
        entry = self.resource(name)
        if field not in entry.get("fields", {}) and field in entry.get("to_one", {}):
            return field + "_id"
        return field

    def reference_target(self, name, field):
        """The resource a ``<relation>_id`` column points to, or None."""
        entry = self.resource(name)
        if field == "id":
            return name
        if field.endswith("_id"):
            return entry.get("to_one", {}).get(field[:-3])
        return None

    def order(self):
        """Resource names, parents first: the order rows of several resources are sent in."""
        return list(self.document.get("order") or self.names())

    def action(self, name, action):
        """The schema entry of ``action`` of resource ``name``, or None."""
        for spec in self.resource(name).get("actions", []):
            if spec["name"] == action:
                return spec
        return None

    def link_commands(self, name):
        """Mapping of ``suffix -> relation`` for ``assign_<suffix>``/``unassign_<suffix>``.

        The suffix is the linked resource's name, or the relation name when two
        links of one resource point to the same resource.
        """
        links = self.resource(name).get("links", {})
        targets = [link["resource"] for link in links.values()]
        out = {}
        for relation, link in links.items():
            target = link["resource"]
            suffix = target if targets.count(target) == 1 else relation
            out[suffix] = relation
        return out

    def link_relation(self, name, relation):
        """Resolve a relation given by its name (``zones``) or suffix (``zone``)."""
        links = self.resource(name).get("links", {})
        if relation in links:
            return relation
        commands = self.link_commands(name)
        if relation in commands:
            return commands[relation]
        raise KeyError(f"{name} has no link {relation!r}")
