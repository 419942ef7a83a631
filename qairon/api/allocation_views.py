"""Subnet allocation endpoints: ``POST /api/networks/<id>/allocate_subnet`` and
``GET /api/networks/<id>/free``.

An allocation locks *its* network (PostgreSQL: ``SELECT ... FOR UPDATE`` on the
network row; SQLite: a no-op write to the row, which takes the database write
lock as ``BEGIN IMMEDIATE`` would), reads the network's subnets in address
order, runs the pure gap scan of :mod:`qairon.allocation`, and creates the
subnet through the ORM so that the model layer's flush rules still apply.
Allocations in different networks never wait for each other on PostgreSQL.
"""
import ipaddress

from flask import Blueprint, jsonify, request, url_for
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from .. import subnet_exclusion  # noqa: F401  (registers the PostgreSQL constraint DDL)
from ..allocation import (
    InvalidPrefixError,
    NoFreeBlockError,
    find_free_block_in_ranges,
    free_space_in_ranges,
    requested_prefix_length,
)
from ..coerce import assignable
from ..errors import BadRequest, Conflict, NotFound
from ..extensions import db
from ..models.network import Network, Subnet
from ..netaddr import parse_cidr
from ..serialize import to_dict

bp = Blueprint("allocation", __name__, url_prefix="/api")

#: Fields of an allocation request besides the size.
SUBNET_FIELDS = ("name", "native_id", "defaults")
SIZE_FIELDS = ("additional_mask_bits", "prefix_length")
#: How often an allocation is retried when a concurrent explicit-CIDR create wins the block.
RETRIES = 3


#: PostgreSQL: the network's subnets in address order, compressed into runs of
#: adjacent subnets ("islands"): a row where a run starts and/or ends. The
#: window scan runs inside the database, so only the run boundaries travel.
ISLANDS = text("""
SELECT host(cidr) AS first, host(broadcast(cidr)) AS last, starts, ends FROM (
  SELECT cidr, range_start,
    CASE WHEN lag(cidr) OVER w IS NULL THEN true
         ELSE set_masklen(broadcast(lag(cidr) OVER w) + 1, masklen(cidr)) <> cidr::inet
    END AS starts,
    CASE WHEN lead(cidr) OVER w IS NULL THEN true
         ELSE set_masklen(broadcast(cidr) + 1, masklen(lead(cidr) OVER w)) <> (lead(cidr) OVER w)::inet
    END AS ends
  FROM subnet WHERE network_id = :network_id
  WINDOW w AS (ORDER BY range_start)) AS ordered
WHERE starts OR ends ORDER BY range_start""")


def _key_to_int(key):
    """The integer address of a sortable range key ``"<version>:<32 hex digits>"``."""
    return int(key.partition(":")[2], 16)


def _islands(connection, network_id):
    """PostgreSQL: (first, last) ranges of the runs of adjacent subnets, in order.

    The index on (network_id, range_start) already yields address order;
    sorting is disabled for this one statement so the planner streams it
    instead of sorting the rows again.
    """
    connection.exec_driver_sql("SET LOCAL enable_sort = off")
    try:
        rows = connection.execute(ISLANDS, {"network_id": network_id}).all()
    finally:
        connection.exec_driver_sql("SET LOCAL enable_sort = on")
    ranges, first = [], None
    for start, last, starts, ends in rows:
        if starts:
            first = int(ipaddress.ip_address(start))
        if ends:
            ranges.append((first, int(ipaddress.ip_address(last))))
    return ranges


