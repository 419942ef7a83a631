"""The address map of a network: its subnets and free blocks as bands of one bar.

Pure geometry over CIDR text, drawn by a template as SVG: each block's
offset and width are proportional to its addresses (a block too small to see
still gets a sliver), used blocks link to their subnet.
"""
import ipaddress

WIDTH = 900
MIN_WIDTH = 2


def bands(network_cidr, subnets, free_blocks, width=WIDTH):
    """``[{"x", "w", "cidr", "resource", "id" (None when free), "addresses"}]`` ordered by
    address; ``subnets`` are ``(resource, id, cidr)``, ``free_blocks`` CIDR texts."""
    outer = ipaddress.ip_network(network_cidr, strict=False)
    start, size = int(outer.network_address), outer.num_addresses
    blocks = [(ipaddress.ip_network(c, strict=False), (r, i)) for r, i, c in subnets]
    blocks += [(ipaddress.ip_network(c, strict=False), (None, None)) for c in free_blocks]
    out = []
    for block, (resource, object_id) in sorted(blocks, key=lambda b: int(b[0].network_address)):
        offset = int(block.network_address) - start
        out.append({"x": round(offset * width / size, 2),
                    "w": max(round(block.num_addresses * width / size, 2), MIN_WIDTH),
                    "cidr": str(block), "resource": resource, "id": object_id,
                    "addresses": block.num_addresses})
    return out
