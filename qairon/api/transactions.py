"""Each request is one transaction: the answer is built before anything is
committed, and a transient database failure is tried again or answered 503.

:class:`TransactionalFlask` runs every request — both REST faces, bulk,
allocation, walks, plugins, whatever is routed, with its ``before_request``
and ``after_request`` functions — through :func:`dispatch_in_transaction`:

1. The request runs with the session's commit deferred (:mod:`qairon.session`):
   a view's ``commit()`` flushes, so every rule has run, but commits nothing.
2. The full response is built, headers included. Only when that succeeded,
   with a status below 400, is the transaction committed. A success answer
   that cannot be sent (a header that refuses a value) leaves nothing written.
3. A :class:`~qairon.transient.Transient` failure (a lost connection, a
   deadlock, a serialization failure) rolls everything back and runs the
   request again, at most ``DB_ATTEMPTS`` times in all. That is safe: the write
   is one transaction the database undid, and the body was already read —
   except a body read as a stream (NDJSON bulk import, :func:`mark_streamed`),
   which cannot be replayed. A connection lost during the commit itself is not
   retried, since the commit may have happened. What still fails is answered
   503 in the one error shape, with a sentence saying what to do.
"""
import random
import time

from flask import Flask, current_app, g

from qairon.core.errors import Unavailable
from qairon.database import LIMIT, statement_limit_ms
from qairon.extensions import db
from qairon.session import DEFER_KEY, PENDING_KEY
from qairon.transient import LOST, TIMEOUT, Transient

STREAMED = "qairon_body_streamed"
DEFAULT_ATTEMPTS = 3
PAUSE_S = 0.02


def mark_streamed():
    """Note that the view read the request body as a stream: the request cannot be replayed."""
    g.setdefault(STREAMED, True)


def replayable():
    """True unless the body was consumed as a stream."""
    return not g.get(STREAMED, False)


def commit(session):
    """Commit for real; a connection lost now leaves the outcome unknown."""
    try:
        session.commit()
    except Transient as failure:
        failure.during_commit = True
        raise


def dispatch_once(dispatch):
    """Run the request with the commit deferred; commit once its answer is built and a success."""
    session = db.session
    session.info[DEFER_KEY] = True
    try:
        response = dispatch()
    finally:
        session.info.pop(DEFER_KEY, None)
    if session.info.pop(PENDING_KEY, False):
        if response.status_code < 400:
            commit(session)
        else:
            session.rollback()
    return response


def settle():
    """Roll the failed attempt back; a session whose rollback fails too is discarded."""
    try:
        db.session.rollback()
    except Transient:
        db.session.remove()


def refusal(failure, attempts):
    """The 503 :class:`Unavailable` answering a transient failure that was not overcome."""
    if failure.reason == TIMEOUT:
        return Unavailable(
            f"the request ran longer than the database statement time limit of "
            f"{statement_limit_ms()} ms and was stopped; nothing was written: make it "
            f"smaller (narrower filters, a smaller page, fewer includes or rows) or try "
            f"again later")
    if failure.reason == LOST and failure.during_commit:
        return Unavailable("the connection to the database was lost while committing: the "
                           "write may or may not have been saved; read it back before "
                           "trying again")
    cause = ("the connection to the database was lost" if failure.reason == LOST
             else f"the write collided with concurrent writes ({failure.reason})")
    if not replayable():
        return Unavailable(f"{cause} during a streamed request, which cannot be replayed; "
                           f"nothing was written: send it again")
    tried = f" {attempts} times" if attempts > 1 else ""
    return Unavailable(f"{cause}{tried}; nothing was written: try again")


def dispatch_in_transaction(app, dispatch):
    """Dispatch the request as one transaction, retrying transient failures.

    ``dispatch`` is Flask's own ``full_dispatch_request``; a failure that
    escapes it (a transient one, or a commit or a response that failed after
    the view) is answered by the app's error handlers here.
    """
    attempts = max(1, int(app.config.get("DB_ATTEMPTS", DEFAULT_ATTEMPTS)))
    attempt = 1
    for key in (STREAMED, LIMIT):  # ``g`` outlives a request when a test holds the context
        g.pop(key, None)
    while True:
        try:
            return dispatch_once(dispatch)
        except Transient as failure:
            settle()
            if attempt >= attempts or not (failure.retryable and replayable()):
                error = refusal(failure, attempt)
            else:
                current_app.logger.warning("transient database failure (%s), attempt %d of "
                                           "%d; running the request again", failure.reason,
                                           attempt, attempts)
                if failure.reason != LOST:
                    time.sleep(random.uniform(0, PAUSE_S * attempt))
                attempt += 1
                continue
        except Exception as failed:  # noqa: BLE001 - answered by the app's error handlers
            settle()
            error = failed
        return app.finalize_request(app.handle_user_exception(error), from_error_handler=True)


class TransactionalFlask(Flask):
    """Flask whose every request runs through :func:`dispatch_in_transaction`."""

    def full_dispatch_request(self):
        """Dispatch the request, its before and after functions included, as one transaction."""
        return dispatch_in_transaction(self, super().full_dispatch_request)

    def handle_user_exception(self, e):
        """Let a transient failure reach the transaction, which may run the request again."""
        if isinstance(e, Transient):
            raise e
        return super().handle_user_exception(e)
