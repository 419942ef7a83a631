"""``/metrics``: the Prometheus text of every worker (under the token rules of QAIRON_AUTH)."""
from flask import Blueprint, Response, current_app

from qairon.extensions import db
from qairon.ops.counting import count_objects, sample_pool
from qairon.ops.metrics import exposition
from qairon.replicas import replicas_of

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def scrape():
    """The metrics in Prometheus text format; objects are recounted when their count is old."""
    count_objects()
    sample_pool(db.engine)
    replicas = replicas_of(current_app)
    for name, engine in replicas.engines() if replicas is not None else ():
        sample_pool(engine, name)
    body, content_type = exposition()
    return Response(body, content_type=content_type)
