"""``/metrics``: the Prometheus text of every worker (under the token rules of QAIRON_AUTH)."""
from flask import Blueprint, Response

from qairon.extensions import db
from qairon.ops.counting import count_objects, sample_pool
from qairon.ops.metrics import exposition

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def scrape():
    """The metrics in Prometheus text format; objects are recounted when their count is old."""
    count_objects()
    sample_pool(db.engine)
    body, content_type = exposition()
    return Response(body, content_type=content_type)
