"""Every request, observed from the outside: its ID, its log line and its metrics.

:class:`Observed` wraps the application's WSGI callable, so it sees the whole
request — routing, the transaction and its retries, the commit, the body sent.
The request ID is the caller's ``X-Request-ID`` when it is a plain token
(letters, digits, ``.-_``, at most 128), else a new one; it is sent back in
the same header. Inside, ``before_request``/``after_request`` leave the route
template and the actor in the WSGI environment for the line; a
``before_cursor_execute`` listener counts the request's SQL statements.
"""
import re
import time
import uuid
from contextvars import ContextVar

from flask import request
from sqlalchemy import event
from werkzeug.wsgi import ClosingIterator

from qairon.extensions import db
from qairon.ops import logs
from qairon.ops.counting import sample_pool
from qairon.ops.metrics import metrics

HEADER = "X-Request-ID"
ROUTE, ACTOR, ID = "qairon.route", "qairon.actor", "qairon.request_id"
UNMATCHED = "<unmatched>"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
#: The pool gauges are sampled at most this often per worker (and at every scrape).
POOL_SAMPLE_SECONDS = 1.0
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

_statements = ContextVar("qairon_sql_statements", default=None)


def request_id(environ):
    """The caller's request ID when it is acceptable, else a new one."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    return given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex


def count_statement(*_args):
    """``before_cursor_execute``: one more statement for the request being served."""
    counter = _statements.get()
    if counter is not None:
        counter[0] += 1


def note_route():
    """``before_request``: the route template the request matched."""
    rule = request.url_rule
    request.environ[ROUTE] = rule.rule if rule is not None else UNMATCHED


def note_actor(response):
    """``after_request``: the name of the actor the request was served for."""
    from qairon.pipeline.actor import actor_of
    request.environ[ACTOR] = actor_of(db.session).name
    return response


class Observed:
    """WSGI middleware: request ID in and out, then one log line and the request metrics."""

    def __init__(self, wsgi_app, engine, log=True, measure=True):
        self.wsgi_app = wsgi_app
        self.engine = engine
        self.log = log
        self.measure = measure
        self.sampled = float("-inf")

    def __call__(self, environ, start_response):
        rid = environ[ID] = request_id(environ)
        started, counter, answer = time.perf_counter(), [0], {}
        token = _statements.set(counter)
        in_flight = metrics()["http_requests_in_flight"] if self.measure else None
        if in_flight is not None:
            in_flight.inc()

        def start(status, headers, exc_info=None):
            headers.append((HEADER, rid))
            answer["status"], answer["headers"] = status.split(" ", 1)[0], headers
            return start_response(status, headers, exc_info)

        def finish():
            if in_flight is not None:
                in_flight.dec()
            self.finish(environ, answer, time.perf_counter() - started, counter[0])

        try:
            return ClosingIterator(self.wsgi_app(environ, start), [finish])
        except BaseException:
            finish()
            raise
        finally:
            _statements.reset(token)

    def finish(self, environ, answer, seconds, statements):
        """Count the request and write its line."""
        method = environ.get("REQUEST_METHOD", "")
        method = method if method in METHODS else "other"
        route = environ.get(ROUTE, UNMATCHED)
        status = answer.get("status", "500")
        if self.measure:
            found = metrics()
            found["http_requests_total"].labels(route, method, status).inc()
            found["http_request_duration_seconds"].labels(route, method, status).observe(
                seconds)
            now = time.monotonic()
            if now - self.sampled >= POOL_SAMPLE_SECONDS:
                self.sampled = now
                sample_pool(self.engine)
        if self.log:
            headers = dict(answer.get("headers", ()))
            logs.log_request({"method": method, "route": route, "status": int(status),
                              "duration_ms": round(seconds * 1000, 2), "sql": statements,
                              "request_id": environ[ID], "actor": environ.get(ACTOR),
                              "changeset": headers.get("Qairon-Changeset")})


def init_app(app):
    """Wrap ``app``'s WSGI callable and note the route and actor of each request."""
    from qairon.config import flag
    app.before_request(note_route)
    app.after_request(note_actor)
    with app.app_context():
        engine = db.engine
    app.wsgi_app = Observed(app.wsgi_app, engine, log=flag(app.config.get("REQUEST_LOG", True)),
                            measure=flag(app.config.get("METRICS", True)))
    if not event.contains(engine, "before_cursor_execute", count_statement):
        event.listen(engine, "before_cursor_execute", count_statement)
