"""CIDR parsing and the sortable address keys stored beside every subnet.

Pure functions over :mod:`ipaddress` values; no database here.
"""
import ipaddress

from qairon.core.errors import BadRequest


def parse_cidr(value, field="cidr"):
    """Parse an IPv4 or IPv6 network; host bits set is an error naming the network meant."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{field} is required: an IPv4 or IPv6 network such as 10.0.0.0/16",
                         field=field)
    text = value.strip()
    if "/" not in text:
        raise BadRequest(f"{field} {value!r} needs a prefix length, e.g. {text}/24", field=field)
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        try:
            meant = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise BadRequest(f"{field} {value!r} is not a valid IPv4 or IPv6 network ({exc})",
                             field=field) from None
        raise BadRequest(f"{field} {value!r} has host bits set; did you mean {meant}?",
                         field=field) from None


def address_key(address, version):
    """A fixed-width hex text that sorts like the address (32 digits for both families)."""
    return f"{version}:{int(address):032x}"


def key_address(key):
    """The integer address of a range key made by :func:`address_key` (``"4:0a00..."``)."""
    return int(key.partition(":")[2], 16)


def range_keys(network):
    """The (first, last) sortable keys of a network's address range."""
    return (address_key(network.network_address, network.version),
            address_key(network.broadcast_address, network.version))
