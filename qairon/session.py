"""The database session every request uses: its commit waits for the answer,
and a row that vanished under a write is a conflict naming it.

*Deferred commit.* While :data:`DEFER_KEY` is set in ``session.info`` (the
request's transaction sets it around the view, :mod:`qairon.api.transactions`),
``commit()`` runs the ``before_commit`` listeners and flushes — so the rules
run, the change record is written and refusals surface exactly where they
did — and only notes that a commit was asked for; the request commits once
the whole answer, headers included, has been built. A rollback forgets the
request. Outside a request (CLI, tests) ``commit()`` commits at once.

*Stale rows.* When an UPDATE or DELETE finds no row (another writer deleted
or changed it since it was read), SQLAlchemy raises ``StaleDataError``; the
flush turns it into :class:`~qairon.core.errors.Conflict` naming the object.
"""
import re

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm.exc import StaleDataError

from qairon.core.errors import Conflict

DEFER_KEY = "qairon.defer_commit"
#: The engine of the read replica chosen for this request (:mod:`qairon.replicas`), if any.
REPLICA_KEY = "qairon.replica_engine"
PENDING_KEY = "qairon.commit_pending"
TABLE = re.compile(r"on table '([^']+)'")
NAMED = 3


def stale_conflict(touched, error):
    """The :class:`Conflict` for ``error``; ``touched`` is ``[(table, resource, id)]``."""
    match = TABLE.search(str(error))
    table = match.group(1) if match else None
    objects = [(resource, object_id) for name, resource, object_id in touched if name == table]
    if objects:
        named = ", ".join(f"{resource} {object_id!r}" for resource, object_id in objects[:NAMED])
        more = f" (or one of {len(objects) - NAMED} more)" if len(objects) > NAMED else ""
        what = named + more
    else:
        what = f"a {table or 'row'}"
    return Conflict(f"{what} was changed or deleted concurrently by another write; "
                    f"nothing was written: read it again, then retry", field="id")


def touched_objects(session):
    """``(table, resource, id)`` of every object a flush will update or delete."""
    out = []
    for obj in (*session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        out.append((table, getattr(obj, "resource", table), getattr(obj, "id", None)))
    return out


class Session(FlaskSession):
    """Flask-SQLAlchemy's session with a deferrable commit and stale rows as conflicts."""

    def commit(self):
        """Commit; inside a request's transaction, do all a commit does but the COMMIT itself.

        The ``before_commit`` listeners run now (the change record writes its
        changeset into this transaction, so the answer can name it) and the
        session is flushed; the request commits once its answer is built, when
        ``before_commit`` runs once more with nothing new to do.
        """
        if self.info.get(DEFER_KEY):
            self.dispatch.before_commit(self)
            self.flush()
            self.info[PENDING_KEY] = True
            return
        self.info.pop(PENDING_KEY, None)
        super().commit()

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        """The read replica chosen for this request (:mod:`qairon.replicas`), else the primary."""
        replica = self.info.get(REPLICA_KEY)
        if replica is not None and bind is None:
            return replica
        return super().get_bind(mapper, clause=clause, bind=bind, **kwargs)

    def rollback(self):
        """Roll back, forgetting a deferred commit."""
        self.info.pop(PENDING_KEY, None)
        super().rollback()

    def flush(self, objects=None):
        """Flush; a row that another write removed meanwhile is a :class:`Conflict`."""
        touched = touched_objects(self)
        try:
            super().flush(objects)
        except StaleDataError as error:
            raise stale_conflict(touched, error) from error
