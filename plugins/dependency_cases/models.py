"""The resources of the ``dependency_cases`` plugin, shaped after the older Qairon's
``dependencies`` plugin so that its client, its scripts and its data keep working here.

- :class:`DependencyCase` (``dependency_case``): a named kind of dependency: objects
  of ``relatable_type`` depend on objects of ``related_type`` (both resource class
  names, as the older plugin gave them: ``Deployment``, ``Build``), ``OTO`` (one
  related object per dependency) or ``OTM`` (any number).
- :class:`Relatable` (``relatable``): an object that has dependencies; its ID is
  ``<relatable_type>:<object_id>``.
- :class:`Dependency` (``dependency``): one named dependency of a relatable, of a
  case; its ID is ``<case>:<relatable>:<name>``; one per case and relatable.
- :class:`Related` (``related``): an object a dependency depends on; its ID is
  ``<related_type>:<dependency>:<object_id>``.

Unlike the older plugin, the rules check what the rows say: the objects exist, they
are of the types of their case, the two ends of a dependency live in one environment
when both have one, and ``OTO`` holds. On the JSON:API face these resources show the
older plugin's columns only (``upstream.hidden``), as its client compares them.
"""
from sqlalchemy import select

from qairon.core.errors import BadRequest, Conflict, RuleError
from qairon.extensions import db
from qairon.models.base import REGISTRY, NamedType, Resource, name_column, parent, reference
from qairon.models.declarations import Upstream
from qairon.models.lookup import another, missing, written
from qairon.pipeline.changes import committed_values

#: Attributes the older plugin's resources never showed.
OLDER_FACE = Upstream(hidden=("defaults", "created_at", "last_updated_at", "recon"))
#: ``allowed_relationship``: one related object per dependency, or any number.
RELATIONSHIPS = ("OTO", "OTM")


def resource_named(class_name, field):
    """The resource whose class is called ``class_name``; refused naming the class names."""
    names = {cls.__name__: name for name, cls in REGISTRY.items()}
    if class_name not in names:
        raise RuleError(f"{field} {str(class_name)[:100]!r} is not the class name of a "
                        f"resource; they are {', '.join(sorted(names))}", field=field)
    return names[class_name]


def named_object(session, class_name, object_id, type_field, field="object_id"):
    """The object of class ``class_name`` with ``object_id`` (written in this write or
    stored); refused with the 404's words when there is none."""
    cls = REGISTRY[resource_named(class_name, type_field)]
    found = written(session, cls, object_id)
    if found is None:
        raise RuleError(missing(session, cls, object_id, field).detail, field=field)
    return found


class DependencyCase(NamedType):
    """A kind of dependency: ``relatable_type`` objects depend on ``related_type`` ones."""

    __tablename__ = "dependency_case"
    create = ("name", "relatable_type", "related_type", "allowed_relationship")
    relatable_type = db.Column(db.String, nullable=False)
    related_type = db.Column(db.String, nullable=False)
    allowed_relationship = db.Column(db.String, nullable=False)
    upstream = Upstream(hidden=OLDER_FACE.hidden + ("name",))

    def validate(self, session):
        """Known class names and relationship; a case in use keeps its types."""
        for field in ("relatable_type", "related_type"):
            resource_named(getattr(self, field), field)
        if self.allowed_relationship not in RELATIONSHIPS:
            raise BadRequest(f"allowed_relationship {str(self.allowed_relationship)[:50]!r} "
                             f"must be OTO (one related object per dependency) or OTM (any "
                             f"number)", field="allowed_relationship")
        if self not in session.dirty:
            return
        old = committed_values(self)
        changed = [f for f in ("relatable_type", "related_type") if old.get(f) != getattr(self, f)]
        if changed and session.execute(select(Dependency.id).where(
                Dependency.dependency_case_id == self.id).limit(1)).first():
            raise Conflict(f"{changed[0]} of dependency case {self.id!r} cannot change while "
                           f"dependencies of that case exist", field=changed[0])


