"""The resources of the ``dependencies`` plugin: dependency types and dependency edges.

A :class:`DependencyType` declares one kind of edge: the resource it goes
from, the resource it goes to, and its cardinality. A :class:`Dependency` is
one edge of a type: ``source`` depends on ``target`` (both object IDs of the
type's resources). Its ID is ``<source>:<type>:<target>``.
"""
from sqlalchemy import select

from qairon.core.errors import BadRequest, Conflict, RuleError
from qairon.extensions import db
from qairon.models.base import REGISTRY, NamedType, Resource, parent, reference
from qairon.models.lookup import another, missing, written

#: cardinality -> (each target has at most one source, each source at most one target)
CARDINALITIES = {"many-to-many": (False, False), "one-to-many": (True, False),
                 "many-to-one": (False, True), "one-to-one": (True, True)}


class DependencyType(NamedType):
    """A kind of dependency: ``source_resource`` depends on ``target_resource``.

    ``cardinality``: ``many-to-many`` (default), ``one-to-many`` (a target has
    one source at most), ``many-to-one`` (a source has one target at most) or
    ``one-to-one``.
    """

    __tablename__ = "dependency_type"
    create = ("name", "source_resource", "target_resource")
    source_resource = db.Column(db.String, nullable=False)
    target_resource = db.Column(db.String, nullable=False)
    cardinality = db.Column(db.String, nullable=False, default="many-to-many")

    def validate(self, session):
        """The resources are registered ones, the cardinality is known, used types keep them."""
        if self.cardinality is None:
            self.cardinality = "many-to-many"
        for field in ("source_resource", "target_resource"):
            if getattr(self, field) not in REGISTRY:
                raise RuleError(f"{field} {getattr(self, field)!r} is not a resource; "
                                f"resources: {', '.join(sorted(REGISTRY))}", field=field)
        if self.cardinality not in CARDINALITIES:
            raise BadRequest(f"cardinality {self.cardinality!r} must be one of "
                             f"{', '.join(CARDINALITIES)}", field="cardinality")
        if self.id and session.execute(select(Dependency.id).where(
                Dependency.dependency_type_id == self.id).limit(1)).first():
            old = committed(session, self)
            for field in ("source_resource", "target_resource", "cardinality"):
                if old.get(field) not in (None, getattr(self, field)):
                    raise Conflict(f"{field} of dependency type {self.id!r} cannot change while "
                                   f"dependencies of that type exist", field=field)


def committed(session, obj):
    """The values ``obj`` was loaded with (empty for a new object)."""
    from qairon.pipeline.changes import committed_values
    return committed_values(obj) if obj in session.dirty else {}


class Dependency(Resource):
    """``source`` depends on ``target``, an edge of a :class:`DependencyType`.

    Checked by the rules: both ends exist as objects of the type's resources,
    they differ, they live in one environment when both have one, and the
    type's cardinality holds. Deleting an end is refused while the edge exists.
    """

    __tablename__ = "dependency"
    plural = "dependencies"
    id_parts = ("source", "dependency_type_id", "target")
    create = ("dependency_type_id", "source", "target")
    dependency_type_id = reference("dependency_type")
    dependency_type = parent(DependencyType, "dependencies")
    source = db.Column(db.String, nullable=False, index=True)
    target = db.Column(db.String, nullable=False, index=True)

    @classmethod
    def name_fields(cls):
        """No name parts: ``source`` and ``target`` are object IDs, checked by :meth:`validate`."""
        return ()

    def validate(self, session):
        """Both ends exist and differ, one environment, and the type's cardinality."""
        kind = self.referenced(session, "dependency_type_id")
        ends = {}
        for field, resource in (("source", kind.source_resource),
                                ("target", kind.target_resource)):
            cls = REGISTRY.get(resource)
            if cls is None:
                raise RuleError(f"dependency type {kind.id!r} names {resource!r}, which is not "
                                f"a resource (is its plugin enabled?)", field=field)
            value = getattr(self, field)
            ends[field] = written(session, cls, value)
            if ends[field] is None:
                error = missing(session, cls, value, field)
                raise RuleError(error.detail, field=field)
        if kind.source_resource == kind.target_resource and self.source == self.target:
            raise RuleError(f"{kind.source_resource} {self.source!r} cannot depend on itself",
                            field="target")
        environments = {f: o.environment_name() for f, o in ends.items()}
        if None not in environments.values() and len(set(environments.values())) > 1:
            raise Conflict(f"{self.source!r} is in environment {environments['source']!r} and "
                           f"{self.target!r} in {environments['target']!r}: a dependency stays "
                           f"inside one environment", field="target")
        self._check_cardinality(session, kind)

    def _check_cardinality(self, session, kind):
        one_source, one_target = CARDINALITIES[kind.cardinality]
        for field, limited, other in (("target", one_source, "source"),
                                      ("source", one_target, "target")):
            if not limited:
                continue
            taken = another(session, self, dependency_type_id=kind.id,
                            **{field: getattr(self, field)})
            if taken:
                raise Conflict(f"dependency type {kind.id!r} is {kind.cardinality}: "
                               f"{getattr(self, field)!r} already has a {other} "
                               f"({taken!r})", field=field)
