"""Every JSON:API error answers in the one error shape, inside ``{"errors": [...]}``.

Our refusals (:mod:`qairon.api.errors`) gain JSON:API's ``source`` members:
``parameter`` for a query parameter, ``pointer`` for a member of the request
document; ``field`` stays, as on the plain face. An error Flask-Restless-NG
rendered itself — one that no check of ours caught first — is replaced by a
sentence of ours for its status and URL: its own text (Python class names, SQL
statements, row contents) never reaches the client. Its log records of the
errors it renders are dropped, so ordinary 4xx answers log no traceback.
"""
import json
import logging
import os

from flask import current_app, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import HTTP_STATUS_CODES

from qairon.api.errors import STATUS
from qairon.api.jsonapi_params import FILTER, INCLUDE, PAGE_NUMBER, PAGE_SIZE, SORT
from qairon.api.jsonapi_routes import current_route, on_jsonapi
from qairon.core.errors import QaironError
from qairon.extensions import db
from qairon.models.lookup import missing

JSONAPI = "application/vnd.api+json"
OUR_MEMBERS = {"status", "title", "detail", "source", "meta"}
#: plain-face names of the parameters refusals name -> the JSON:API face's names
PARAMETERS = {"filter": FILTER, FILTER: FILTER, PAGE_SIZE: PAGE_SIZE, PAGE_NUMBER: PAGE_NUMBER,
              SORT: SORT, INCLUDE: INCLUDE, "cascade": "cascade"}
HEADERS = {406: "Accept", 415: "Content-Type"}
GENERIC = {
    400: "the request is not one this JSON:API endpoint takes",
    403: "this change is not allowed through the JSON:API face",
    406: "the Accept header must allow application/vnd.api+json (or application/json, */*)",
    409: "the document's type or ID does not match this endpoint",
    415: "send the body as application/vnd.api+json without media type parameters "
         "(or as application/json)",
}
#: Flask-Restless-NG's titles for the database errors it catches -> (status, our sentence)
DATABASE = {
    "Integrity Error": (409, "the write conflicts with existing data (a duplicate or a "
                             "reference that changed meanwhile); nothing was written"),
    "Operational Error": (503, "the database is unavailable or busy; try again"),
    "Data Error": (400, "a value does not fit its field; nothing was written"),
}
UNEXPECTED = "an unexpected error occurred; it has been logged"


def _title(status):
    return dict(STATUS.values()).get(status) or HTTP_STATUS_CODES.get(status, "Error")


def _document():
    """The request's ``data`` object, or ``{}`` when the body is not a readable document."""
    try:
        document = request.get_json(force=True, silent=True) if request.content_length else None
    except QaironError:  # refused by the bounds (too deep, NaN, NUL): no pointer into it
        document = None
    data = document.get("data") if isinstance(document, dict) else None
    return data if isinstance(data, dict) else {}


def _pointer(field):
    """Where ``field`` sits in the request document (a JSON pointer), or None."""
    if request.method not in ("POST", "PATCH", "DELETE") or not request.content_length:
        return None
    if request.url_rule is not None and "/relationships/" in request.url_rule.rule:
        return "/data"
    if field == "body":
        return ""
    if field in ("id", "type", "attributes", "relationships"):
        return f"/data/{field}"
    data = _document()
    attributes, links = data.get("attributes"), data.get("relationships")
    attributes = attributes if isinstance(attributes, dict) else {}
    links = links if isinstance(links, dict) else {}
    if field in attributes:
        return f"/data/attributes/{field}"
    for name in links:
        if name == field or f"{name}_id" == field:
            return f"/data/relationships/{name}"
    return "/data"


#: Fields that name a request header rather than a member of the document.
HEADER_FIELDS = ("Content-Type", "Accept", "Authorization")


def source_of(field):
    """The JSON:API ``source`` of a refusal naming ``field``."""
    if field is None:
        return None
    if field in PARAMETERS:
        return {"parameter": PARAMETERS[field], "field": PARAMETERS[field]}
    if field in HEADER_FIELDS:
        return {"header": field, "field": field}
    pointer = _pointer(field)
    return {"pointer": pointer, "field": field} if pointer is not None else {"field": field}


def _not_found():
    """Our sentence for a 404 a JSON:API view rendered itself, from the URL it served."""
    try:
        route = current_route()
        if route.resource_id is not None and db.session.get(route.cls, route.resource_id) is None:
            error = missing(db.session, route.cls, route.resource_id)  # names a new ID
            return error.detail, "id", error.meta
        if route.related_id is not None:
            return (f"{route.target.resource} {route.related_id!r} is not among the "
                    f"{route.relation.key} of {route.cls.resource} {route.resource_id!r}",
                    "id", None)
    except QaironError as exc:
        return exc.detail, exc.field, exc.meta
    except SQLAlchemyError:  # the database cannot tell: say what was asked for
        pass
    return f"nothing is served at {request.path}", None, None


def _theirs(error, status):
    """Our error object (and status) for one Flask-Restless-NG rendered."""
    field = meta = None
    if error.get("title") in DATABASE:
        current_app.logger.warning("database error on %s %s: %s", request.method, request.path,
                                   error.get("title"))
        status, detail = DATABASE[error["title"]]
    elif status == 404:
        detail, field, meta = _not_found()
    elif status >= 500:
        current_app.logger.error("JSON:API view failed on %s %s: %s", request.method,
                                 request.path, error.get("detail"))
        detail = UNEXPECTED
    else:
        detail = GENERIC.get(status, GENERIC[400])
    if status in HEADERS:
        source = {"header": HEADERS[status]}
    elif field is not None:
        source = source_of(field)
    else:  # a write's document as a whole, or nothing to point at
        source = {"pointer": "/data"} if _pointer("data") is not None else None
    out = {"status": str(status), "title": _title(status), "detail": detail, "source": source}
    if meta:
        out["meta"] = meta
    return status, out


def _ours(error):
    field = (error.get("source") or {}).get("field")
    if not field or (field == "id" and error.get("status") == "404"):
        return error  # nothing, or the object the URL names: no member of a document
    return dict(error, source=source_of(field))


def translate(response):
    """``after_request`` on the JSON:API face: every error object in our shape and words."""
    if response.status_code < 400 or not on_jsonapi() or not response.is_json:
        return response
    body = response.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return response
    status, errors = response.status_code, []
    for error in body["errors"]:
        if not isinstance(error, dict) or set(error) - OUR_MEMBERS:
            status, error = _theirs(error if isinstance(error, dict) else {}, status)
        else:
            error = _ours(error)
        errors.append(error)
    response.set_data(json.dumps({"errors": errors}))
    response.status_code = status
    response.mimetype = JSONAPI
    return response


class LibraryLogFilter(logging.Filter):
    """Drop Flask-Restless-NG's log records of the errors it renders: the answer says it all."""

    def filter(self, record):
        return "/flask_restless/" not in record.pathname.replace(os.sep, "/")


def install(app):
    """Install the translation and the log filter on ``app``."""
    app.logger.addFilter(LibraryLogFilter())
    app.after_request(translate)

