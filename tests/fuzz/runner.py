"""Send drawn requests to a target, check every answer, and keep the tally.

A target is the Flask test client of an app (:class:`ClientTarget`) or a live
server (:class:`LiveTarget`). Hypothesis draws the requests (generation only:
a run never stops at the first failure, it counts them all); ``seed`` makes a
run repeat exactly. The seed world is created first and again every
:data:`RESEED` requests, since fuzzed deletes cascade through it. Against an
app (not a live server) every table is summed up after each answer
(:mod:`tests.fuzz.rows`): a refused request that changed a row is a problem.
"""
import contextvars
import http.client
import json
import logging
import os
import traceback
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

from tests.support.world import WORLD

from . import rows
from .checks import problems
from .jsonapi import jsonapi_requests
from .plain import plain_requests

RESEED = 250
EXAMPLES_PER_PROBLEM = 2


class CauseRecorder(logging.Handler):
    """Keeps the last exception the app logged: its type, message and where it was raised."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.cause = None

    def emit(self, record):
        if not record.exc_info or record.exc_info[1] is None:
            return
        error = record.exc_info[1]
        frame = traceback.extract_tb(record.exc_info[2])[-1]
        where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
        self.cause = f"{type(error).__name__}: {str(error)[:90]} ({where})"


class ClientTarget:
    """An app reached through its test client; the cause of every 5xx is read from its log."""

    name = "test client"

    def __init__(self, app, quiet=False):
        self.app = app
        self.client = app.test_client()
        self.recorder = CauseRecorder()
        app.logger.addHandler(self.recorder)
        if quiet:
            from flask.logging import default_handler
            app.logger.removeHandler(default_handler)
            app.logger.propagate = False

    def send(self, request):
        """(status, body bytes, cause of a 5xx or None) of ``request``."""
        self.recorder.cause = None
        # an empty context: the request gets its own app context (and ``g``), as when served
        response = contextvars.Context().run(
            self.client.open, request.quoted_path(), method=request.method,
            query_string=request.query_string(), data=request.body_bytes(),
            headers=request.headers())
        cause = self.recorder.cause if response.status_code >= 500 else None
        return response.status_code, response.get_data(), cause

    def tables(self):
        """Row counts and checksums of every table (:func:`tests.fuzz.rows.summary`)."""
        from qairon.extensions import db
        with self.app.app_context():
            return rows.summary(db.engine, db.metadata)


class LiveTarget:
    """A server reached over HTTP/1.1 at ``url``."""

    tables = None  # the database is out of reach: refusals are not checked for writes

    def __init__(self, url, token=None):
        self.name = url
        self.auth = {"Authorization": f"Bearer {token}"} if token else {}
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.connection = None

    def send(self, request):
        """(status, body bytes, None) of ``request``; the connection is reopened when closed."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(request.method, request.target(), request.body_bytes(),
                                        {**request.headers(), **self.auth})
                response = self.connection.getresponse()
                return response.status, response.read(), None
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def seed_world(target, cat):
    """Create the seed world through the plain face (existing objects answer 409)."""
    from .request import FuzzRequest
    for resource, fields, _object_id in WORLD:
        target.send(FuzzRequest("seed", "POST", f"/api/{cat.plural(resource)}", [],
                                json.dumps(fields)))


@dataclass
class Tally:
    """Counts per face, and a few examples of every distinct problem."""

    requests: Counter = field(default_factory=Counter)
    statuses: dict = field(default_factory=dict)
    problems: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def record(self, request, answer, found):
        """Count one answer ``(status, body, cause)``; keep an example of each new problem."""
        status, body, cause = answer
        self.requests[request.face] += 1
        self.statuses.setdefault(request.face, Counter())[status] += 1
        for problem in found:
            self.problems[(request.face, problem)] += 1
            key = (request.kind, problem, status, cause or "")
            kept = self.examples.setdefault(key, [])
            if len(kept) < EXAMPLES_PER_PROBLEM:
                kept.append((request.describe(), status, body[:400].decode("utf-8", "replace")))

    @property
    def failures(self):
        """How many problems were seen in all."""
        return sum(self.problems.values())

    def count(self, problem):
        """How many answers had ``problem`` (``5xx``, or ``leak`` for any leak)."""
        return sum(n for (_face, p), n in self.problems.items() if p.startswith(problem))


def run(target, cat, requests, seed=None):
    """Send ``requests`` drawn requests to ``target``; return the :class:`Tally`."""
    tally = Tally()
    strategy = st.one_of(plain_requests(cat), jsonapi_requests(cat))
    seed_world(target, cat)
    state = {"tables": target.tables() if target.tables else None}

    @settings(max_examples=requests, derandomize=seed is None, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck),
              verbosity=Verbosity.quiet)
    @given(strategy)
    def one(request):
        if sum(tally.requests.values()) % RESEED == RESEED - 1:
            seed_world(target, cat)
            state["tables"] = target.tables() if target.tables else None
        answer = target.send(request)
        found = problems(request, answer[0], answer[1])
        if state["tables"] is not None:
            after = target.tables()
            if answer[0] >= 400 and rows.changed(state["tables"], after):
                found.append("refused but wrote " + ", ".join(rows.changed(state["tables"], after)))
            state["tables"] = after
        tally.record(request, answer, found)

    if seed is not None:
        one = fixed_seed(seed)(one)
    one()
    return tally
