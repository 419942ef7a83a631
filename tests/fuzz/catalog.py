"""What there is to fuzz, read off the code rather than typed by hand: the
resource schema (fields, relations, links), the routes of the URL map (detail
GETs and POST actions) and the IDs of the shared seed world.
"""
import re
from dataclasses import dataclass, field

from tests.server.data import WORLD

DETAIL = re.compile(r"^/api/(<plural>|[a-z_]+)/<path:[a-z_]+>/([a-z_]+)$")


@dataclass
class Catalog:
    """Resources (name -> schema entry), detail routes, actions and known IDs."""

    resources: dict
    details: list = field(default_factory=list)   # (plural or None, suffix)
    actions: list = field(default_factory=list)   # (plural, suffix) of POST detail routes
    known: dict = field(default_factory=dict)     # resource -> set of IDs
    samples: dict = field(default_factory=dict)   # resource -> [fields of a valid create]

    def plural(self, resource):
        """The plain face's collection name of ``resource``."""
        return self.resources[resource]["plural"]

    def all_ids(self):
        """Every known ID, whatever its resource."""
        return {i for ids in self.known.values() for i in ids}


def routes(url_map):
    """(details, actions) read from a Flask URL map."""
    details, actions = [], []
    for rule in url_map.iter_rules():
        match = DETAIL.match(rule.rule)
        if not match or match.group(2) == "bulk":
            continue
        plural = None if match.group(1) == "<plural>" else match.group(1)
        if "GET" in rule.methods:
            details.append((plural, match.group(2)))
        if "POST" in rule.methods and plural is not None:
            actions.append((plural, match.group(2)))
    return sorted(set(details), key=str), sorted(set(actions))


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
    details, actions = routes(app.url_map)
    return Catalog(resources, details, actions, *world())
