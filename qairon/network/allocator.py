"""Subnet allocation against the database: lock one network, read, search, insert.

An allocation locks *its* network (PostgreSQL: ``SELECT ... FOR UPDATE`` on the
network row; SQLite: a no-op write to the row, which takes the database write
lock as ``BEGIN IMMEDIATE`` would), reads the network's used space in address
order, runs the pure gap scan of :mod:`qairon.core.subnet_search`, and creates the
subnet through the ORM so that the model layer's flush rules still apply.
Allocations in different networks never wait for each other on PostgreSQL.
Only the part of the network above its :mod:`allocation hint
<qairon.network.hint>` is read.
"""
import ipaddress

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from qairon.core.cidr import address_key, key_address, parse_cidr
from qairon.core.errors import BadRequest, Conflict, does_not_exist
from qairon.core.subnet_search import (
    InvalidPrefixError,
    NoFreeBlockError,
    find_free_block_in_ranges,
    free_space_in_ranges,
    merge_ranges,
    network_range,
    requested_prefix_length,
)
from qairon.models.lookup import fetch
from qairon.models.network import Network, Subnet
from qairon.network import hint as hints

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
  FROM subnet WHERE network_id = :network_id AND range_start >= :since
  WINDOW w AS (ORDER BY range_start)) AS ordered
WHERE starts OR ends ORDER BY range_start""")


def _islands(connection, network_id, since):
    """PostgreSQL: (first, last) ranges of the runs of adjacent subnets, in order.

    The index on (network_id, range_start) already yields address order;
    sorting is disabled for this one statement so the planner streams it
    instead of sorting the rows again.
    """
    connection.exec_driver_sql("SET LOCAL enable_sort = off")
    try:
        rows = connection.execute(ISLANDS, {"network_id": network_id, "since": since}).all()
    finally:
        connection.exec_driver_sql("SET LOCAL enable_sort = on")
    ranges, first = [], None
    for start, last, starts, ends in rows:
        if starts:
            first = int(ipaddress.ip_address(start))
        if ends:
            ranges.append((first, int(ipaddress.ip_address(last))))
    return ranges


def used_ranges(session, network_id, since=""):
    """The (first, last) integer ranges used by a network's subnets, in address order.

    ``since`` is a range key: only subnets starting there or above are read.

    On PostgreSQL adjacent subnets come back already merged (see
    :data:`ISLANDS`); elsewhere every subnet's indexed range keys are read,
    so no per-row address parsing is needed.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _islands(connection, network_id, since)
    rows = connection.execute(
        select(Subnet.range_start, Subnet.range_end)
        .where(Subnet.network_id == network_id, Subnet.range_start >= since)
        .order_by(Subnet.range_start)).all()
    return [(key_address(start), key_address(end)) for start, end in rows]


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
        raise does_not_exist(Network.resource, network_id, "network_id")
    return network


def _search_ranges(session, network_id, outer, use_hint=True):
    """Used ranges to search: the hinted full prefix as one range, then the subnets above it.

    Returns ``(ranges, hinted)``; without a usable hint every subnet is read.
    """
    first, last = network_range(outer)
    hint = hints.read(session, network_id) if use_hint else None
    if hint is None or not first < hint <= last + 1:
        return used_ranges(session, network_id), False
    ranges = [(first, hint - 1)]
    if hint <= last:
        ranges += used_ranges(session, network_id, since=address_key(hint, outer.version))
    return ranges, True


def _find(session, network_id, outer, prefix):
    """The lowest free block and the ranges searched; a hinted miss is retried in full."""
    ranges, hinted = _search_ranges(session, network_id, outer)
    try:
        return find_free_block_in_ranges(outer, ranges, prefix), ranges
    except NoFreeBlockError:
        if not hinted:
            raise
    ranges, _ = _search_ranges(session, network_id, outer, use_hint=False)
    return find_free_block_in_ranges(outer, ranges, prefix), ranges


def _full_until(outer, ranges):
    """The first address not covered by the run of used ranges at the network's start."""
    merged = merge_ranges(outer, ranges)
    first = network_range(outer)[0]
    return merged[0][1] + 1 if merged and merged[0][0] == first else first


def _is_exclusion_violation(error):
    """True for PostgreSQL's exclusion_violation (SQLSTATE 23P01)."""
    return getattr(error.orig, "pgcode", None) == "23P01"


def allocate(session, network_id, size, fields):
    """Create the lowest free subnet of the requested size in a network and flush it.

    ``size`` holds ``additional_mask_bits`` or ``prefix_length``; ``fields``
    the new subnet's name and optional ``native_id``/``defaults``. Raises
    :class:`~qairon.core.errors.QaironError` subclasses: 404 unknown network, 400
    impossible size, 409 no free block or duplicate name. The caller commits.
    """
    for attempt in range(RETRIES):
        network = lock_network(session, network_id)
        outer = parse_cidr(network.cidr)
        try:
            prefix = requested_prefix_length(outer, **size)
            block, ranges = _find(session, network_id, outer, prefix)
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
        except IntegrityError as error:
            session.rollback()
            if not _is_exclusion_violation(error) or attempt == RETRIES - 1:
                raise Conflict(f"subnet {block} could not be created in network "
                               f"{network_id!r}: it was taken concurrently",
                               field="cidr") from None
            continue
        hints.write(session, network_id, outer.version,
                    _full_until(outer, [*ranges, network_range(block)]))
        return subnet
    raise AssertionError("unreachable")


def free_space(session, network_id):
    """The free blocks and utilisation of a network, as a plain dict (404 if unknown)."""
    network = fetch(session, Network, network_id, "network_id")
    outer = parse_cidr(network.cidr)
    space = free_space_in_ranges(outer, _search_ranges(session, network_id, outer)[0])
    result = {"network_id": network.id}
    result.update(space.to_dict())
    result["subnet_count"] = session.query(Subnet.id).filter_by(network_id=network_id).count()
    return result


