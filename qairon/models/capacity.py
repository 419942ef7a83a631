"""Capacity: what fleets offer and what deployment procs reserve."""
from qairon.core.errors import BadRequest
from qairon.extensions import db
from qairon.models.base import Resource, parent, reference
from qairon.models.declarations import COLLECTION, Action, Arg, Upstream

WATERMARKS = ("LOW", "HIGH")


class AllocationType(Resource):
    """A kind of resource that is allocated (``cpu`` in cores, ``memory`` in GiB)."""

    __tablename__ = "allocation_type"
    id_parts = ("name",)
    create = ("name", "unit")
    name = db.Column(db.String, nullable=False)
    unit = db.Column(db.String, nullable=False)


def check_value(value, field="value"):
    """Amounts are non-negative numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise BadRequest(f"{field} {value!r} must be a non-negative number", field=field)


class Capacity(Resource):
    """How much of an allocation type a fleet offers."""

    __tablename__ = "capacity"
    plural = "capacities"
    id_parts = ("fleet_id", "allocation_type_id")
    create = ("fleet_id", "allocation_type_id", "value")
    batch_checked = True
    upstream = Upstream(relations=(("type", "allocation_type"),))
    actions = (*Resource.actions, Action(
        "report", "every fleet with its utilisation, worst first", scope=COLLECTION,
        path="capacity/report", prints="report", view="qairon.api.insight_views:capacity_report",
        options=(Arg("environment", "only this environment", send="query",
                     metavar="ENVIRONMENT"),)))
    fleet_id = reference("fleet")
    allocation_type_id = reference("allocation_type")
    value = db.Column(db.Float, nullable=False)
    fleet = parent("Fleet", "capacities")
    allocation_type = parent("AllocationType", "capacities")

    def validate(self, session):
        """The value is a non-negative number."""
        check_value(self.value)


class Allocation(Resource):
    """How much a deployment proc reserves, at its LOW or HIGH watermark."""

    __tablename__ = "allocation"
    id_parts = ("deployment_proc_id", "allocation_type_id", "watermark")
    create = ("deployment_proc_id", "allocation_type_id", "watermark", "value")
    batch_checked = True
    upstream = Upstream(relations=(("type", "allocation_type"),))
    deployment_proc_id = reference("deployment_proc")
    allocation_type_id = reference("allocation_type")
    watermark = db.Column(db.String, nullable=False)
    value = db.Column(db.Float, nullable=False)
    deployment_proc = parent("DeploymentProc", "allocations")
    allocation_type = parent("AllocationType", "allocations")

    def validate(self, session):
        """Watermark is LOW or HIGH; the value is a non-negative number."""
        if self.watermark not in WATERMARKS:
            raise BadRequest(f"watermark {self.watermark!r} must be one of LOW, HIGH",
                             field="watermark")
        check_value(self.value)
