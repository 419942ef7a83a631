"""One reconciliation of an object: patterns, both sides, the report, the stored result.

The Qairon side reads the field named by ``defaults.recon.qairon_field``
exactly as ``qcli RESOURCE get_field ID FIELD -o json`` prints it (a to-many
relation as the list of its objects, embedded relations included), or the
object itself when no field is named. The latest result is stored in the
object's ``recon`` column through the write pipeline, so it is authorised,
recorded in the history, and listed by ``GET /api/drift`` while it is drift.
"""
from sqlalchemy import inspect, select
from sqlalchemy.orm import with_parent

from qairon.api.serialize import eager_loads, embedded_spec, timestamp, to_dict
from qairon.core.errors import BadRequest, RuleError
from qairon.core.recon import compare, entries, match_fields
from qairon.insight.defaults import effective
from qairon.models.base import utcnow
from qairon.models.lookup import fetch
from qairon.pipeline.actor import actor_of
from qairon.reconcile.patterns import lookup, run, variables

#: Differences kept in the stored result (the answer has them all).
STORED_DIFFERENCES = 20


def qairon_side(session, obj, field):
    """The data the Qairon-side pattern reads: ``field`` as get_field shows it, or the object."""
    cls = type(obj)
    if field is None:
        return to_dict(obj)
    if not isinstance(field, str):
        raise RuleError(f"defaults.recon names the field the Qairon side reads as "
                        f"{type(field).__name__}; give a field name such as \"deployments\"",
                        field="qairon_field")
    relations = {r.key: r for r in inspect(cls).relationships if r.key not in cls.hidden}
    if field in relations:
        relation = relations[field]
        target = relation.mapper.class_
        if not relation.uselist:
            value = getattr(obj, field)
            return None if value is None else to_dict(value)
        statement = (select(target).where(with_parent(obj, getattr(cls, field)))
                     .order_by(target.id).options(*eager_loads(target, embedded_spec(target))))
        return [to_dict(item) for item in session.scalars(statement)]
    if field in cls.column_names():
        return to_dict(obj)[field]
    raise RuleError(f"defaults.recon names field {field!r}, which is not a field or relation "
                    f"of {cls.resource}", field="qairon_field")


def _summary(report, keys, actor):
    stored = {"status": report["status"], "checked_at": timestamp(utcnow()),
              "checked_by": actor.name, "counts": report["counts"], "keys": keys}
    for part in ("missing", "unexpected", "changed"):
        stored[part] = report[part][:STORED_DIFFERENCES]
    return stored


def reconcile(session, cls, object_id, actual, options):
    """Compare ``actual`` with the object's intent; store and return the report.

    ``options``: ``actual_key``, ``qairon_key``, ``field_key`` (the keys of the
    patterns and of the field in ``defaults.recon``), ``match`` (entry fields),
    ``reduced`` (``actual`` already went through the actual pattern) and
    ``vars`` (more jq variables).
    """
    obj = fetch(session, cls, object_id)
    recon = effective(cls.resource, object_id).get("recon") or {}
    if not isinstance(recon, dict):
        raise RuleError(f"defaults.recon of {cls.resource} {object_id!r} must be an object",
                        field="recon")
    keys = {"actual": options.get("actual_key") or "actual_jq",
            "qairon": options.get("qairon_key") or "qairon_jq",
            "field": options.get("field_key") or "qairon_field"}
    values = variables(recon, options.get("vars"))
    source = f"{cls.resource} {object_id!r}"
    if options.get("reduced"):
        actual_entries = entries([actual])
    else:
        pattern = lookup(recon, keys["actual"], cls.resource, object_id)
        actual_entries = entries(run(pattern, keys["actual"], actual, values,
                                     f"the actual state for {source}"))
    field = None
    if keys["field"] != "qairon_field" or "qairon_field" in recon:
        field = lookup(recon, keys["field"], cls.resource, object_id)
    pattern = lookup(recon, keys["qairon"], cls.resource, object_id)
    intended = entries(run(pattern, keys["qairon"], qairon_side(session, obj, field), values,
                           f"the Qairon side of {source}"))
    try:
        match = match_fields(options.get("match") or recon.get("match"))
    except ValueError as exc:
        raise BadRequest(str(exc), field="match") from None
    report = compare(intended, actual_entries, match)
    obj.recon = _summary(report, keys, actor_of(session))
    session.flush()
    return dict(report, resource=cls.resource, id=object_id, keys=keys,
                checked_at=obj.recon["checked_at"], checked_by=obj.recon["checked_by"])
