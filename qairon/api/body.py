"""Request bodies: which content types a write may carry, and JSON read within bounds.

A write (POST, PATCH, PUT with a body) under ``/api/`` must say it is JSON:
``application/json`` or ``application/vnd.api+json``; JSON lines
(``application/x-ndjson`` and its aliases) go to the streaming endpoints
only (:func:`streamed`). A browser can send other types across sites
without asking first (``text/plain``, a form), so anything else is
refused with 415 — with one deliberate exception for curl: ``curl -d``
labels its body ``application/x-www-form-urlencoded``, and a body with that
type or with none is read as JSON when the request carries **no cookie**.
A cross-site form post from a browser carries the site's cookies; curl and
qcli send none. (With ``QAIRON_AUTH=off`` anything local may write anyway.)
"""
from flask import current_app, request
from flask.json.provider import DefaultJSONProvider

from qairon.core.errors import BadRequest, Unsupported
from qairon.core.jsontext import loads
from qairon.core.limits import LIMITS
from qairon.core.text import is_digits

JSON_TYPES = ("application/json", "application/vnd.api+json")
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines",
                "application/x-jsonlines")
FORM_TYPE = "application/x-www-form-urlencoded"
WRITE_METHODS = ("POST", "PATCH", "PUT")
API_PREFIX = "/api/"
#: Where the type a client sent is kept when a cookie-less form type is read as JSON.
ORIGINAL_TYPE = "qairon.original_content_type"


def streamed(view):
    """Mark ``view`` as reading JSON lines as a stream, with ``BULK_MAX_BODY_BYTES``."""
    view.streamed_body = True
    return view


def has_body(environ):
    """True when a request carries a body (a length above 0, or a chunked one)."""
    length = environ.get("CONTENT_LENGTH") or "0"
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or (is_digits(length.strip()) and int(length) > 0)


def mimetype_of(environ):
    """The media type of a request, without parameters, in lower case."""
    return environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()


class CurlFormMiddleware:
    """Before any view or face reads the headers: keep the Content-Type a write was sent
    with (:data:`ORIGINAL_TYPE`, what :func:`check_content_type` judges), and read a
    cookie-less body labelled as a form, or not labelled, as JSON."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if (environ.get("PATH_INFO", "").startswith(API_PREFIX)
                and environ.get("REQUEST_METHOD") in WRITE_METHODS and has_body(environ)):
            environ[ORIGINAL_TYPE] = environ.get("CONTENT_TYPE", "")
            if mimetype_of(environ) in (FORM_TYPE, "") and not environ.get("HTTP_COOKIE"):
                environ["CONTENT_TYPE"] = "application/json"
        return self.app(environ, start_response)


def streams(req):
    """True when ``req`` goes to a view marked :func:`streamed`."""
    view = current_app.view_functions.get(req.endpoint) if req.endpoint else None
    return getattr(view, "streamed_body", False)


def is_streamed(req):
    """True when ``req`` goes to a streaming view and carries JSON lines."""
    return streams(req) and req.mimetype in NDJSON_TYPES


def check_content_type():
    """Refuse (415) a write under ``/api/`` whose body was not sent as JSON.

    The type judged is the one the client sent (a face may relabel a body
    afterwards); a form type or none counts as JSON only without a cookie.
    """
    if (request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX)
            or not has_body(request.environ)):
        return
    sent = mimetype_of({"CONTENT_TYPE": request.environ.get(ORIGINAL_TYPE,
                                                            request.content_type or "")})
    if sent in JSON_TYPES or (sent in NDJSON_TYPES and streams(request)):
        return
    if sent in (FORM_TYPE, "") and not request.headers.get("Cookie"):
        return
    given = sent or "none"
    also = ", or JSON lines (application/x-ndjson)" if streams(request) else ""
    cookie = (" (a form type is read as JSON only from clients that send no cookie, "
              "such as curl)" if given in (FORM_TYPE, "none") else "")
    raise Unsupported(f"Content-Type {given} is not accepted for a write; send "
                      f"Content-Type: application/json{also}{cookie}", field="Content-Type")


def json_body():
    """The request body parsed as JSON within the bounds (depth, NaN, text); 400 otherwise."""
    data = request.get_data(cache=True)
    if not data.strip():
        raise BadRequest("the request body is empty; send a JSON object", field="body")
    return loads(data, LIMITS.json_max_depth)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading every JSON text (``request.get_json``, the JSON:API
    face's bodies and filters) through :func:`qairon.core.jsontext.loads`."""

    def loads(self, s, **kwargs):
        """Parse ``s`` within the bounds; :class:`~qairon.core.jsontext.JsonRefused` otherwise."""
        return loads(s, LIMITS.json_max_depth)
