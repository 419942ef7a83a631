"""Networks and their subnets, with the rule that subnets nest and never overlap."""
from sqlalchemy import inspect, or_
from sqlalchemy.dialects import postgresql

from qairon.core.cidr import parse_cidr, range_keys
from qairon.core.errors import Conflict, RuleError
from qairon.extensions import db
from qairon.models.base import NativeIdMixin, Resource, link_table, name_column, parent, reference
from qairon.models.declarations import Action, Arg, Link

VIEWS = "qairon.api.network_views"

CIDRType = db.String().with_variant(postgresql.CIDR(), "postgresql")
subnet_fleet = link_table("subnet", "fleet")


class Network(NativeIdMixin, Resource):
    """An address space (VPC) in a partition."""

    __tablename__ = "network"
    id_parts = ("partition_id", "name")
    create = ("partition_id", "name", "cidr")
    environment_field = "id"
    actions = (
        Action("allocate_subnet", "allocate the first free subnet; prints its ID",
               view=f"{VIEWS}:allocate_subnet", method="POST", prints="written", allocates=True,
               args=(Arg("additional_mask_bits", "bits added to the network's prefix length",
                         type="integer"),
                     Arg("name", "name of the new subnet")),
               options=(Arg("native_id", "native_id of the new subnet"),
                        Arg("defaults", "defaults of the new subnet as JSON text", type="json"))),
        Action("free", "free blocks and utilisation of a network", view=f"{VIEWS}:free"),
        *Resource.actions)
    partition_id = reference("partition")
    name = name_column()
    cidr = db.Column(CIDRType, nullable=False)
    partition = parent("Partition", "networks")

    def validate(self, session):
        """The CIDR parses; a change may not leave a subnet outside it."""
        network = parse_cidr(self.cidr)
        self.cidr = str(network)
        if not inspect(self).attrs.cidr.history.deleted:
            return
        start, end = range_keys(network)
        outside = session.query(Subnet.id).filter(
            Subnet.network_id == self.id,
            or_(Subnet.range_start < start, Subnet.range_end > end)).first()
        if outside is not None:
            raise RuleError(f"cidr {self.cidr!r} would leave subnet {outside.id!r} outside "
                            f"network {self.id!r}", field="cidr")


class Subnet(NativeIdMixin, Resource):
    """A block of a network's address space; subnets of one network never overlap."""

    __tablename__ = "subnet"
    id_parts = ("network_id", "name")
    create = ("network_id", "name", "cidr")
    environment_field = "id"
    hidden = ("range_start", "range_end")
    links = {"fleets": Link(isolated=True)}
    network_id = reference("network")
    name = name_column()
    cidr = db.Column(CIDRType, nullable=False)
    range_start = db.Column(db.String(40), nullable=False)
    range_end = db.Column(db.String(40), nullable=False)
    network = parent("Network", "subnets")
    fleets = db.relationship("Fleet", secondary=subnet_fleet,
                             backref=db.backref("subnets", passive_deletes=True),
                             passive_deletes=True)
    __table_args__ = (db.Index("ix_subnet_network_range", "network_id", "range_start"),)

    def validate(self, session):
        """Inside its network, overlapping no sibling."""
        subnet = parse_cidr(self.cidr)
        self.cidr = str(subnet)
        self.range_start, self.range_end = range_keys(subnet)
        network = self.referenced(session, "network_id")
        outer = parse_cidr(network.cidr)
        if subnet.version != outer.version or not subnet.subnet_of(outer):
            raise RuleError(f"cidr {self.cidr!r} is not inside network {network.id!r} "
                            f"({network.cidr})", field="cidr")
        # Siblings never overlap, so the only candidate is the one starting last
        # at or before our end: one index probe, however many siblings there are.
        clash = session.query(Subnet.id, Subnet.cidr, Subnet.range_end).filter(
            Subnet.network_id == self.network_id, Subnet.id != self.id,
            Subnet.range_start <= self.range_end).order_by(Subnet.range_start.desc()).first()
        if clash is not None and clash.range_end >= self.range_start:
            raise Conflict(f"cidr {self.cidr!r} overlaps subnet {clash.id!r} ({clash.cidr}) "
                           f"of network {network.id!r}", field="cidr")
