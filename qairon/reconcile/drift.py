"""Drift as a queryable fact: every object whose latest recon result is drift."""
from sqlalchemy import select

from qairon.core.ids import environment_of
from qairon.core.recon import DRIFT
from qairon.identity.scope import placed_resources
from qairon.models import REGISTRY


def drift_list(session, environment=None, everything=False):
    """``{"results": [...], "total": n}``: objects out of sync (with ``everything``, all
    reconciled ones), sorted by resource and ID; ``environment`` keeps that environment's.

    One query per resource, reading only the objects that have a recon result.
    """
    placed = placed_resources()
    results = []
    for name in sorted(REGISTRY):
        if environment is not None and name not in placed:
            continue
        cls = REGISTRY[name]
        rows = session.execute(select(cls.id, cls.recon).where(cls.recon.isnot(None))
                               .order_by(cls.id))
        for object_id, result in rows:
            if not isinstance(result, dict):
                continue
            if environment is not None and environment_of(object_id) != environment:
                continue
            if everything or result.get("status") == DRIFT:
                results.append({"resource": name, "id": object_id,
                                **{k: result.get(k) for k in
                                   ("status", "checked_at", "checked_by", "counts", "keys")}})
    return {"results": results, "total": len(results)}
