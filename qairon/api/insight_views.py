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

Which resource has which is declared on the model classes (``actions``); the
routes are registered from those declarations by :mod:`qairon.api.actions`,
which calls these views with the resource class and the object ID.
"""
from flask import jsonify, request

from qairon.api.params import query_flag, query_int
from qairon.extensions import db
from qairon.insight import capacity, provenance, walks
from qairon.insight import defaults as merged
from qairon.models.lookup import require


def trace(cls, object_id):
    """What an object stands on, up to the roots."""
    require(db.session, cls, object_id)
    return jsonify(walks.trace_walk(cls.resource, object_id))


def impact(cls, object_id):
    """What depends on an object, transitively (``?depth=N`` levels at most)."""
    depth = query_int("depth", None, low=1)
    require(db.session, cls, object_id)
    return jsonify(walks.impact_walk(cls.resource, object_id, depth))


def neighbours(cls, object_id):
    """The other deployments on the same target."""
    return jsonify(provenance.neighbours(object_id))


def provenance_of(cls, object_id):
    """A deployment's release, artifacts, repos, build and commit."""
    return jsonify(provenance.provenance(object_id))


def lineage(cls, object_id):
    """An artifact back to its build and commit."""
    return jsonify(provenance.lineage(cls.resource, object_id))


def defaults(cls, object_id):
    """Own defaults, or merged ones with ``?effective=true`` (``&explain=true``: sources)."""
    explain = query_flag("explain")
    if query_flag("effective") or explain:
        return jsonify(merged.effective(cls.resource, object_id, with_explain=explain))
    return jsonify(merged.own(cls.resource, object_id))


def fleet_capacity(cls, object_id):
    """A fleet's capacity, allocations and availability."""
    return jsonify(capacity.fleet_capacity(object_id))


def target_capacity(cls, object_id):
    """A deployment target's fleets' capacity and its own share."""
    return jsonify(capacity.target_capacity(object_id))


def capacity_report(cls):
    """Every fleet (``?environment=``) with its utilisation, worst first."""
    return jsonify(capacity.report(request.args.get("environment") or None))
