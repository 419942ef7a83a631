"""The shared shape of every Qairon resource and the registry that lists them.

A resource is one declarative class: its columns, its ``id_parts`` (the recipe
of its canonical ID), its positional ``create`` fields, its ``links`` (with
their isolation and dependency flags), the relations ``embedded`` in its plain
representation and its ``actions`` beyond CRUD. Everything else — REST faces,
qcli schema, rules, walks, deletion — reads these declarations through
:data:`REGISTRY`.
"""
from datetime import datetime, timezone

from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import relationship

from qairon.core.ids import is_reference, part_field
from qairon.extensions import db
from qairon.models.declarations import Action, Arg, Upstream

VIEWS = "qairon.api.insight_views"

#: The actions every resource has: the walks and the effective defaults (and the history's).
TRACE = Action("trace", "what this {resource} stands on, up to the roots",
               view=f"{VIEWS}:trace", prints="walk")
IMPACT = Action("impact", "everything that depends on this {resource}",
                view=f"{VIEWS}:impact", prints="walk",
                options=(Arg("depth", "follow N levels at most", type="integer", send="query",
                             metavar="N"),))
DEFAULTS = Action("defaults", "merged defaults: ancestors, type, own", view=f"{VIEWS}:defaults",
                  prints="value", query=(("effective", "true"), ("explain", "false")),
                  options=(Arg("explain", "say which object each key comes from", type="flag",
                               sets=(("explain", "true"),), prints="explain"),
                           Arg("own", "only the object's own defaults", type="flag",
                               sets=(("effective", "false"), ("explain", "false")),
                               prints="value")))

HISTORY_VIEWS = "qairon.history.views"
#: The actions of the history every resource has: its changes, restore, rename.
HISTORY = Action("history", "every change of this {resource} (its links and former IDs too)",
                 view=f"{HISTORY_VIEWS}:history", prints="changes", query=(("limit", "1000"),))
RESTORE = Action("restore", "bring back a deleted {resource} with its old ID and values; "
                            "prints its ID", view=f"{HISTORY_VIEWS}:restore", method="POST",
                 prints="written",
                 options=(Arg("as_of", "as it was at T (a changeset ID or a time; qcli's "
                                       "--as-of)", send="query", metavar="T"),
                          Arg("subtree", "also bring back what depended on it", type="flag",
                              sets=(("subtree", "true"),))))
RENAME = Action("rename", "give this {resource} a new name: its ID, the IDs below it and every "
                          "reference follow; prints the new ID", view=f"{HISTORY_VIEWS}:rename",
                method="POST", prints="written",
                args=(Arg("name", "the new name", metavar="NEW_NAME"),))

GENERATE_VIEWS = "qairon.api.generate_views"
#: Config generation and reconciliation every resource has (docs/GENERATE.md).
RENDER = Action("render", "render a config_template for this {resource}; prints the text",
                view=f"{GENERATE_VIEWS}:render", prints="text", refuses=("rule",),
                args=(Arg("template", "the config_template's ID", send="query",
                          metavar="TEMPLATE"),))
RECON = Action("recon", "compare actual state (JSON) with this {resource}'s intent using the "
                        "jq patterns of its effective defaults.recon; stores the result",
               view=f"{GENERATE_VIEWS}:recon", method="POST", prints="recon",
               args=(Arg("actual", "the actual state as JSON text", type="json",
                         metavar="ACTUAL_JSON"),),
               options=(Arg("actual_key", "the pattern key applied to the actual state "
                                          "(default actual_jq)", send="query", metavar="KEY"),
                        Arg("qairon_key", "the pattern key applied to the Qairon side "
                                          "(default qairon_jq)", send="query", metavar="KEY"),
                        Arg("field_key", "the key naming the field the Qairon side reads "
                                         "(default qairon_field)", send="query", metavar="KEY"),
                        Arg("match", "the entry fields that identify an entry, comma-separated "
                                     "(default defaults.recon.match, else whole entries)",
                            send="query", metavar="FIELDS"),
                        Arg("vars", "more jq variables, as a JSON object", type="json",
                            metavar="JSON"),
                        Arg("reduced", "the actual state has already been through the actual "
                                       "pattern", type="flag", sets=(("reduced", "true"),))))

REGISTRY = {}
JSONType = db.JSON().with_variant(postgresql.JSONB(), "postgresql")
#: A JSON column that may hold nothing (SQL NULL rather than JSON ``null``).
OptionalJSON = db.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True),
                                                       "postgresql")
SYSTEM_FIELDS = ("id", "created_at", "last_updated_at", "recon")


def utcnow():
    """Timezone-aware now, the value of every timestamp column."""
    return datetime.now(timezone.utc)


def reference(target, nullable=False, use_alter=False):
    """A foreign-key column to ``target``'s ID, indexed."""
    return db.Column(db.String, db.ForeignKey(f"{target}.id", use_alter=use_alter),
                     nullable=nullable, index=True)


def name_column(nullable=False):
    """A plain name part."""
    return db.Column(db.String, nullable=nullable)


def parent(target_class, backref_name, foreign_key=None):
    """The to-one side of a reference, with its reverse to-many on the target.

    The reverse side never cascades or nulls on its own: deletion is decided
    by :mod:`qairon.pipeline.deletion`, which refuses or cascades explicitly.
    """
    return relationship(target_class, foreign_keys=foreign_key,
                        backref=db.backref(backref_name, passive_deletes="all",
                                           lazy="select"))


