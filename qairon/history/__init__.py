"""History: every change recorded, any past moment readable, mistakes undone.

:func:`init_app` installs, in order: the ``record`` hook of the write pipeline
and the session events that turn its rows into one changeset per commit
(:mod:`~qairon.history.record`); the point-in-time read listener
(:mod:`~qairon.history.as_of`) and the request hooks that start it for
``?as_of=`` reads; the ``Qairon-Changeset`` header; the HTTP endpoints
(:mod:`~qairon.history.views`); the ``flask history`` commands.
"""
from flask import g, request
from sqlalchemy import event

from qairon.extensions import db

AS_OF_HEADER = "Qairon-As-Of"
READS = ("GET", "HEAD")
#: Endpoints about the history itself, which read the record, not the past.
OWN = ("history.", "actions.history_")


def wants_past():
    """True for an API read that asks ``as_of`` (the history's own endpoints excepted)."""
    return (request.method in READS and request.path.startswith("/api/")
            and "as_of" in request.args
            and not (request.endpoint or "").startswith(OWN))


def _start_past_read():
    g.qairon_changeset = g.qairon_as_of = None  # g outlives a request where the app context does
    if not wants_past():
        return
    from qairon.history import as_of
    from qairon.history.cut import resolve
    cut = resolve(db.session, request.args.get("as_of"))
    as_of.begin(db.session, cut.change_id)
    g.qairon_as_of = cut


def _headers(response):
    from qairon.history.record import header
    cut = g.get("qairon_as_of")
    if cut is not None:
        response.headers[AS_OF_HEADER] = str(cut.changeset_id)
    return header(response)


def init_app(app):
    """Record every write, serve the history, answer reads ``as_of`` a moment."""
    from qairon.history import as_of, commands, record, views
    from qairon.pipeline import add_hook
    if str(app.config.get("HISTORY_RECORD", "on")).lower() not in ("0", "off", "false", "no"):
        add_hook(app, "record", record.record)
    for name, listener in (("before_commit", record.before_commit),
                           ("after_soft_rollback", record.rolled_back)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    with app.app_context():
        as_of.install(db.engine)
    app.before_request(_start_past_read)
    app.after_request(_headers)
    app.register_blueprint(views.bp)
    commands.register(app)
