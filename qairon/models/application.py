"""What runs: applications, stacks, services and their procs; repos where code
and artifacts live."""
from qairon.extensions import db
from qairon.models.base import NamedType, Resource, link_table, name_column, parent, reference
from qairon.models.declarations import Link, Upstream

service_repo = link_table("service", "repo")


class Application(NamedType):
    """A logical grouping of related functionality."""

    __tablename__ = "application"


class Stack(Resource):
    """An independently deployable unit of an application."""

    __tablename__ = "stack"
    id_parts = ("application_id", "name")
    create = ("application_id", "name")
    application_id = reference("application")
    name = name_column()
    application = parent("Application", "stacks")
    upstream = Upstream(collections=(("configs", "stack_configs"),))


class Service(Resource):
    """A running component of a stack."""

    __tablename__ = "service"
    id_parts = ("stack_id", "name")
    create = ("stack_id", "name")
    links = {"repos": Link(depends_on=True)}
    stack_id = reference("stack")
    name = name_column()
    stack = parent("Stack", "services")
    upstream = Upstream(collections=(("configs", "service_configs"),))
    repos = db.relationship("Repo", secondary=service_repo,
                            backref=db.backref("services", passive_deletes=True),
                            passive_deletes=True)


class Proc(Resource):
    """How a service executes (``web``, ``worker``)."""

    __tablename__ = "proc"
    id_parts = ("service_id", "name")
    create = ("service_id", "name")
    service_id = reference("service")
    name = name_column()
    service = parent("Service", "procs")


class RepoType(NamedType):
    """A kind of repository (``git``, ``ecr``, ``s3``); its defaults apply to its repos."""

    __tablename__ = "repo_type"


class Repo(Resource):
    """Where source or artifacts live: a git repo, a registry, a bucket."""

    __tablename__ = "repo"
    id_parts = ("repo_type_id", "name")
    create = ("repo_type_id", "name")
    type_field = "repo_type_id"
    links = {"services": Link()}
    repo_type_id = reference("repo_type")
    name = name_column()
    url = db.Column(db.String, nullable=True)
    repo_type = parent("RepoType", "repos")