def link_table(left, right):
    """An association table whose primary key is the pair, so a link is unique."""
    return db.Table(
        f"{left}_{right}",
        db.Column(f"{left}_id", db.String, db.ForeignKey(f"{left}.id", ondelete="CASCADE"),
                  primary_key=True),
        db.Column(f"{right}_id", db.String, db.ForeignKey(f"{right}.id", ondelete="CASCADE"),
                  primary_key=True, index=True),
    )


class Resource(db.Model):
    """Base of every resource: computed ``id``, ``defaults``, timestamps."""

    __abstract__ = True

    #: The fields whose values, joined by ``:``, make the ID.
    id_parts = ()
    #: The positional create fields, in qcli order.
    create = ()
    #: Many-to-many relations assignable one link at a time: name -> :class:`Link` (flags).
    links = {}
    #: Relations embedded in the plain representation: relation -> its to-many lists.
    embedded = {}
    #: Routes beyond CRUD (:class:`Action`), in the order qcli lists them.
    actions = (TRACE, IMPACT, DEFAULTS, HISTORY, RESTORE, RENAME, RENDER, RECON)
    #: Where the environment is read from (an ID field), or None outside infrastructure.
    environment_field = None
    #: Columns that are computed and never shown.
    hidden = ()
    #: The type object whose defaults this one inherits, if any.
    type_field = None
    #: True for a resource of no environment that a token scoped to environments may
    #: still write (a CI job for ``dev`` records its builds); see qairon.identity.authz.
    scoped_writable = False
    #: True when ``validate`` reads only the row, its references and rows already written
    #: (never other new rows of its own resource): bulk imports then check it a batch at once.
    batch_checked = False
    #: How the older (upstream) Qairon's client names it on the JSON:API face (docs/MIGRATING.md).
    upstream = Upstream()

    id = db.Column(db.String, primary_key=True)
    defaults = db.Column(JSONType, nullable=False, default=dict)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow,
                                onupdate=utcnow)
    #: The latest reconciliation's result (status, when, by whom, counts), written by recon.
    recon = db.Column(OptionalJSON, nullable=True)

    def __init_subclass__(cls, **kw):
        name = cls.__dict__.get("__tablename__")
        taken = REGISTRY.get(name)
        if taken is not None and taken.__module__ != cls.__module__:
            raise TypeError(f"resource {name!r} is already declared by {taken.__module__}."
                            f"{taken.__name__}: two plugins cannot declare one resource")
        super().__init_subclass__(**kw)
        if name is not None:
            cls.resource = name
            cls.plural = cls.__dict__.get("plural", name + "s")
            REGISTRY[cls.resource] = cls

    # --- declarations read by the generic layers -------------------------

    @classmethod
    def identity_fields(cls):
        """The column names that make up the ID."""
        return tuple(part_field(p) for p in cls.id_parts)

    @classmethod
    def column_names(cls):
        """Every visible column, ``id`` first, in declaration order."""
        names = [c.key for c in cls.__table__.columns if c.key not in cls.hidden]
        names.remove("id")
        return ["id"] + names

    @classmethod
    def writable_fields(cls):
        """Columns a client may set on create."""
        return [n for n in cls.column_names() if n not in SYSTEM_FIELDS]

    @classmethod
    def references(cls):
        """Mapping of foreign-key column -> referenced resource name."""
        out = {}
        for column in cls.__table__.columns:
            for fk in column.foreign_keys:
                out[column.key] = fk.column.table.name
        return out

    @classmethod
    def option_fields(cls):
        """Create fields that are optional (not positional): name -> default."""
        out = {}
        for name in cls.writable_fields():
            if name in cls.create:
                continue
            column = cls.__table__.columns[name]
            default = column.default.arg if column.default is not None else None
            out[name] = None if callable(default) else default
        return out

    @classmethod
    def action(cls, name):
        """The declared :class:`Action` called ``name``, or None."""
        return next((a for a in cls.actions if a.name == name), None)

    @classmethod
    def name_fields(cls):
        """ID parts that are the object's own names (not references)."""
        return tuple(f for f in cls.identity_fields() if not is_reference(f))

    def environment_name(self):
        """The environment this object lives in, or None."""
        from qairon.core.ids import environment_of
        if self.environment_field is None:
            return None
        return environment_of(getattr(self, self.environment_field))

    def validate(self, session):
        """Model-specific rules; raise an QaironError subclass to refuse."""

    def new_reference(self, session, field):
        """The object the reference ``field`` points at if it is created in this same write."""
        target, value = REGISTRY[self.references()[field]], getattr(self, field)
        return next((o for o in session.new if type(o) is target and o.id == value), None)

    def referenced(self, session, field):
        """The object the reference ``field`` points at, also one created in this same write."""
        found = self.new_reference(session, field)
        if found is not None:
            return found
        return session.get(REGISTRY[self.references()[field]], getattr(self, field))

    def __repr__(self):
        return f"<{self.resource} {self.id}>"


class NativeIdMixin:
    """The cloud's own identifier (ARN, resource ID), recorded by pipelines."""

    native_id = db.Column(db.String, nullable=True, index=True)


class NamedType(Resource):
    """A type or catalogue object identified by its name alone."""

    __abstract__ = True
    id_parts = ("name",)
    create = ("name",)
    name = name_column()
