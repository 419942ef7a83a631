"""Bulk import: many rows in one transaction, every bad row reported.

Rows are written through the ORM session, so the rules of :mod:`qairon.pipeline.rules`
check each of them exactly as they check a single create. Rows are taken in
chunks: a chunk is flushed inside one SAVEPOINT; when that fails it is rolled
back and replayed row by row, each row in its own SAVEPOINT, so that every bad
row is found while the good ones stay visible to the rows after them. Rows of
resources with a ``validate`` hook that may read sibling rows (subnet overlap,
provider accounts) are always flushed one by one, so each is checked against the
rows written before it; a hook declared ``batch_checked`` (it reads only the row
and what is written already: a release's build and deployment) is run for a
whole chunk at once.

A row whose ID exists already is *unchanged* when every given field matches,
a conflict otherwise, or — with ``update`` — a patch of the differing fields.
The caller commits only when no row failed and it is not a dry run
(:meth:`BulkImport.finish`).

An import made ``stamped`` (the upstream import, never a client's) takes each
row's timestamps beside its fields: a new row keeps the given ``created_at`` and
``last_updated_at`` instead of the import's time. Fields never carry them
(:data:`qairon.pipeline.shape.READ_ONLY`), and an existing row keeps its own:
timestamps are not compared, so a re-import finds its rows unchanged.

The report stays small whatever the input (:mod:`qairon.bulk.report`).
"""
from collections import namedtuple
from datetime import datetime, timezone

from sqlalchemy.exc import DBAPIError, StatementError

from qairon.bulk.report import MAX_ERRORS, Report, database_error, shown
from qairon.core.chunks import chunked
from qairon.core.cidr import parse_cidr
from qairon.core.errors import BadRequest, Conflict, QaironError
from qairon.core.ids import build_id, check_name_part
from qairon.models import REGISTRY, Resource
from qairon.pipeline import insert_new
from qairon.pipeline.rules import declared
from qairon.pipeline.shape import assignable

CHUNK_SIZE = 1000
LOAD_CHUNK = 500
#: The timestamps a ``stamped`` import may give a new row beside its fields.
STAMPS = ("created_at", "last_updated_at")
Plan = namedtuple("Plan", "index raw fields id stamps", defaults=(None,))


def identity_of(cls, fields):
    """The ID the server computes for ``fields``; :class:`BadRequest` naming a missing part."""
    values, spec = {}, declared(cls)
    for field in spec.identity:
        value = fields.get(field)
        if value is None:
            value = dict(spec.id_defaults).get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise BadRequest(f"{field} is required for every {cls.resource}", field=field)
        if field in spec.names:
            problem = check_name_part(field, value)
            if problem:
                raise BadRequest(problem, field=field)
        values[field] = value
    return build_id(cls.id_parts, values)


def given_stamps(stamps):
    """The timestamps given for a row, checked: only :data:`STAMPS`, each a datetime with a
    time zone (then in UTC) or None (the import's time applies)."""
    out = {}
    for field, value in (stamps or {}).items():
        if field not in STAMPS:
            raise BadRequest(f"{shown(field)} is not a timestamp of a row; those are "
                             f"{', '.join(STAMPS)}", field=str(field))
        if value is None:
            continue
        if not isinstance(value, datetime) or value.tzinfo is None:
            given = value.isoformat() if isinstance(value, datetime) else value
            raise BadRequest(f"{field} must be a timestamp with a time zone, not "
                             f"{shown(given)}", field=field)
        out[field] = value.astimezone(timezone.utc)
    return out


def same_value(field, given, stored):
    """True when a given field value equals the stored one (CIDRs compared parsed)."""
    if given == stored:
        return True
    if field == "cidr" and isinstance(given, str) and stored is not None:
        try:
            return parse_cidr(given) == parse_cidr(str(stored))
        except QaironError:
            return False
    return False


def differences(obj, fields):
    """The given fields whose values differ from ``obj``'s: name -> (given, stored)."""
    return {name: (value, getattr(obj, name)) for name, value in fields.items()
            if not same_value(name, value, getattr(obj, name))}


def new_row(cls, plan):
    """The object a planned new row becomes: its fields and the timestamps given for it
    (the pipeline stamps only those left unset: ``qairon.pipeline.flow._stamp``)."""
    return cls(**plan.fields, **plan.stamps) if plan.stamps else cls(**plan.fields)


def batch_safe(cls):
    """True when rows of ``cls`` may be flushed many at once (no ``validate`` hook, or one
    that reads no other new row of its resource: ``batch_checked``)."""
    return cls.validate is Resource.validate or cls.batch_checked


