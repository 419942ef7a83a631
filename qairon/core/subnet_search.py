"""Subnet allocation: pure functions over :mod:`ipaddress` values.

The search is a gap scan: the used subnets of a network are turned into
integer ranges in address order (overlapping or adjacent ranges merged), and
the free gaps between them are walked once, lowest address first.  Candidate
blocks are never enumerated, so a /8 holding 50,000 /24s costs one pass over
50,000 ranges, not a walk over 65,536 candidates.

Nothing here imports Flask or SQLAlchemy; the API views lock the network,
read its subnets in address order, call these functions and write the result.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from qairon.core.text import is_integer

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Range = tuple[int, int]  # first and last address, both inclusive


class AllocationError(ValueError):
    """Base class of the errors raised by subnet allocation."""

    field: str | None = None


class InvalidPrefixError(AllocationError):
    """The requested mask bits or prefix length are impossible for the network."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


class NoFreeBlockError(AllocationError):
    """No aligned block of the requested prefix length is free in the network.

    Carries ``free_addresses`` (how many addresses are free in all) and
    ``largest_free`` (the largest free CIDR block, or ``None`` when full).
    """

    def __init__(self, network: IPNetwork, prefix_length: int,
                 free_addresses: int, largest_free: IPNetwork | None):
        self.network = network
        self.prefix_length = prefix_length
        self.free_addresses = free_addresses
        self.largest_free = largest_free
        largest = str(largest_free) if largest_free is not None else "none"
        super().__init__(
            f"no free /{prefix_length} block in network {network}: "
            f"{free_addresses} addresses free, largest free block {largest}")


@dataclass(frozen=True)
class FreeSpace:
    """The free part of a network as minimal CIDR blocks, plus utilisation."""

    network: IPNetwork
    blocks: list = field(default_factory=list)
    used: int = 0

    @property
    def total(self) -> int:
        """Number of addresses in the network."""
        return self.network.num_addresses

    @property
    def free(self) -> int:
        """Number of addresses not covered by any subnet."""
        return self.total - self.used

    @property
    def percent(self) -> float:
        """Share of the network's addresses used, in percent (4 decimals)."""
        return round(self.used * 100 / self.total, 4)

    @property
    def largest(self) -> IPNetwork | None:
        """The largest free block (lowest address first on a tie), or None."""
        best = None
        for block in self.blocks:
            if best is None or block.prefixlen < best.prefixlen:
                best = block
        return best

    def to_dict(self) -> dict:
        """Plain JSON-ready form; address counts are integers (IPv6 sizes too)."""
        largest = self.largest
        return {
            "cidr": str(self.network),
            "free_blocks": [str(block) for block in self.blocks],
            "largest_free_block": str(largest) if largest is not None else None,
            "used_addresses": self.used,
            "free_addresses": self.free,
            "total_addresses": self.total,
            "percent_used": self.percent,
        }


def _as_int(value, field_name: str) -> int:
    """Return ``value`` as an int; accept decimal strings, refuse bools and floats."""
    if isinstance(value, bool):
        raise InvalidPrefixError(f"{field_name} must be an integer, not {value!r}", field_name)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and is_integer(value.strip()):
        return int(value.strip())
    raise InvalidPrefixError(f"{field_name} must be an integer, not {value!r}", field_name)


def validate_prefix_length(network: IPNetwork, prefix_length, field_name: str = "prefix_length") -> int:
    """Check that a subnet of ``network`` may have ``prefix_length``; return it as int.

    The prefix must be strictly longer than the network's own and no longer
    than the address family allows (32 for IPv4, 128 for IPv6).
    """
    prefix = _as_int(prefix_length, field_name)
    if prefix <= network.prefixlen:
        raise InvalidPrefixError(
            f"{field_name} {prefix} must be longer than the network's /{network.prefixlen}",
            field_name)
    if prefix > network.max_prefixlen:
        raise InvalidPrefixError(
            f"{field_name} {prefix} is longer than IPv{network.version} allows "
            f"(/{network.max_prefixlen})", field_name)
    return prefix


def prefix_from_bits(network: IPNetwork, additional_mask_bits) -> int:
    """Return the prefix length ``network.prefixlen + additional_mask_bits``, checked.

    Zero or negative bits, or bits that make the prefix longer than the
    family allows, raise :class:`InvalidPrefixError` on ``additional_mask_bits``.
    """
    field_name = "additional_mask_bits"
    bits = _as_int(additional_mask_bits, field_name)
    if bits <= 0:
        raise InvalidPrefixError(f"{field_name} must be positive, not {bits}", field_name)
    room = network.max_prefixlen - network.prefixlen
    if bits > room:
        raise InvalidPrefixError(
            f"{field_name} {bits} would make /{network.prefixlen + bits}, longer than "
            f"IPv{network.version} allows (at most {room} bits from /{network.prefixlen})",
            field_name)
    return network.prefixlen + bits


