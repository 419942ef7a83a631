"""What the metrics count beyond requests: writes, allocations, imports, objects, the pool.

* Writes are counted by a ``derive`` hook of the write pipeline, which notes
  each change on the session, and counted once the transaction commits (a
  write refused or rolled back counts nothing).
* Allocations are the answers of actions declared ``allocates=True``:
  ``allocated`` (2xx), ``exhausted`` (409: no free block) or ``refused``.
* Imports count the rows received and those refused, from the import's report.
* Objects per resource are counted with one query at most every
  ``METRICS_OBJECTS_SECONDS`` (default 60), when ``/metrics`` is scraped.
"""
import time
from collections import Counter

from flask import current_app, request
from sqlalchemy import event, func, literal, select, union_all

from qairon import pipeline
from qairon.extensions import db
from qairon.models import REGISTRY, by_plural
from qairon.ops.metrics import metrics

PENDING = "qairon.metrics.writes"
OBJECTS_SECONDS = 60
_objects_counted = {"at": None}


def note_writes(session, changes):
    """Pipeline hook: remember the changes of this write until the commit."""
    pending = session.info.setdefault(PENDING, Counter())
    pending.update((change.resource, change.operation) for change in changes)


def count_writes(session):
    """``after_commit``: count the committed changes."""
    pending = session.info.pop(PENDING, None)
    if pending:
        writes = metrics()["writes_total"]
        for (resource, operation), n in pending.items():
            writes.labels(resource, operation).inc(n)


def forget_writes(session, *_args):
    """``after_rollback``: nothing was written."""
    session.info.pop(PENDING, None)


def count_allocation(response):
    """``after_request``: the outcome of a declared allocating action."""
    rule, args = request.url_rule, request.view_args or {}
    if rule is None or "plural" not in args or request.blueprint != "actions":
        return response
    cls = by_plural(args["plural"])
    action = cls.action(rule.rule.rsplit("/", 1)[-1]) if cls is not None else None
    if action is not None and action.allocates:
        status = response.status_code
        outcome = "allocated" if status < 400 else "exhausted" if status == 409 else "refused"
        metrics()["allocations_total"].labels(cls.resource, outcome).inc()
    return response


def count_import(report):
    """Count the rows an import received and those it refused."""
    found = metrics()
    found["import_rows_total"].inc(report.get("rows", 0))
    found["import_refusals_total"].inc(report.get("error_count", 0))


def sample_pool(engine, database="primary"):
    """Set the pool gauges of ``engine`` (a pool without the counts is left alone)."""
    pool = engine.pool
    if hasattr(pool, "checkedout") and hasattr(pool, "overflow"):
        found = metrics()
        found["db_pool_checked_out"].labels(database).set(pool.checkedout())
        found["db_pool_overflow"].labels(database).set(max(0, pool.overflow()))


def count_objects(force=False):
    """Refresh the objects gauge when the last count is older than the configured age."""
    age = float(current_app.config.get("METRICS_OBJECTS_SECONDS", OBJECTS_SECONDS))
    now = time.monotonic()
    last = _objects_counted["at"]
    if not force and last is not None and now - last < age:
        return
    _objects_counted["at"] = now
    parts = [select(literal(name).label("resource"), func.count().label("n"))
             .select_from(cls.__table__) for name, cls in sorted(REGISTRY.items())]
    gauge = metrics()["objects"]
    for resource, n in db.session.execute(union_all(*parts)):
        gauge.labels(resource).set(n)


def init_app(app):
    """Install the write hook and commit listeners, and the allocation counter."""
    pipeline.add_hook(app, "derive", note_writes)
    for name, listener in (("after_commit", count_writes), ("after_rollback", forget_writes)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    app.after_request(count_allocation)
