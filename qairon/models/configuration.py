"""Configuration: languages, templates, and configs attached to stacks,
services and deployments."""
from sqlalchemy.orm import declared_attr

from qairon.extensions import db
from qairon.models.base import (
    GENERATE_VIEWS,
    JSONType,
    NamedType,
    Resource,
    name_column,
    parent,
    reference,
)
from qairon.models.declarations import Action, Arg, Upstream


class Language(NamedType):
    """The language a template is written in (``json``, ``yaml``, ``hcl``)."""

    __tablename__ = "language"


class ConfigTemplate(Resource):
    """A named template text (Jinja2) in a language, and what it generates.

    ``applies_to`` names the resource it renders for, ``selector`` (the query
    filters, ``{"filters": [...]}``) narrows the objects, and ``path`` is the
    output path pattern (itself a template) ``qcli generate`` writes each
    rendering to. See docs/GENERATE.md.
    """

    __tablename__ = "config_template"
    id_parts = ("name",)
    create = ("name", "language_id", "doc")
    name = name_column()
    language_id = reference("language")
    doc = db.Column(db.Text, nullable=False)
    applies_to = db.Column(db.String, nullable=True)
    path = db.Column(db.String, nullable=True)
    selector = db.Column(JSONType, nullable=False, default=dict)
    language = parent("Language", "config_templates")
    actions = Resource.actions + (Action(
        "generate", "render this template for every object it applies to: paths and texts",
        view=f"{GENERATE_VIEWS}:generate", prints="generated", refuses=("conflict", "rule"),
        options=(Arg("object", "only this object (its ID)", send="query", metavar="ID"),)),)

    def validate(self, session):
        """The target resource exists, the selector fits it, the texts compile."""
        from qairon.generate.checks import check_template
        check_template(self)


class OwnedConfig(Resource):
    """A configuration of an owner, rendered from a template, under a tag.

    Subclasses name the owner in ``owner``; the ID is owner:template:name:tag.
    """

    __abstract__ = True
    owner = None
    #: The older client's create omits ``config`` (its own default is ``{}``): an empty
    #: JSON document, a config that sets nothing over its template yet.
    upstream = Upstream(relations=(("template", "config_template"),), fill=(("config", "{}"),))

    @declared_attr
    def config_template_id(cls):
        return reference("config_template")

    @declared_attr
    def config_template(cls):
        return parent("ConfigTemplate", cls.__tablename__ + "s")

    name = name_column()
    config = db.Column(db.Text, nullable=False)
    tag = db.Column(db.String, nullable=False, default="default")

    def __init_subclass__(cls, **kw):
        owner_field = f"{cls.owner}_id"
        cls.id_parts = (owner_field, "config_template_id", "name", "tag")
        cls.create = (owner_field, "config_template_id", "name", "config")
        super().__init_subclass__(**kw)


class StackConfig(OwnedConfig):
    """A configuration of a stack."""

    __tablename__ = "stack_config"
    owner = "stack"
    stack_id = reference("stack")
    stack = parent("Stack", "stack_configs")


class ServiceConfig(OwnedConfig):
    """A configuration of a service."""

    __tablename__ = "service_config"
    owner = "service"
    service_id = reference("service")
    service = parent("Service", "service_configs")


class DeploymentConfig(OwnedConfig):
    """A configuration of a deployment."""

    __tablename__ = "deployment_config"
    owner = "deployment"
    deployment_id = reference("deployment")
    deployment = parent("Deployment", "deployment_configs")