class BulkImport:
    """One import: feed it ``(index, resource, fields)`` items, then :meth:`finish`."""

    def __init__(self, session, update=False, chunk_size=CHUNK_SIZE, max_errors=MAX_ERRORS,
                 stamped=False):
        """``stamped``: items carry a fourth element, the row's timestamps
        (:func:`given_stamps`), which a new row keeps. Only a trusted import sets it."""
        self.session = session
        self.update = update
        self.stamped = stamped
        self.chunk_size = chunk_size
        self.summary = Report(max_errors)
        self.seen = {}
        begin(session)

    def _count(self, resource, outcome, n=1):
        self.summary.count(resource, outcome, n)

    def _fail(self, index, resource, raw, error, object_id=None):
        self.summary.fail(index, resource, raw, error, object_id)

    def report(self, dry_run, committed):
        """The summary (:meth:`qairon.bulk.report.Report.as_dict`)."""
        return self.summary.as_dict(dry_run, committed)

    # --- feeding -------------------------------------------------------------

    def feed(self, items):
        """Process ``(index, resource name, raw fields)`` items in order, chunk by chunk.

        ``raw`` may be an :class:`QaironError` for an entry that could not be read
        (a line that is not JSON); it is reported as that row's error. A ``stamped``
        import's items are ``(index, resource name, raw fields, timestamps)``.
        """
        chunk, chunk_cls = [], None
        for index, resource, raw, *given in items:
            if given and not self.stamped:
                raise TypeError("this import takes no timestamps (BulkImport stamped=False)")
            self.summary.rows += 1
            if isinstance(raw, QaironError):
                self._fail(index, str(resource or "?"), {}, raw)
                continue
            cls = REGISTRY.get(resource) if isinstance(resource, str) else None
            if cls is None:
                self._unknown_resource(index, raw.get("resource") if resource is None and
                                       isinstance(raw, dict) else resource)
                continue
            if chunk and (cls is not chunk_cls or len(chunk) >= self.chunk_size):
                self._chunk(chunk_cls, chunk)
                chunk = []
            chunk_cls = cls
            chunk.append((index, raw, given[0] if given else None))
        if chunk:
            self._chunk(chunk_cls, chunk)

    def _unknown_resource(self, index, given):
        names = ", ".join(sorted(REGISTRY))
        detail = (f"resource {shown(given)} is not one of {names}" if given is not None else
                  f"the object does not name its resource (one of {names})")
        self._fail(index, given if isinstance(given, str) else "?", {"resource": given},
                   BadRequest(detail, field="resource"))

    def _plan(self, cls, index, raw, stamps=None):
        try:
            fields = assignable(cls, raw)
            object_id = identity_of(cls, fields)
            stamps = given_stamps(stamps)
        except QaironError as exc:
            self._fail(index, cls.resource, raw, exc)
            return None
        first = self.seen.setdefault(cls.resource, {}).setdefault(object_id, index)
        if first != index:
            self._fail(index, cls.resource, raw, Conflict(
                f"{cls.resource} {object_id!r} is given twice (rows {first} and {index})",
                field="id"), object_id)
            return None
        return Plan(index, raw, fields, object_id, stamps)

    def _load(self, cls, ids):
        found = {}
        for chunk in chunked(ids, LOAD_CHUNK):
            for obj in self.session.query(cls).filter(cls.id.in_(chunk)):
                found[obj.id] = obj
        return found

    def _chunk(self, cls, chunk):
        plans = [p for p in (self._plan(cls, *item) for item in chunk) if p is not None]
        existing = self._load(cls, [p.id for p in plans])
        writes = []
        for plan in plans:
            obj = existing.get(plan.id)
            if obj is None:
                writes.append((plan, "created"))
                continue
            changed = differences(obj, plan.fields)
            if not changed:
                self._count(cls.resource, "unchanged")
            elif self.update:
                writes.append((plan, "updated"))
            else:
                field = sorted(changed)[0]
                given, stored = changed[field]
                self._fail(plan.index, cls.resource, plan.raw, Conflict(
                    f"{cls.resource} {plan.id!r} exists with {field} {shown(stored)}, not "
                    f"{shown(given)}; import with update to change it", field=field), plan.id)
        if writes and not (batch_safe(cls) and self._write_all(cls, writes)):
            for plan, outcome in writes:
                self._write_one(cls, plan, outcome)
        self.session.expunge_all()

    # --- writing -------------------------------------------------------------

    def _apply(self, cls, plan, outcome):
        if outcome == "created":
            self.session.add(new_row(cls, plan))
            return
        obj = self.session.get(cls, plan.id)
        for name, (given, _stored) in differences(obj, plan.fields).items():
            setattr(obj, name, given)

    def _write_all(self, cls, writes):
        """Write a whole chunk at once; False when any row fails (then rows go one by one).

        New rows go through :func:`qairon.pipeline.insert_new` — the rules every
        flush runs, then the pipeline's hooks — and are inserted as one
        multi-row statement, which spares the unit of work's per-object
        bookkeeping.
        """
        created = [plan for plan, outcome in writes if outcome == "created"]
        updated = [(plan, outcome) for plan, outcome in writes if outcome != "created"]
        try:
            with self.session.begin_nested():
                if created:
                    insert_new(self.session, [new_row(cls, plan) for plan in created])
                for plan, outcome in updated:
                    self._apply(cls, plan, outcome)
                self.session.flush()
        except (QaironError, DBAPIError, StatementError):
            return False
        for _plan, outcome in writes:
            self._count(cls.resource, outcome)
        return True

    def _write_one(self, cls, plan, outcome):
        try:
            with self.session.begin_nested():
                self._apply(cls, plan, outcome)
                self.session.flush()
        except QaironError as exc:
            self._fail(plan.index, cls.resource, plan.raw, exc, plan.id)
        except (DBAPIError, StatementError) as exc:
            self._fail(plan.index, cls.resource, plan.raw, database_error(exc), plan.id)
        else:
            self._count(cls.resource, outcome)

    def finish(self, dry_run=False):
        """Commit when every row passed and this is no dry run; else roll back. The report."""
        committed = not dry_run and not self.summary.error_count
        if committed:
            self.session.commit()
        else:
            self.session.rollback()
        return self.report(dry_run, committed)


def begin(session):
    """Open the transaction for real before any SAVEPOINT.

    pysqlite starts a transaction only before a data change, so a SAVEPOINT
    issued first would open it, and releasing that savepoint would commit.
    An explicit ``BEGIN`` makes the savepoints nest inside one transaction.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN")
