"""Every failure answers in one JSON shape; nothing half-written survives it.

This is the one place where a kind of refusal (:mod:`qairon.core.errors`)
becomes an HTTP status. The plain face answers the error object itself; the
JSON:API face answers it inside ``{"errors": [...]}``.
"""
import logging

from flask import current_app, jsonify, request
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from qairon.core.errors import Conflict, QaironError
from qairon.extensions import db

#: kind -> (status, title)
STATUS = {
    "bad_input": (400, "Bad Request"),
    "unauthorized": (401, "Unauthorized"),
    "forbidden": (403, "Forbidden"),
    "not_found": (404, "Not Found"),
    "conflict": (409, "Conflict"),
    "too_large": (413, "Content Too Large"),
    "unsupported": (415, "Unsupported Media Type"),
    "rule": (422, "Unprocessable Entity"),
    "throttled": (429, "Too Many Requests"),
    "unavailable": (503, "Service Unavailable"),
}
JSONAPI_PREFIX = "/api/rest/v1"
#: ``app.extensions`` key of ``(path prefix, render(body) -> response)``: pages under the
#: prefix (the admin UI) answer a refusal as HTML, with the same status and sentence.
PAGES_KEY = "qairon.error_pages"


def status_of(error):
    """The HTTP status of a refusal's kind."""
    return STATUS[error.kind][0]


def error_body(error):
    """The one error shape of a refusal: status, title, detail, source, [meta]."""
    status, title = STATUS[error.kind]
    body = {"status": status, "title": title, "detail": error.detail,
            "source": {"field": error.field} if error.field else None}
    if error.meta:
        body["meta"] = error.meta
    return body


def refusal_headers(error):
    """Headers a refusal carries: how to authenticate (401), when to try again (429)."""
    if error.kind == "unauthorized":
        return {"WWW-Authenticate": 'Bearer realm="qairon"'}
    if error.kind == "throttled" and error.meta and "retry_after" in error.meta:
        return {"Retry-After": str(error.meta["retry_after"])}
    return {}


def respond(body):
    """Roll back, then answer ``body`` (the one shape) on either face."""
    db.session.rollback()
    pages = current_app.extensions.get(PAGES_KEY)
    if pages is not None and request.path.startswith(pages[0]):
        response = pages[1](body)
    elif request.path.startswith(JSONAPI_PREFIX):
        payload = {"errors": [dict(body, status=str(body["status"]))]}
        response = jsonify(payload)
        response.mimetype = "application/vnd.api+json"
    else:
        response = jsonify(body)
    response.status_code = body["status"]
    return response


class ClientErrorFilter(logging.Filter):
    """Drop tracebacks of client errors (Flask-Restless-NG logs every one it renders)."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, QaironError)


def _plain(status, title, detail):
    return respond({"status": status, "title": title, "detail": detail, "source": None})


def register(app):
    """Install the JSON error handlers on ``app``; each request gets a fresh session."""
    app.logger.addFilter(ClientErrorFilter())

    @app.teardown_request
    def end_session(_exc):
        db.session.remove()

    @app.errorhandler(QaironError)
    def qairon_error(error):
        response = respond(error_body(error))
        response.headers.update(refusal_headers(error))
        return response

    @app.errorhandler(IntegrityError)
    def integrity_error(error):
        app.logger.warning("integrity error: %s", type(error.orig).__name__)
        return respond(error_body(Conflict(
            "the write conflicts with existing data (a duplicate or a reference that "
            "changed meanwhile); nothing was written")))

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
