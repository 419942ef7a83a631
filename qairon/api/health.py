"""Liveness, readiness and the resource schema qcli is generated from."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from qairon.api.schema import schema_document
from qairon.extensions import db
from qairon.identity.authn import public
from qairon.ops import draining
from qairon.replicas import describe as describe_replicas
from qairon.transient import Transient

bp = Blueprint("health", __name__)


@bp.get("/up")
@public
def up():
    """The process is serving."""
    return jsonify({"status": "ok"})


@bp.get("/ready")
@public
def ready():
    """The database answers and the worker is not draining (then 503: send no more)."""
    if draining.active():
        response = jsonify({"status": "draining", "detail": "the server is stopping"})
        response.status_code = 503
        return response
    try:
        db.session.execute(text("SELECT 1"))
    except Transient:
        raise  # a dropped pooled connection: the request runs again on a fresh one
    except Exception:  # noqa: BLE001 - any other failure means not ready
        response = jsonify({"status": "unavailable", "detail": "the database does not answer"})
        response.status_code = 503
        return response
    answer = {"status": "ok"}
    replicas = describe_replicas()
    if replicas is not None:
        answer["replicas"] = replicas  # out of rotation is not unready: the primary serves
    return jsonify(answer)


@bp.get("/api/schema")
def schema():
    """Resources, their create fields, options, fields and relations."""
    return jsonify(schema_document())
