"""Subnet allocation: ``POST /api/networks/<id>/allocate_subnet`` and
``GET /api/networks/<id>/free``, declared as actions of :class:`~qairon.models.network.Network`
and routed by :mod:`qairon.api.actions`; the work is done by :mod:`qairon.network.allocator`.
"""
from flask import jsonify, url_for

from qairon.api.body import json_body
from qairon.api.serialize import to_dict
from qairon.core.errors import BadRequest
from qairon.extensions import db
from qairon.models.network import Subnet
from qairon.network.allocator import allocate, free_space
from qairon.pipeline.shape import assignable

#: Fields of an allocation request besides the size.
SUBNET_FIELDS = ("name", "native_id", "defaults")
SIZE_FIELDS = ("additional_mask_bits", "prefix_length")


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


def allocate_subnet(cls, network_id):
    """Allocate the lowest free block as a new subnet; 201 with the subnet object."""
    size, fields = _parse_request(json_body())
    subnet = allocate(db.session, network_id, size, fields)
    db.session.commit()
    response = jsonify(to_dict(subnet))
    response.status_code = 201
    response.headers["Location"] = url_for("plain.item", plural=Subnet.plural, rest=subnet.id,
                                           _external=True)
    return response


def free(cls, network_id):
    """The network's free blocks as CIDRs and its utilisation."""
    return jsonify(free_space(db.session, network_id))
