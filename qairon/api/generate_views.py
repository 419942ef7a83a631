"""Config generation and reconciliation over HTTP (docs/GENERATE.md).

    GET  /api/<plural>/<id>/render?template=<id>         one template for one object
    GET  /api/config_templates/<id>/generate[?object=ID]  every object it applies to
    POST /api/<plural>/<id>/recon                        {"actual": ..., "vars": {...}}
         [?actual_key=K&qairon_key=K&field_key=K&match=a,b&reduced=true]
    GET  /api/drift[?environment=prod&all=true]          what is out of sync

The item routes are declared on the models (``actions``) and registered by
:mod:`qairon.api.actions`; ``/api/drift`` is this module's blueprint.
"""
from flask import Blueprint, jsonify, request

from qairon.api.body import json_body
from qairon.api.params import query_flag
from qairon.core.errors import BadRequest
from qairon.extensions import db
from qairon.generate.generation import generate_all, render_one
from qairon.models.lookup import require
from qairon.reconcile.drift import drift_list
from qairon.reconcile.service import reconcile

bp = Blueprint("generate", __name__, url_prefix="/api")


def render(cls, object_id):
    """``?template=<id>`` rendered for the object: ``{template, resource, id, path, text}``."""
    require(db.session, cls, object_id)
    template_id = request.args.get("template")
    if not template_id:
        raise BadRequest("give the config_template to render as ?template=<id>",
                         field="template")
    return jsonify(render_one(db.session, cls, object_id, template_id))


def generate(cls, template_id):
    """Every rendering of the template, sorted by path (``?object=ID``: that object's only)."""
    return jsonify(generate_all(db.session, template_id, request.args.get("object") or None))


def recon(cls, object_id):
    """Reconcile the object with the actual state in the body; store and return the report."""
    require(db.session, cls, object_id)
    body = json_body()
    if not isinstance(body, dict) or "actual" not in body:
        raise BadRequest('send {"actual": <the actual state as JSON>} (and optionally "vars")',
                         field="actual")
    unknown = sorted(set(body) - {"actual", "vars"})
    if unknown:
        raise BadRequest(f"{unknown[0]!r} is not part of a recon request; give actual and "
                         f"vars", field=unknown[0])
    extra = body.get("vars", {})
    if extra is None:
        extra = {}
    if not isinstance(extra, dict):
        raise BadRequest("vars must be an object of jq variables", field="vars")
    options = {name: request.args.get(name) for name in
               ("actual_key", "qairon_key", "field_key", "match")}
    options.update(reduced=query_flag("reduced"), vars=extra)
    report = reconcile(db.session, cls, object_id, body["actual"], options)
    db.session.commit()
    return jsonify(report)


@bp.get("/drift")
def drift():
    """Objects whose latest recon found drift (``?environment=``; ``?all=true``: every result)."""
    return jsonify(drift_list(db.session, request.args.get("environment") or None,
                              query_flag("all")))
