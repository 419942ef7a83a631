"""How it got there: builds, artifacts, deployments, releases and their procs."""
from sqlalchemy import literal, select
from sqlalchemy.orm import relationship

from qairon.core.errors import RuleError
from qairon.core.ids import Last
from qairon.extensions import db
from qairon.models.base import REGISTRY, NativeIdMixin, Resource, link_table, name_column, parent, reference
from qairon.models.declarations import Action, Link, Upstream

VIEWS = "qairon.api.insight_views"
LINEAGE = Action("lineage", "back to the build and commit", view=f"{VIEWS}:lineage",
                 prints="walk")

deployment_zone = link_table("deployment", "zone")


def service_of(session, owner, field):
    """The ``service_id`` of the object ``owner.field`` points at, as a scalar subquery (two
    of them make one statement), or as a value when that object is new in this same write."""
    new = owner.new_reference(session, field)
    if new is not None:
        return literal(new.service_id, db.String)
    cls = REGISTRY[owner.references()[field]]
    return select(cls.service_id).where(cls.id == getattr(owner, field)).scalar_subquery()


class Build(Resource):
    """One CI build of a service, at a commit."""

    __tablename__ = "build"
    scoped_writable = True
    id_parts = ("service_id", "build_num")
    create = ("service_id", "build_num", "vcs_ref")
    service_id = reference("service")
    build_num = name_column()
    vcs_ref = db.Column(db.String, nullable=False)
    service = parent("Service", "builds")


class BuildArtifact(Resource):
    """An output of a build, with the repo it came from and the repo it was published to."""

    __tablename__ = "build_artifact"
    scoped_writable = True
    id_parts = ("build_id", "name")
    create = ("build_id", "input_repo_id", "output_repo_id", "name", "upload_path")
    upstream = Upstream(fields=(("data", "defaults"),))
    actions = (*Resource.actions, LINEAGE)
    build_id = reference("build")
    input_repo_id = reference("repo")
    output_repo_id = reference("repo")
    name = name_column()
    upload_path = db.Column(db.String, nullable=False)
    build = parent("Build", "build_artifacts")
    input_repo = parent("Repo", "input_build_artifacts", foreign_key=[input_repo_id])
    output_repo = parent("Repo", "build_artifacts", foreign_key=[output_repo_id])


class Deployment(NativeIdMixin, Resource):
    """A service placed on a deployment target, under a tag."""

    __tablename__ = "deployment"
    id_parts = ("deployment_target_id", "service_id", "tag")
    create = ("deployment_target_id", "service_id")
    batch_checked = True
    environment_field = "deployment_target_id"
    links = {"zones": Link(isolated=True, depends_on=True)}
    embedded = {"current_release": ("release_artifacts",)}
    actions = (*Resource.actions,
               Action("neighbours", "the other deployments on its target", prints="walk",
                      view=f"{VIEWS}:neighbours"),
               Action("provenance", "release, artifacts, repos, build and commit",
                      prints="walk", view=f"{VIEWS}:provenance_of"))
    deployment_target_id = reference("deployment_target")
    service_id = reference("service")
    tag = db.Column(db.String, nullable=False, default="default")
    current_release_id = reference("release", nullable=True, use_alter=True)
    deployment_target = parent("DeploymentTarget", "deployments")
    service = parent("Service", "deployments")
    current_release = relationship("Release", foreign_keys=[current_release_id],
                                   post_update=True)
    zones = db.relationship("Zone", secondary=deployment_zone,
                            backref=db.backref("deployments", passive_deletes=True),
                            passive_deletes=True)
    upstream = Upstream(collections=(("configs", "deployment_configs"),))

    def validate(self, session):
        """The current release must be one of this deployment's releases."""
        if self.current_release_id is None:
            return
        release = self.referenced(session, "current_release_id")
        if release.deployment_id != self.id:
            raise RuleError(f"current_release_id {self.current_release_id!r} is a release of "
                            f"deployment {release.deployment_id!r}, not of {self.id!r}",
                            field="current_release_id")


class Release(Resource):
    """A build released to one deployment by a release job."""

    __tablename__ = "release"
    id_parts = ("deployment_id", "build_num")
    create = ("build_id", "deployment_id", "build_num")
    batch_checked = True
    build_id = reference("build")
    deployment_id = reference("deployment")
    build_num = name_column()
    build = parent("Build", "releases")
    deployment = parent("Deployment", "releases", foreign_key=[deployment_id])

    def validate(self, session):
        """A release ships a build of the deployment's own service."""
        built, runs = session.execute(select(service_of(session, self, "build_id"),
                                             service_of(session, self, "deployment_id"))).one()
        if built != runs:
            raise RuleError(f"build_id {self.build_id!r} is a build of {built!r}, "
                            f"but deployment {self.deployment_id!r} runs {runs!r}",
                            field="build_id")


class ReleaseArtifact(Resource):
    """A deployable package of a release (chart, bundle) and where it was published."""

    __tablename__ = "release_artifact"
    id_parts = ("release_id", "name")
    create = ("release_id", "input_repo_id", "output_repo_id", "name", "upload_path")
    upstream = Upstream(fields=(("data", "defaults"),))
    actions = (*Resource.actions, LINEAGE)
    release_id = reference("release")
    input_repo_id = reference("repo")
    output_repo_id = reference("repo")
    name = name_column()
    upload_path = db.Column(db.String, nullable=False)
    release = parent("Release", "release_artifacts")
    input_repo = parent("Repo", "input_release_artifacts", foreign_key=[input_repo_id])
    output_repo = parent("Repo", "release_artifacts", foreign_key=[output_repo_id])


class DeploymentProc(Resource):
    """A proc of the deployment's service, run by that deployment."""

    __tablename__ = "deployment_proc"
    id_parts = ("deployment_id", Last("proc_id"))
    create = ("deployment_id", "proc_id")
    batch_checked = True
    deployment_id = reference("deployment")
    proc_id = reference("proc")
    deployment = parent("Deployment", "deployment_procs")
    proc = parent("Proc", "deployment_procs")

    def validate(self, session):
        """The proc belongs to the deployment's service."""
        owner, runs = session.execute(select(service_of(session, self, "proc_id"),
                                             service_of(session, self, "deployment_id"))).one()
        if owner != runs:
            raise RuleError(f"proc_id {self.proc_id!r} belongs to service {owner!r}, "
                            f"but deployment {self.deployment_id!r} runs {runs!r}",
                            field="proc_id")
