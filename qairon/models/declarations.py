"""What a resource class declares beyond its columns: its links and its actions.

These are plain values read by the generic layers — the rules (isolation), the
walks (dependencies), the plain face (link endpoints, action routes) and the
schema that qcli generates its commands from — so that nothing outside a model
class says what is special about one resource.
"""
from dataclasses import dataclass

ITEM, COLLECTION = "item", "collection"
PRINTS = ("written", "mapping", "value", "walk", "explain", "capacity", "report", "changes",
          "text", "recon", "generated")
TYPES = ("string", "integer", "json", "flag")


@dataclass(frozen=True)
class Link:
    """A many-to-many relation that clients add and remove one link at a time.

    ``isolated``: both ends must live in one environment (checked on both
    sides of the relation). ``depends_on``: the owner depends on what it is
    linked to, so trace walks up the link and impact walks down it.
    """

    isolated: bool = False
    depends_on: bool = False

    def schema(self, target):
        """The schema entry of the link: the linked resource and the flags."""
        return {"resource": target, "isolated": self.isolated, "depends_on": self.depends_on}


@dataclass(frozen=True)
class Arg:
    """One value an action takes: positional in ``Action.args``, ``--name`` in ``options``.

    ``send`` says where the value goes (``body`` or ``query``). A ``flag``
    option takes no value: when given it ``sets`` query parameters and may
    choose what is printed (``prints``).
    """

    name: str
    help: str
    type: str = "string"
    send: str = "body"
    metavar: str = None
    sets: tuple = ()
    prints: str = None

    def schema(self):
        """The schema entry of the argument (only what is set)."""
        out = {"name": self.name, "help": self.help, "type": self.type}
        if self.type != "flag":
            out["send"] = self.send
        if self.metavar:
            out["metavar"] = self.metavar
        if self.sets:
            out["sets"] = dict(self.sets)
        if self.prints:
            out["prints"] = self.prints
        return out


@dataclass(frozen=True)
class Action:
    """A route beyond CRUD: ``/api/<plural>/<id>/<name>`` (item) or ``/api/<path>`` (collection).

    ``view`` is the ``module:function`` that serves it, called with the
    resource class (and the object ID for an item action); it is resolved
    when the routes are registered. ``help`` may name ``{resource}``.
    ``query`` holds fixed query parameters; ``prints`` names how qcli shows
    the answer (one of :data:`PRINTS`); ``allocates`` says a 409 means no
    room was found (qcli raises its ``AllocationError``). ``refuses`` names the
    error kinds (:mod:`qairon.core.errors`) a read may answer beyond those of
    every read, so that the API description lists them (a rendering may break a
    rule of its template).
    """

    name: str
    help: str
    view: str
    method: str = "GET"
    scope: str = ITEM
    args: tuple = ()
    options: tuple = ()
    query: tuple = ()
    prints: str = "mapping"
    allocates: bool = False
    path: str = None
    id_help: str = None
    refuses: tuple = ()

    def __post_init__(self):
        if self.prints not in PRINTS or any(a.prints not in (None, *PRINTS) for a in self.options):
            raise ValueError(f"action {self.name}: prints must be one of {', '.join(PRINTS)}")
        if any(a.type not in TYPES for a in (*self.args, *self.options)):
            raise ValueError(f"action {self.name}: argument types are {', '.join(TYPES)}")

    def url_path(self, plural):
        """The path under ``/api/`` with ``{id}`` where the object ID goes."""
        if self.scope == COLLECTION:
            return self.path or f"{plural}/{self.name}"
        return f"{plural}/{{id}}/{self.name}"

    def schema(self, resource, plural):
        """The schema entry qcli generates a sub-command and a method from."""
        out = {"name": self.name, "help": self.help.format(resource=resource),
               "method": self.method,
               "scope": self.scope, "path": self.url_path(plural),
               "args": [a.schema() for a in self.args],
               "options": [a.schema() for a in self.options],
               "query": dict(self.query), "prints": self.prints}
        if self.allocates:
            out["allocates"] = True
        if self.scope == ITEM:
            out["id_help"] = (self.id_help or "ID of the {resource}").format(resource=resource)
        return out


@dataclass(frozen=True)
class Moved:
    """A field the older (upstream) Qairon took that our model places elsewhere.

    A JSON:API create giving ``field`` is refused in one sentence: ``why``, and,
    when ``use`` is set, the value to give instead, read from the object
    ``field`` names (``use`` of the ``deployment_target`` a fleet named).
    """

    field: str
    why: str
    use: str = None


@dataclass(frozen=True)
class Upstream:
    """How the older (upstream) Qairon's client names this resource on the JSON:API face.

    ``relations``: (alias, relation) pairs: the to-one relation shown (and
    accepted) under the alias too, e.g. ``("type", "provider_type")``.
    ``fields``: (their name, our field) synonyms accepted on writes.
    ``fill``: (field, value) pairs a JSON:API create that omits the field gets.
    ``moved``: :class:`Moved` fields, refused with the way to say it here.
    ``hidden``: attributes its resource objects leave out, as the older server's
    did (a plugin resource shaped after one of its tables shows only its columns).
    ``collections``: (alias, to-many relation) pairs served under the alias too, as
    ``/<type>/<id>/<alias>`` and ``/<type>/<id>/relationships/<alias>``.
    """

    relations: tuple = ()
    fields: tuple = ()
    fill: tuple = ()
    moved: tuple = ()
    hidden: tuple = ()
    collections: tuple = ()
