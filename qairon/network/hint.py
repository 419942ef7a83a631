"""How far each network is known to be full, so an allocation scans only the rest.

``allocation_hint.full_until`` is the range key of an address such that every
address of the network below it is covered by subnets. The allocator reads
only the subnets from there on, which turns "find the first free /24 after
50,000 packed /24s" into an index range scan over a handful of rows. The
allocator moves the hint forward under its network lock; any write that
deletes a subnet, moves one, or changes a network's CIDR forgets the hint of
that network (a ``derive`` hook of the write pipeline; deleting a network
drops it by the foreign key's cascade).

The hint only narrows the search: a stale one (left by a raw SQL delete)
can make an allocation skip a hole below it, never overlap, and it is
dropped and the search repeated whole before any "no free block" answer.
"""
from sqlalchemy import delete, insert, select, update

from qairon.core.cidr import address_key, key_address
from qairon.extensions import db
from qairon.models.network import Network, Subnet
from qairon.pipeline.hooks import add_hook

allocation_hint = db.Table(
    "allocation_hint",
    db.Column("network_id", db.String, db.ForeignKey("network.id", ondelete="CASCADE"),
              primary_key=True),
    db.Column("full_until", db.String(40), nullable=False),
)


def read(session, network_id):
    """The address (int) below which the network is known to be full, or None."""
    key = session.execute(select(allocation_hint.c.full_until)
                          .where(allocation_hint.c.network_id == network_id)).scalar()
    return key_address(key) if key else None


def write(session, network_id, version, address):
    """Record that the network is full below ``address`` (an int of IP ``version``)."""
    key = address_key(address, version)
    changed = session.execute(update(allocation_hint)
                              .where(allocation_hint.c.network_id == network_id)
                              .values(full_until=key)).rowcount
    if not changed:
        session.execute(insert(allocation_hint).values(network_id=network_id, full_until=key))


def forget(session, network_ids):
    """Drop the hints of ``network_ids`` (their subnets changed in a way that may free space)."""
    if network_ids:
        session.execute(delete(allocation_hint)
                        .where(allocation_hint.c.network_id.in_(sorted(network_ids))))


def forget_on_change(session, changes):
    """``derive`` hook: forget the hint of every network whose free space may grow."""
    networks = set()
    for change in changes:
        if change.resource == Subnet.resource and change.operation in ("update", "delete"):
            moved = {change.before.get("network_id")}
            if change.operation == "update" and {"cidr", "network_id"} & set(
                    change.changed_fields):
                moved.add(change.after.get("network_id"))
            elif change.operation == "update":
                continue
            networks.update(n for n in moved if n)
        elif change.resource == Network.resource and change.operation == "update" \
                and "cidr" in change.changed_fields:
            networks.add(change.id)
    forget(session, networks)


def init_app(app):
    """Keep the hints in step with every write, as a ``derive`` hook of the pipeline."""
    add_hook(app, "derive", forget_on_change)
