"""Reads on PostgreSQL streaming replicas; writes, and reads that must see them, on the primary.

With ``QAIRON_REPLICA_URLS`` (comma-separated PostgreSQL URLs) a ``GET`` or
``HEAD`` is served by a replica in rotation (:mod:`.state`), chosen after the
request is authenticated (so a token just created is found on the primary).
Everything else stays on the primary: writes, allocation, any request in a
write transaction, point-in-time reads (``?as_of=``, whose temporary views a
replica cannot hold), ``/ready`` and ``/metrics``.

*Read-your-writes.* A committed write answers with ``Qairon-Commit-LSN``, the
primary's WAL position after its commit. A client that sends it back as
``Qairon-Read-After`` is served by a replica only once that replica has
replayed past it, else by the primary (qcli does so). ``Qairon-Served-By``
names the database that served a read.

*Failover.* A replica whose connection fails is taken out of rotation at once
and the request runs again (on the primary: :mod:`qairon.api.transactions`);
one that falls behind by more than ``REPLICA_MAX_LAG_SECONDS`` is taken out at
the next check. ``/ready`` reports each replica's state.
"""
from flask import current_app, g, has_request_context, request
from sqlalchemy import event

from qairon.extensions import db
from qairon.replicas.state import Replicas, lsn, watch_failures
from qairon.session import REPLICA_KEY
from qairon.transient import LOST, Transient, reason_of

EXTENSION = "qairon.replicas"
COMMIT_HEADER, READ_AFTER, SERVED_BY = "Qairon-Commit-LSN", "Qairon-Read-After", \
    "Qairon-Served-By"
COMMITTED, SERVED = "qairon.committed", "qairon_served_by"
READS = ("GET", "HEAD")
PRIMARY_ONLY = ("health.ready", "metrics.scrape")


def replicas_of(app):
    """The :class:`~.state.Replicas` of ``app``, or None without replicas."""
    return app.extensions.get(EXTENSION)


def describe():
    """The replicas of the current app as ``/ready`` reports them (None without replicas)."""
    replicas = replicas_of(current_app)
    if replicas is None:
        return None
    replicas.refresh(force=True)
    _publish(replicas)
    return [replica.describe() for replica in replicas.replicas]


def forget():
    """First ``before_request``: a request (or its retry) starts on the primary."""
    db.session.info.pop(REPLICA_KEY, None)
    g.pop(SERVED, None)


def route_read():
    """``before_request`` (after authentication): send a read to a replica that may serve it."""
    if request.method not in READS or "as_of" in request.args or \
            request.endpoint in PRIMARY_ONLY or request.endpoint is None:
        return
    replicas = replicas_of(current_app)
    replica = replicas.choose(lsn(request.headers.get(READ_AFTER)))
    _publish(replicas)
    if replica is not None:
        db.session.info[REPLICA_KEY] = replica.engine
        g.setdefault(SERVED, replica.name)


def name_server(response):
    """``after_request``: say (and count) which database served a read."""
    if request.method in READS:
        served = g.get(SERVED, "primary")
        response.headers[SERVED_BY] = served
        from qairon.ops.metrics import metrics
        metrics()["replica_reads_total"].labels(served).inc()
    return response


def _publish(replicas):
    from qairon.ops.metrics import metrics
    gauge = metrics()["replica_in_rotation"]
    for replica in replicas.replicas:
        gauge.labels(replica.name).set(1 if replica.state == "ok" else 0)


def note_commit(session):
    """``after_commit``: the request committed a write (its answer names the position)."""
    if has_request_context() and replicas_of(current_app) is not None:
        request.environ[COMMITTED] = True


class CommitPosition:
    """WSGI middleware: ``Qairon-Commit-LSN`` on the answer of a request that committed."""

    def __init__(self, wsgi_app, replicas, logger):
        self.wsgi_app, self.replicas, self.logger = wsgi_app, replicas, logger

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            if environ.pop(COMMITTED, False):
                try:
                    headers.append((COMMIT_HEADER, self.replicas.commit_position()))
                except Exception as error:  # noqa: BLE001 - the answer is still sent
                    self.logger.warning("could not read the commit position: %s",
                                        type(error).__name__)
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, start)


def _as_transient(replica):
    """A failed replica connection is a lost connection: the request runs again elsewhere."""
    def failed(context):
        if replica.state == "down":
            raise Transient(LOST) from context.sqlalchemy_exception
        reason = reason_of(context.original_exception, context.is_disconnect)
        if reason is not None:
            raise Transient(reason) from context.sqlalchemy_exception
    return failed


def init_app(app):
    """With ``REPLICA_URLS``: the replicas' engines, the read routing and the commit position."""
    urls = app.config.get("REPLICA_URLS") or ()
    if isinstance(urls, str):
        urls = [u.strip() for u in urls.split(",") if u.strip()]
    if not urls:
        return
    from qairon.config import engine_options
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise ValueError("QAIRON_REPLICA_URLS needs a PostgreSQL primary "
                         "(SQLALCHEMY_DATABASE_URI)")
    options = engine_options({**app.config, "SQLALCHEMY_DATABASE_URI": urls[0]})
    options["connect_args"] = {**options.get("connect_args", {}), "connect_timeout": 2}
    with app.app_context():
        primary = db.engine
    replicas = Replicas(primary, urls, options, app.config.get("REPLICA_MAX_LAG_SECONDS", 5),
                        app.config.get("REPLICA_CHECK_SECONDS", 1))
    for replica in replicas.replicas:
        watch_failures(replica, reason_of)
        event.listen(replica.engine, "handle_error", _as_transient(replica))
    app.extensions[EXTENSION] = replicas
    app.before_request_funcs.setdefault(None, []).insert(0, forget)
    app.before_request(route_read)
    app.after_request(name_server)
    if not event.contains(db.session, "after_commit", note_commit):
        event.listen(db.session, "after_commit", note_commit)
    app.wsgi_app = CommitPosition(app.wsgi_app, replicas, app.logger)
