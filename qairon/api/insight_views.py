"""Traceability, effective defaults and capacity, each answered by one request.

    GET /api/<plural>/<id>/trace                 what it stands on, up to the roots
    GET /api/<plural>/<id>/impact[?depth=N]      what depends on it, transitively
    GET /api/deployments/<id>/neighbours         the other deployments on its target
    GET /api/deployments/<id>/provenance         release, artifacts, repos, build, commit
    GET /api/build_artifacts/<id>/lineage        back to the build and commit
    GET /api/release_artifacts/<id>/lineage      ... and the release and deployment
    GET /api/<plural>/<id>/defaults[?effective=true[&explain=true]]
    GET /api/fleets/<id>/capacity, /api/deployment_targets/<id>/capacity
    GET /api/capacity/report[?environment=prod]

The routes carry a static suffix, so they win over the plain face's
``/api/<plural>/<path:rest>``; IDs may contain any number of ``:``.
"""
from flask import Blueprint, jsonify, request
from sqlalchemy import select

from qairon.api.params import query_flag
from qairon.api.plain import model_for
from qairon.core.errors import BadRequest, NotFound
from qairon.extensions import db
from qairon.insight import capacity, defaults, provenance, walks
from qairon.models import REGISTRY

bp = Blueprint("insight", __name__, url_prefix="/api")


def existing(plural, object_id):
    """The resource name served at ``plural``, once ``object_id`` is known to exist."""
    cls = model_for(plural)
    if db.session.execute(select(cls.id).where(cls.id == object_id)).first() is None:
        raise NotFound(f"{cls.resource} {object_id!r} does not exist", field="id")
    return cls.resource


def only(plural, resource):
    """Refuse a walk on a resource it does not apply to."""
    if plural != REGISTRY[resource].plural:
        model_for(plural)
        raise NotFound(f"this walk is served at /api/{REGISTRY[resource].plural}/<id>/...",
                       field="resource")


@bp.get("/<plural>/<path:object_id>/trace")
def trace_view(plural, object_id):
    return jsonify(walks.trace_walk(existing(plural, object_id), object_id))


@bp.get("/<plural>/<path:object_id>/impact")
def impact_view(plural, object_id):
    depth = request.args.get("depth")
    if depth is not None:
        if not depth.isdigit() or int(depth) < 1:
            raise BadRequest(f"depth {depth!r} must be a positive integer", field="depth")
        depth = int(depth)
    return jsonify(walks.impact_walk(existing(plural, object_id), object_id, depth))


@bp.get("/<plural>/<path:object_id>/neighbours")
def neighbours_view(plural, object_id):
    only(plural, "deployment")
    return jsonify(provenance.neighbours(object_id))


@bp.get("/<plural>/<path:object_id>/provenance")
def provenance_view(plural, object_id):
    only(plural, "deployment")
    return jsonify(provenance.provenance(object_id))


@bp.get("/<plural>/<path:object_id>/lineage")
def lineage_view(plural, object_id):
    cls = model_for(plural)
    if cls.resource not in provenance.LINEAGE:
        raise NotFound("lineage is served at /api/build_artifacts/<id>/lineage and "
                       "/api/release_artifacts/<id>/lineage", field="resource")
    return jsonify(provenance.lineage(cls.resource, object_id))


@bp.get("/<plural>/<path:object_id>/defaults")
def defaults_view(plural, object_id):
    resource = model_for(plural).resource
    explain = query_flag("explain")
    if query_flag("effective") or explain:
        return jsonify(defaults.effective(resource, object_id, with_explain=explain))
    return jsonify(defaults.own(resource, object_id))


@bp.get("/<plural>/<path:object_id>/capacity")
def capacity_view(plural, object_id):
    cls = model_for(plural)
    if cls.resource == "fleet":
        return jsonify(capacity.fleet_capacity(object_id))
    if cls.resource == "deployment_target":
        return jsonify(capacity.target_capacity(object_id))
    raise NotFound("capacity is served at /api/fleets/<id>/capacity and "
                   "/api/deployment_targets/<id>/capacity", field="resource")


@bp.get("/capacity/report")
def capacity_report_view():
    environment = request.args.get("environment") or None
    return jsonify(capacity.report(environment))
