"""Bounds every request meets before a view runs (see :mod:`qairon.core.limits`).

* the body: at most ``MAX_BODY_BYTES`` (JSON lines streamed to a bulk endpoint:
  ``BULK_MAX_BODY_BYTES``), whether it has a ``Content-Length`` or is chunked;
  413 in the one error shape, naming ``body``;
* its type: JSON on writes (:mod:`qairon.api.body`), 415 otherwise;
* its JSON: depth, ``NaN``, unstorable text (:mod:`qairon.core.jsontext`);
* the URL: a NUL character in the path or a query parameter is refused (400)
  before any database sees it (PostgreSQL cannot store NUL in text).
"""
from flask import Request, request
from werkzeug.exceptions import RequestEntityTooLarge

from qairon.api import body
from qairon.core.errors import BadRequest, TooLarge
from qairon.core.limits import LIMITS
from qairon.core.text import UNSTORABLE, clip, text_problem


def body_limit(req):
    """The most bytes ``req``'s body may have: the bulk limit for streams, else the ordinary."""
    if body.is_streamed(req):
        return LIMITS.bulk_max_body_bytes
    return LIMITS.max_body_bytes


class BoundedRequest(Request):
    """A request whose body limit depends on where it goes: streams get the bulk limit.

    Werkzeug stops reading a chunked body quietly at ``max_content_length``, so
    the stream is allowed one byte more than the limit: a body that reaches it
    is larger than allowed, and :meth:`get_data` (what every JSON reader uses)
    and the bulk stream reader refuse it.
    """

    @property
    def max_content_length(self):
        """One byte more than :func:`body_limit`, so that going past it can be seen."""
        return body_limit(self) + 1

    def get_data(self, *args, **kwargs):
        """The body, or 413 when it is larger than :func:`body_limit`."""
        data = super().get_data(*args, **kwargs)
        if len(data) > body_limit(self):
            raise RequestEntityTooLarge()
        return data


def too_large(_error):
    """The 413 answer, naming the body and the limit that applies."""
    from qairon.api.errors import error_body, respond
    if body.is_streamed(request):
        limit, key = LIMITS.bulk_max_body_bytes, "BULK_MAX_BODY_BYTES"
        advice = "; split the import into several"
    else:
        limit, key = LIMITS.max_body_bytes, "MAX_BODY_BYTES"
        advice = ("; stream large imports as JSON lines (Content-Type: application/x-ndjson)"
                  if body.streams(request) else "")
    return respond(error_body(TooLarge(
        f"the request body is larger than {limit:,} bytes, the limit ({key}){advice}",
        field="body")))


def check_url():
    """Refuse a NUL character (or a lone surrogate) in the URL path or a query parameter."""
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and UNSTORABLE.search(value):
            raise BadRequest(text_problem("the ID in the URL", value, UNSTORABLE), field="id")
    for name, value in request.args.items(multi=True):
        if UNSTORABLE.search(name):
            raise BadRequest(text_problem("a query parameter name", name, UNSTORABLE),
                             field="query")
        if UNSTORABLE.search(value):
            raise BadRequest(text_problem(f"query parameter {clip(name)}", value, UNSTORABLE),
                             field=name)


def init_app(app):
    """Install the request class, the JSON reader, the checks and the 413 answer on ``app``.

    Call it after the faces are registered: its WSGI middleware must see a
    request before theirs does.
    """
    app.request_class = BoundedRequest
    provider = body.BoundedJSONProvider(app)
    provider.sort_keys = app.json.sort_keys
    app.json = provider
    app.before_request_funcs.setdefault(None, [])[:0] = [check_url, body.check_content_type]
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.wsgi_app = body.CurlFormMiddleware(app.wsgi_app)
