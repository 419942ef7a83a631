"""Capacity planning: what fleets offer against what runs on them.

A fleet's capacity per allocation type is the sum of its capacity rows; what is
allocated on it is the sum of the LOW and of the HIGH watermark allocations of
the deployment procs of the deployments on the deployment targets the fleet
serves. Available is capacity minus LOW (what is reserved); utilisation is LOW
over capacity. A target that runs on several fleets counts against each of
them. Sums come from ``GROUP BY`` queries, so any report costs a fixed number
of statements; :func:`summarise` and :func:`rank` are pure.
"""
from sqlalchemy import func, select

from qairon.extensions import db
from qairon.models import REGISTRY
from qairon.models.lookup import require


def _models():
    return (REGISTRY["fleet"], REGISTRY["capacity"], REGISTRY["allocation"],
            REGISTRY["deployment_proc"], REGISTRY["deployment"],
            db.metadata.tables["deployment_target_fleet"])


def capacity_sums(fleet_ids=None, environment=None):
    """``{(fleet_id, type): capacity}``."""
    _fleet, capacity, *_rest = _models()
    query = select(capacity.fleet_id, capacity.allocation_type_id, func.sum(capacity.value)) \
        .group_by(capacity.fleet_id, capacity.allocation_type_id)
    if fleet_ids is not None:
        query = query.where(capacity.fleet_id.in_(fleet_ids))
    if environment is not None:
        query = query.where(in_environment(capacity.fleet_id, environment))
    return {(f, t): v for f, t, v in db.session.execute(query)}


def in_environment(column, environment):
    """``column`` starts with ``<environment>:`` (LIKE wildcards in the name escaped)."""
    escaped = environment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped + ":%", escape="\\")


def allocation_sums(group_column, join_fleets, where):
    """``{(group, type, watermark): sum}`` of allocations on deployments.

    Grouped by ``group_column`` (None: one group, keyed None); ``join_fleets``
    joins the target-fleet links so that ``where`` and the group may use them.
    """
    _fleet, _capacity, allocation, proc, deployment, links = _models()
    groups = [group_column] if group_column is not None else []
    query = select(*groups, allocation.allocation_type_id, allocation.watermark,
                   func.sum(allocation.value)) \
        .select_from(allocation) \
        .join(proc, proc.id == allocation.deployment_proc_id) \
        .join(deployment, deployment.id == proc.deployment_id)
    if join_fleets:
        query = query.join(links, links.c.deployment_target_id == deployment.deployment_target_id)
    query = query.where(*where).group_by(*groups, allocation.allocation_type_id,
                                         allocation.watermark)
    rows = db.session.execute(query).all()
    if group_column is None:
        return {(None, t, w): v for t, w, v in rows}
    return {(g, t, w): v for g, t, w, v in rows}


def summarise(capacities, allocated, units):
    """Rows per allocation type from ``{type: capacity}`` and ``{(type, watermark): sum}``."""
    types = sorted(set(capacities) | {t for t, _w in allocated})
    rows = []
    for kind in types:
        total = capacities.get(kind, 0.0)
        low = allocated.get((kind, "LOW"), 0.0)
        high = allocated.get((kind, "HIGH"), 0.0)
        rows.append({"allocation_type_id": kind, "unit": units.get(kind), "capacity": total,
                     "low": low, "high": high, "available": total - low,
                     "available_high": total - high,
                     "utilisation": round(low / total, 4) if total else None})
    return rows


def rank(reports):
    """Fleets worst first: highest utilisation, then over-committed without capacity, then idle."""
    def key(report):
        values = [r["utilisation"] for r in report["types"] if r["utilisation"] is not None]
        overcommitted = any(r["capacity"] == 0 and r["low"] > 0 for r in report["types"])
        report["utilisation"] = max(values) if values else None
        worst = max(values) if values else (float("inf") if overcommitted else -1.0)
        return -worst, report["id"]
    return sorted(reports, key=key)


def _units():
    kind = REGISTRY["allocation_type"]
    return dict(db.session.execute(select(kind.id, kind.unit)).all())


def _by_type(sums, key):
    out = {}
    for (group, kind, *rest), value in sums.items():
        if group in key:
            index = (kind, *rest) if rest else kind
            out[index] = out.get(index, 0) + value
    return out


def fleet_capacity(fleet_id):
    """Capacity, allocations (LOW, HIGH) and availability of one fleet, per type and target."""
    require(db.session, REGISTRY["fleet"], fleet_id)
    _fleet, _capacity, _allocation, _proc, deployment, links = _models()
    capacities = _by_type(capacity_sums([fleet_id]), {fleet_id})
    allocated = _by_type(allocation_sums(links.c.fleet_id, True, [links.c.fleet_id == fleet_id]),
                         {fleet_id})
    per_target = allocation_sums(deployment.deployment_target_id, True,
                                 [links.c.fleet_id == fleet_id])
    targets = db.session.execute(select(links.c.deployment_target_id)
                                 .where(links.c.fleet_id == fleet_id)).scalars().all()
    units = _units()
    return {"resource": "fleet", "id": fleet_id,
            "types": summarise(capacities, allocated, units),
            "deployment_targets": [{"id": t, "allocated": _target_rows(per_target, t, units)}
                                   for t in sorted(targets)]}


def _target_rows(sums, target_id, units):
    rows = _by_type(sums, {target_id})
    return [{"allocation_type_id": k, "unit": units.get(k),
             "low": rows.get((k, "LOW"), 0.0), "high": rows.get((k, "HIGH"), 0.0)}
            for k in sorted({kind for kind, _w in rows})]


def target_capacity(target_id):
    """Capacity of a target's fleets, what all their targets reserve, and this target's share."""
    require(db.session, REGISTRY["deployment_target"], target_id)
    _fleet, _capacity, _allocation, _proc, deployment, links = _models()
    fleets = sorted(db.session.execute(select(links.c.fleet_id).where(
        links.c.deployment_target_id == target_id)).scalars().all())
    served = select(links.c.deployment_target_id).where(links.c.fleet_id.in_(fleets))
    capacities = _by_type(capacity_sums(fleets), set(fleets))
    allocated = _by_type(allocation_sums(None, False,
                                         [deployment.deployment_target_id.in_(served)]), {None})
    own = allocation_sums(deployment.deployment_target_id, False,
                          [deployment.deployment_target_id == target_id])
    units = _units()
    return {"resource": "deployment_target", "id": target_id, "fleets": fleets,
            "types": summarise(capacities, allocated, units),
            "allocated_here": _target_rows(own, target_id, units)}


def report(environment=None):
    """Every fleet (of ``environment``, if given) with its utilisation, worst first."""
    fleet, _capacity, _allocation, _proc, _deployment, links = _models()
    query = select(fleet.id).order_by(fleet.id)
    where = []
    if environment is not None:
        query = query.where(in_environment(fleet.id, environment))
        where.append(in_environment(links.c.fleet_id, environment))
    fleets = db.session.execute(query).scalars().all()
    capacities = capacity_sums(environment=environment)
    allocated = allocation_sums(links.c.fleet_id, True, where)
    units = _units()
    reports = [{"id": f, "types": summarise(_by_type(capacities, {f}), _by_type(allocated, {f}),
                                            units)} for f in fleets]
    return {"environment": environment, "fleets": rank(reports)}
