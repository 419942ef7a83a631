"""Every failure answers in one JSON shape; nothing half-written survives it."""
import logging

from flask import jsonify
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from ..errors import ApiError, Conflict
from ..extensions import db


def _respond(error):
    db.session.rollback()
    response = jsonify(error.as_dict())
    response.status_code = error.status
    return response


class ClientErrorFilter(logging.Filter):
    """Drop tracebacks of client errors (Flask-Restless-NG logs every one it renders)."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, ApiError)


def _plain(status, title, detail):
    """A non-API failure in the same shape, after rolling back."""
    db.session.rollback()
    response = jsonify({"status": status, "title": title, "detail": detail, "source": None})
    response.status_code = status
    return response


def register(app):
    """Install the JSON error handlers on ``app``; each request gets a fresh session."""
    app.logger.addFilter(ClientErrorFilter())

    @app.teardown_request
    def end_session(_exc):
        db.session.remove()

    @app.errorhandler(ApiError)
    def api_error(error):
        return _respond(error)

    @app.errorhandler(IntegrityError)
    def integrity_error(error):
        app.logger.warning("integrity error: %s", error.orig)
        return _respond(Conflict("the write conflicts with existing data (a duplicate or a "
                                 "reference that changed meanwhile); nothing was written"))

    @app.errorhandler(HTTPException)
    def http_error(error):
        return _plain(error.code, error.name, error.description)

    @app.errorhandler(OperationalError)
    def database_error(error):
        app.logger.exception("database error")
        return _plain(503, "Service Unavailable", "the database is unavailable or busy; try again")

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unexpected error")
        return _plain(500, "Internal Server Error",
                      "an unexpected error occurred; it has been logged")
