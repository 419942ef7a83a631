"""Where code runs: environments, provider accounts, regions, zones, partitions,
fleets and deployment targets."""
from qairon.core.errors import Conflict
from qairon.extensions import db
from qairon.models.base import (
    NamedType,
    NativeIdMixin,
    Resource,
    link_table,
    name_column,
    parent,
    reference,
)
from qairon.models.declarations import Action, Link, Moved, Upstream

deployment_target_fleet = link_table("deployment_target", "fleet")


class Environment(NamedType):
    """The top of the infrastructure tree: everything below belongs to one environment."""

    __tablename__ = "environment"


class ProviderType(NamedType):
    """A kind of provider (``aws``, ``gcp``, ``onprem``); its defaults apply to its providers."""

    __tablename__ = "provider_type"


class Provider(NativeIdMixin, Resource):
    """One provider account, in exactly one environment."""

    __tablename__ = "provider"
    id_parts = ("environment_id", "provider_type_id", "native_id")
    create = ("environment_id", "provider_type_id", "native_id")
    environment_field = "id"
    type_field = "provider_type_id"

    environment_id = reference("environment")
    provider_type_id = reference("provider_type")
    native_id = db.Column(db.String, nullable=False)
    environment = parent("Environment", "providers")
    provider_type = parent("ProviderType", "providers")
    __table_args__ = (db.UniqueConstraint("provider_type_id", "native_id"),)

    def validate(self, session):
        """A provider account belongs to one environment only."""
        other = session.query(Provider.id).filter(
            Provider.provider_type_id == self.provider_type_id,
            Provider.native_id == self.native_id,
            Provider.id != self.id).first()
        if other is not None:
            raise Conflict(
                f"native_id: {self.provider_type_id} account {self.native_id!r} already belongs to "
                f"{other.id!r}; an account belongs to one environment (connect environments "
                f"by peering, outside Qairon)", field="native_id")


class Region(NativeIdMixin, Resource):
    """A region of a provider account."""

    __tablename__ = "region"
    id_parts = ("provider_id", "name")
    create = ("provider_id", "name")
    environment_field = "id"
    provider_id = reference("provider")
    name = name_column()
    provider = parent("Provider", "regions")


class Zone(NativeIdMixin, Resource):
    """An availability zone of a region, as the provider names it."""

    __tablename__ = "zone"
    id_parts = ("region_id", "name")
    create = ("region_id", "name")
    environment_field = "id"
    region_id = reference("region")
    name = name_column()
    region = parent("Region", "zones")


class Partition(NativeIdMixin, Resource):
    """A failure domain of a region (availability zone, data centre)."""

    __tablename__ = "partition"
    id_parts = ("region_id", "name")
    create = ("region_id", "name")
    environment_field = "id"
    region_id = reference("region")
    name = name_column()
    region = parent("Region", "partitions")


class FleetType(NamedType):
    """A kind of fleet (``nodegroup``, ``asg``)."""

    __tablename__ = "fleet_type"
    upstream = Upstream(moved=(Moved(
        "provider_type_id", "fleet types are global here, one per name across provider types: "
                            "leave provider_type_id out and the ID is the name"),))


class Fleet(NativeIdMixin, Resource):
    """A group of compute in a partition."""

    __tablename__ = "fleet"
    id_parts = ("partition_id", "fleet_type_id", "name")
    create = ("partition_id", "fleet_type_id", "name")
    environment_field = "id"
    type_field = "fleet_type_id"
    upstream = Upstream(moved=(Moved(
        "deployment_target_id", "fleets live under a partition here and are linked to "
                                "deployment targets (relationship deployment_targets)",
        use="partition_id"),))
    links = {"subnets": Link(isolated=True, depends_on=True),
             "deployment_targets": Link(isolated=True)}
    actions = (*Resource.actions, Action(
        "capacity", "capacity, allocations, available", prints="capacity",
        view="qairon.api.insight_views:fleet_capacity"))
    partition_id = reference("partition")
    fleet_type_id = reference("fleet_type")
    name = name_column()
    partition = parent("Partition", "fleets")
    fleet_type = parent("FleetType", "fleets")


class DeploymentTargetType(NamedType):
    """A kind of deployment target (``eks``, ``ecs``, ``lambda``)."""

    __tablename__ = "deployment_target_type"


class DeploymentTarget(NativeIdMixin, Resource):
    """Where deployments run (a cluster), in a partition, on fleets."""

    __tablename__ = "deployment_target"
    id_parts = ("partition_id", "deployment_target_type_id", "name")
    create = ("partition_id", "deployment_target_type_id", "name")
    environment_field = "id"
    type_field = "deployment_target_type_id"
    links = {"fleets": Link(isolated=True, depends_on=True)}
    actions = (*Resource.actions, Action(
        "capacity", "capacity, allocations, available", prints="capacity",
        view="qairon.api.insight_views:target_capacity"))
    partition_id = reference("partition")
    deployment_target_type_id = reference("deployment_target_type")
    name = name_column()
    partition = parent("Partition", "deployment_targets")
    deployment_target_type = parent("DeploymentTargetType", "deployment_targets")
    fleets = db.relationship("Fleet", secondary=deployment_target_fleet,
                             backref=db.backref("deployment_targets", passive_deletes=True),
                             passive_deletes=True)
