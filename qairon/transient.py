"""Database failures that are nobody's fault: a lost connection, a deadlock, a
serialization failure, a statement that ran out of time.

An engine ``handle_error`` listener (installed by :func:`init_app`) turns such
a driver error into :class:`Transient` as it is raised, whatever code ran the
statement. :class:`Transient` is deliberately neither a SQLAlchemy error nor a
refusal (:class:`~qairon.core.errors.QaironError`): code that catches either,
such as Flask-Restless-NG's views or the bulk importer's per-row handling,
lets it through, so it reaches the request's transaction
(:mod:`qairon.api.transactions`), which retries or answers 503. SQLAlchemy
still invalidates the connection (and the pool) on a disconnect.
"""
from sqlalchemy import event

from qairon.extensions import db

LOST = "lost"
DEADLOCK = "deadlock"
SERIALIZATION = "serialization"
TIMEOUT = "timeout"

#: PostgreSQL SQLSTATE -> reason
SQLSTATES = {
    "40P01": DEADLOCK,          # deadlock_detected
    "40001": SERIALIZATION,     # serialization_failure
    "57014": TIMEOUT,           # query_canceled (statement_timeout)
    "55P03": TIMEOUT,           # lock_not_available (lock_timeout)
}


class Transient(Exception):
    """A database failure worth trying again; ``reason`` is one of the constants above."""

    def __init__(self, reason):
        super().__init__(f"transient database failure: {reason}")
        self.reason = reason
        #: set when the failure hit the COMMIT itself: then a lost connection
        #: leaves unknown whether the transaction was saved
        self.during_commit = False

    @property
    def retryable(self):
        """True when running the same work again is safe and may well succeed."""
        if self.reason == LOST:
            return not self.during_commit
        return self.reason in (DEADLOCK, SERIALIZATION)


def reason_of(dbapi_error, is_disconnect):
    """The :class:`Transient` reason of a driver error, or None for any other error."""
    if is_disconnect:
        return LOST
    return SQLSTATES.get(getattr(dbapi_error, "pgcode", None))


def translate(context):
    """``handle_error`` listener: raise :class:`Transient` for a transient driver error."""
    reason = reason_of(context.original_exception, context.is_disconnect)
    if reason is not None:
        raise Transient(reason) from context.sqlalchemy_exception


def init_app(app):
    """Install :func:`translate` on ``app``'s engine."""
    with app.app_context():
        engine = db.engine
        if not event.contains(engine, "handle_error", translate):
            event.listen(engine, "handle_error", translate)
