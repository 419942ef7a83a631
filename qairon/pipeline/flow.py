"""The write pipeline: every write, whatever its face, runs the same ordered steps.

1. **input shape** — the faces turn a body into column values with
   :func:`qairon.pipeline.shape.assignable` (types, unknown and read-only
   fields refused); :func:`~qairon.pipeline.rules.check_writes` checks the
   column types again for values that came in another way.
2. **rules** — :func:`~qairon.pipeline.rules.check_writes` on what is created
   and changed, :func:`~qairon.pipeline.deletion.plan_delete` on what is
   deleted (refuse, or plan the cascade).
3. **hooks** — ``authorize``, ``record``, ``derive`` (:mod:`qairon.pipeline.hooks`),
   each given every :class:`~qairon.pipeline.changes.Change` of the write.
4. **persistence** — the ORM flush, or one Core ``INSERT`` for a batch of new
   rows (:func:`insert_new`), then the caller's commit.

ORM writes (single PATCH and DELETE, links, JSON:API, allocation, the admin UI)
reach steps 1–3 through the session's ``before_flush`` event, installed by
:func:`init_app`; batches of new rows (bulk import, single creates) call
:func:`insert_new`, which runs the same steps without the unit of work.
"""
from sqlalchemy import event, insert, inspect

from qairon.extensions import db
from qairon.models import Resource
from qairon.models.base import utcnow
from qairon.pipeline import deletion, rules
from qairon.pipeline.changes import Change, committed_values, link_changes, row_values
from qairon.pipeline.hooks import current_hooks

CASCADE_KEY = "qairon.cascade"
CHANGES_KEY = "qairon.changes"


def sync_references(obj):
    """Copy a to-one relation set on ``obj`` into its foreign-key column, before the rules.

    A write that sets ``service.stack`` (a JSON:API relationship) would fill
    ``stack_id`` only during the flush, after the rules ran; copying it here
    makes the rules see the reference whatever way it was set.
    """
    state = inspect(obj)
    for relation in state.mapper.relationships:
        if relation.direction.name != "MANYTOONE":
            continue
        history = state.attrs[relation.key].history
        if not history.added and not history.deleted:
            continue
        target = history.added[0] if history.added else None
        for local, remote in relation.local_remote_pairs:
            value = getattr(target, remote.key) if target is not None else None
            if getattr(obj, local.key) != value:
                setattr(obj, local.key, value)


def _stamp(new, dirty):
    """The write's time on new rows and on changed ones.

    A new row keeps a timestamp already set on it: clients cannot set one
    (:data:`~qairon.pipeline.shape.READ_ONLY`), so only trusted writers do — a
    ``stamped`` bulk import (the older Qairon's rows keep their times) and a
    restore (its row's ``created_at``).
    """
    now = utcnow()
    for obj in new:
        obj.created_at = obj.created_at or now
        obj.last_updated_at = obj.last_updated_at or now
    for obj in dirty:
        if any(inspect(obj).attrs[c.key].history.has_changes() for c in obj.__table__.columns):
            obj.last_updated_at = now


def prepare(session, new=(), dirty=(), deleted=(), cascade=False):
    """Steps 1–2 for ORM objects: ``(changes, plans)``; raises to refuse the write."""
    for obj in new:
        sync_references(obj)
    rules.prepare_ids(new)  # a changed object may now point at a new one (JSON:API to-many)
    for obj in dirty:
        sync_references(obj)
    rules.check_writes(session, new=new, dirty=dirty)
    plans = [deletion.plan_delete(session, obj, cascade) for obj in deleted]
    _stamp(new, dirty)
    changes = [Change("create", o.resource, o.id, after=row_values(o), obj=o) for o in new]
    for obj in dirty:
        before, after = committed_values(obj), row_values(obj)
        if before != after:
            changes.append(Change("update", obj.resource, obj.id, before=before, after=after,
                                  obj=obj))
    changes += link_changes((*new, *dirty))
    for obj, plan in zip(deleted, plans, strict=True):
        changes += plan.changes
        changes.append(Change("delete", obj.resource, obj.id, before=committed_values(obj),
                              obj=obj))
    return changes, plans


def _remember(session, changes):
    session.info.setdefault(CHANGES_KEY, []).extend(changes)


def before_flush(session, _flush_context, _instances):
    """Run steps 1–3 for whatever this flush writes; the flush itself is step 4."""
    new = [o for o in session.new if isinstance(o, Resource)]
    dirty = [o for o in session.dirty if isinstance(o, Resource) and session.is_modified(o)]
    deleted = [o for o in session.deleted if isinstance(o, Resource)]
    if not (new or dirty or deleted):
        return
    with session.no_autoflush:
        changes, plans = prepare(session, new, dirty, deleted,
                                 cascade=bool(session.info.get(CASCADE_KEY)))
        current_hooks().run(session, changes)
        for plan in plans:
            plan.execute(session)
    _remember(session, changes)


def insert_new(session, objects):
    """Create ``objects`` (new, of one class) through the pipeline with one ``INSERT``.

    The rules are those of a flush (:func:`~qairon.pipeline.rules.check_writes`),
    the hooks see one ``create`` change per row, and the rows are written with
    a single multi-row statement instead of the unit of work. Returns the changes.
    """
    if not objects:
        return []
    with session.no_autoflush:
        for obj in objects:
            sync_references(obj)
        rules.check_writes(session, new=objects)
        _stamp(objects, ())
        changes = [Change("create", o.resource, o.id, after=row_values(o), obj=o)
                   for o in objects]
        current_hooks().run(session, changes)
    session.connection().execute(insert(type(objects[0]).__table__), [c.after for c in changes])
    _remember(session, changes)
    return changes


def session_changes(session):
    """The changes written in the session's current transaction so far."""
    return session.info.get(CHANGES_KEY, [])


def _forget(session, *_args):
    session.info.pop(CHANGES_KEY, None)
    session.info.pop(CASCADE_KEY, None)


def init_app(app):
    """Install the pipeline on the session class of ``app``'s database (once per process)."""
    target = db.session
    for name, listener in (("before_flush", before_flush), ("after_commit", _forget),
                           ("after_rollback", _forget)):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
