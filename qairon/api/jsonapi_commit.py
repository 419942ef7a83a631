"""The JSON:API views commit only once their answer is built.

Flask-Restless-NG commits inside its views, before the response object exists;
an answer that then cannot be built would leave a committed write behind an
error (and a retry would meet a 409). Its views are therefore given
:class:`AnswerFirstSession` instead of the session itself: its ``commit`` only
flushes — the write pipeline runs and a refusal raises — and marks the write;
:func:`commit_after_answer`, wrapped around every JSON:API view, commits once
the view has returned a built, successful response and rolls back otherwise.

A database error raised by a flush is carried past Flask-Restless-NG's own
catch-all (which would answer the SQL text) and re-raised for the application's
error handlers, which answer it in the one error shape.
"""
from functools import wraps

from sqlalchemy.exc import SQLAlchemyError

from qairon.extensions import db

COMMIT_KEY = "qairon.jsonapi.commit"


class DatabaseFailure(Exception):
    """A database error raised inside a JSON:API view, carried to the error handlers."""

    def __init__(self, original):
        super().__init__(type(original).__name__)
        self.original = original


class AnswerFirstSession:
    """``db.session`` for Flask-Restless-NG's views, with ``commit`` deferred to the answer."""

    def __getattr__(self, name):
        return getattr(db.session, name)

    def flush(self, objects=None):
        """Flush (the pipeline runs); a database error is carried past the view's catch-all."""
        try:
            db.session.flush(objects)
        except SQLAlchemyError as exc:
            raise DatabaseFailure(exc) from exc

    def commit(self):
        """Flush now; the commit itself waits until the answer is built."""
        self.flush()
        db.session.info[COMMIT_KEY] = True


def commit_after_answer(view):
    """Wrap a JSON:API view: commit its write only after its successful answer exists."""

    @wraps(view)
    def answer(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
        except DatabaseFailure as failure:
            raise failure.original from None
        if db.session.info.pop(COMMIT_KEY, False):
            if response.status_code < 400:
                db.session.commit()
            else:
                db.session.rollback()
        return response

    return answer