class NamesAnObject:
    """A row that names any object by class name and ``object_id``, as the older plugin did."""

    object_id = db.Column(db.String, nullable=False, index=True)
    upstream = OLDER_FACE

    @classmethod
    def name_fields(cls):
        """No name parts: ``object_id`` is an object's whole ID, checked by ``validate``."""
        return ()


class Relatable(NamesAnObject, Resource):
    """An object that has dependencies, named by its class name and ID."""

    __tablename__ = "relatable"
    id_parts = ("relatable_type", "object_id")
    create = ("relatable_type", "object_id")
    relatable_type = db.Column(db.String, nullable=False)

    def validate(self, session):
        """The object exists and is of ``relatable_type``."""
        named_object(session, self.relatable_type, self.object_id, "relatable_type")


class Dependency(Resource):
    """A named dependency of a relatable, of a case: what it depends on are its related."""

    __tablename__ = "dependency"
    plural = "dependencies"
    id_parts = ("dependency_case_id", "relatable_id", "name")
    create = ("dependency_case_id", "relatable_id", "name")
    dependency_case_id = reference("dependency_case")
    dependency_case = parent(DependencyCase, "dependencies")
    relatable_id = reference("relatable")
    relatable = parent(Relatable, "dependencies")
    name = name_column()
    upstream = OLDER_FACE

    def validate(self, session):
        """The relatable is of the case's ``relatable_type``; one per case and relatable."""
        case = self.referenced(session, "dependency_case_id")
        relatable = self.referenced(session, "relatable_id")
        if relatable.relatable_type != case.relatable_type:
            raise RuleError(f"dependency case {case.id!r} is for {case.relatable_type} objects; "
                            f"relatable {relatable.id!r} is a {relatable.relatable_type}",
                            field="relatable_id")
        taken = another(session, self, dependency_case_id=case.id, relatable_id=relatable.id)
        if taken:
            raise Conflict(f"relatable {relatable.id!r} already has a dependency of case "
                           f"{case.id!r} ({taken!r}); a relatable has one per case",
                           field="relatable_id")


class Related(NamesAnObject, Resource):
    """An object a dependency depends on, named by its class name and ID."""

    __tablename__ = "related"
    plural = "related_objects"
    id_parts = ("related_type", "dependency_id", "object_id")
    create = ("related_type", "dependency_id", "object_id")
    related_type = db.Column(db.String, nullable=False)
    dependency_id = reference("dependency")
    dependency = parent(Dependency, "related")

    def validate(self, session):
        """Of the case's ``related_type``, existing, in the relatable's environment; OTO."""
        dependency = self.referenced(session, "dependency_id")
        case = dependency.referenced(session, "dependency_case_id")
        if self.related_type != case.related_type:
            raise RuleError(f"dependency {dependency.id!r} is of case {case.id!r}, whose related "
                            f"objects are {case.related_type} objects, not {self.related_type}",
                            field="related_type")
        target = named_object(session, self.related_type, self.object_id, "related_type")
        relatable = dependency.referenced(session, "relatable_id")
        source = written(session, REGISTRY[resource_named(relatable.relatable_type,
                                                          "relatable_type")],
                         relatable.object_id)
        places = (source.environment_name() if source is not None else None,
                  target.environment_name())
        if None not in places and places[0] != places[1]:
            raise Conflict(f"{relatable.object_id!r} is in environment {places[0]!r} and "
                           f"{self.object_id!r} in {places[1]!r}: a dependency stays inside "
                           f"one environment", field="object_id")
        taken = case.allowed_relationship == "OTO" and another(session, self,
                                                                dependency_id=dependency.id)
        if taken:
            raise Conflict(f"dependency {dependency.id!r} is of an OTO case and already has a "
                           f"related object ({taken!r})", field="dependency_id")