def used_ranges(session, network_id):
    """The (first, last) integer ranges used by a network's subnets, in address order.

    On PostgreSQL adjacent subnets come back already merged (see
    :data:`ISLANDS`); elsewhere every subnet's indexed range keys are read,
    so no per-row address parsing is needed.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _islands(connection, network_id)
    rows = connection.execute(
        select(Subnet.range_start, Subnet.range_end)
        .where(Subnet.network_id == network_id)
        .order_by(Subnet.range_start)).all()
    return [(_key_to_int(start), _key_to_int(end)) for start, end in rows]


def lock_network(session, network_id):
    """Lock one network row for the rest of the transaction and return it, or 404.

    PostgreSQL takes a row lock (``FOR UPDATE``), so only allocations in the
    same network queue behind each other. SQLite has one writer at a time:
    a no-op ``UPDATE`` of the row begins the write transaction before
    anything is read, which is what ``BEGIN IMMEDIATE`` gives.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE network SET id = id WHERE id = :id"), {"id": network_id})
    network = session.execute(
        select(Network).where(Network.id == network_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if network is None:
        raise NotFound(f"network {network_id!r} does not exist", field="network_id")
    return network


def _parse_request(body):
    """Split an allocation body into the size request and the new subnet's fields."""
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object such as "
                         '{"additional_mask_bits": 6, "name": "eks0"}', field="body")
    unknown = sorted(set(body) - set(SUBNET_FIELDS) - set(SIZE_FIELDS))
    if unknown:
        raise BadRequest(f"{unknown[0]!r} is not a field of an allocation; give "
                         f"additional_mask_bits or prefix_length, name, and optionally "
                         f"native_id and defaults", field=unknown[0])
    if body.get("name") is None:
        raise BadRequest("name is required for the allocated subnet", field="name")
    size = {key: body.get(key) for key in SIZE_FIELDS}
    fields = assignable(Subnet, {key: body[key] for key in SUBNET_FIELDS if key in body})
    return size, fields


def _is_exclusion_violation(error):
    """True for PostgreSQL's exclusion_violation (SQLSTATE 23P01)."""
    return getattr(error.orig, "pgcode", None) == "23P01"


def allocate(session, network_id, size, fields):
    """Create the lowest free subnet of the requested size in a network and flush it.

    ``size`` holds ``additional_mask_bits`` or ``prefix_length``; ``fields``
    the new subnet's name and optional ``native_id``/``defaults``. Raises
    :class:`~qairon.errors.ApiError` subclasses: 404 unknown network, 400
    impossible size, 409 no free block or duplicate name. The caller commits.
    """
    for attempt in range(RETRIES):
        network = lock_network(session, network_id)
        outer = parse_cidr(network.cidr)
        try:
            prefix = requested_prefix_length(outer, **size)
            block = find_free_block_in_ranges(outer, used_ranges(session, network_id), prefix)
        except InvalidPrefixError as error:
            raise BadRequest(str(error), field=error.field) from None
        except NoFreeBlockError as error:
            raise Conflict(str(error), field="additional_mask_bits", meta={
                "free_addresses": error.free_addresses,
                "largest_free_block": str(error.largest_free) if error.largest_free else None,
                "prefix_length": error.prefix_length,
            }) from None
        subnet = Subnet(network_id=network_id, cidr=str(block), **fields)
        session.add(subnet)
        try:
            session.flush()
            return subnet
        except IntegrityError as error:
            session.rollback()
            if not _is_exclusion_violation(error) or attempt == RETRIES - 1:
                raise Conflict(f"subnet {block} could not be created in network "
                               f"{network_id!r}: it was taken concurrently",
                               field="cidr") from None
    raise AssertionError("unreachable")


def free_space(session, network_id):
    """The free blocks and utilisation of a network, as a plain dict (404 if unknown)."""
    network = session.get(Network, network_id)
    if network is None:
        raise NotFound(f"network {network_id!r} does not exist", field="network_id")
    outer = parse_cidr(network.cidr)
    space = free_space_in_ranges(outer, used_ranges(session, network_id))
    result = {"network_id": network.id}
    result.update(space.to_dict())
    result["subnet_count"] = session.query(Subnet.id).filter_by(network_id=network_id).count()
    return result


@bp.post("/networks/<path:network_id>/allocate_subnet")
def allocate_subnet(network_id):
    """Allocate the lowest free block as a new subnet; 201 with the subnet object."""
    size, fields = _parse_request(request.get_json(force=True, silent=True))
    subnet = allocate(db.session, network_id, size, fields)
    db.session.commit()
    response = jsonify(to_dict(subnet))
    response.status_code = 201
    response.headers["Location"] = url_for("plain.item", plural=Subnet.plural, rest=subnet.id,
                                           _external=True)
    return response


@bp.get("/networks/<path:network_id>/free")
def free(network_id):
    """The network's free blocks as CIDRs and its utilisation."""
    return jsonify(free_space(db.session, network_id))