def requested_prefix_length(network: IPNetwork, additional_mask_bits=None, prefix_length=None) -> int:
    """Resolve an allocation request giving exactly one of bits or prefix length."""
    if (additional_mask_bits is None) == (prefix_length is None):
        raise InvalidPrefixError(
            "give exactly one of additional_mask_bits and prefix_length", "additional_mask_bits")
    if additional_mask_bits is not None:
        return prefix_from_bits(network, additional_mask_bits)
    return validate_prefix_length(network, prefix_length)


def network_range(net: IPNetwork) -> Range:
    """Return the first and last address of ``net`` as integers."""
    first = int(net.network_address)
    return first, first + net.num_addresses - 1


def merge_ranges(network: IPNetwork, ranges: Iterable[Range]) -> list[Range]:
    """Clip ``ranges`` to ``network`` and merge overlapping or adjacent ones, in order.

    Input already sorted by first address costs O(n) (Timsort on sorted data).
    """
    low, high = network_range(network)
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if last < low or first > high:
            continue
        first, last = max(first, low), min(last, high)
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(first, last) for first, last in merged]


def _ranges_of(network: IPNetwork, used: Iterable[IPNetwork]) -> list[Range]:
    """Merged integer ranges of the subnets in ``used`` of the network's family."""
    ranges = []
    for net in used:
        if net.version != network.version:
            raise ValueError(f"subnet {net} is not of the same family as network {network}")
        ranges.append(network_range(net))
    return merge_ranges(network, ranges)


def _gaps(network: IPNetwork, merged: list[Range]) -> Iterable[Range]:
    """Yield the free gaps (first, last) of the network between merged used ranges."""
    low, high = network_range(network)
    cursor = low
    for first, last in merged:
        if first > cursor:
            yield cursor, first - 1
        cursor = last + 1
    if cursor <= high:
        yield cursor, high


def find_free_block_in_ranges(network: IPNetwork, ranges: Iterable[Range], prefix_length: int) -> IPNetwork:
    """Like :func:`find_free_block`, over used (first, last) integer ranges."""
    prefix = validate_prefix_length(network, prefix_length)
    merged = merge_ranges(network, ranges)
    size = 1 << (network.max_prefixlen - prefix)
    for first, last in _gaps(network, merged):
        start = -(-first // size) * size  # first aligned address at or after the gap start
        if start + size - 1 <= last:
            return type(network)((start, prefix))
    space = _free_space(network, merged)
    raise NoFreeBlockError(network, prefix, space.free, space.largest)


def find_free_block(network: IPNetwork, used_sorted: Iterable[IPNetwork], prefix_length: int) -> IPNetwork:
    """Return the lowest-addressed aligned /``prefix_length`` in ``network`` overlapping no used subnet.

    ``used_sorted`` are the network's existing subnets, sorted by address
    (unsorted input is accepted and sorted).  Raises
    :class:`InvalidPrefixError` for an impossible prefix and
    :class:`NoFreeBlockError` (with the free amount and the largest free
    block) when nothing fits.
    """
    return find_free_block_in_ranges(network, _ranges_of(network, used_sorted), prefix_length)


def _free_space(network: IPNetwork, merged: list[Range]) -> FreeSpace:
    """Free blocks and usage of the network given its merged used ranges."""
    factory = ipaddress.IPv4Address if network.version == 4 else ipaddress.IPv6Address
    blocks: list[IPNetwork] = []
    for first, last in _gaps(network, merged):
        blocks.extend(ipaddress.summarize_address_range(factory(first), factory(last)))
    used = sum(last - first + 1 for first, last in merged)
    return FreeSpace(network=network, blocks=blocks, used=used)


def free_space_in_ranges(network: IPNetwork, ranges: Iterable[Range]) -> FreeSpace:
    """Like :func:`free_blocks`, over used (first, last) integer ranges."""
    return _free_space(network, merge_ranges(network, ranges))


def free_blocks(network: IPNetwork, used_sorted: Iterable[IPNetwork]) -> FreeSpace:
    """Return the free space of ``network`` as a minimal list of CIDRs plus utilisation.

    ``used_sorted`` are the network's existing subnets sorted by address.  The
    result's ``blocks`` cover exactly the addresses no subnet covers, in
    address order, with the fewest CIDRs; ``used``, ``total`` and
    ``percent`` give the utilisation.
    """
    return _free_space(network, _ranges_of(network, used_sorted))
