"""Running Qairon in production: metrics, the request log, request IDs.

:func:`init_app` installs it all: the request log's handler (:mod:`.logs`),
the middleware that gives every request an ID, a log line and its metrics
(:mod:`.middleware`), the counters of writes, allocations and imports
(:mod:`.counting`) and ``/metrics`` (:mod:`.views`). See docs/OPERATIONS.md.
"""


def init_app(app):
    """Install the request log, the request middleware, the counters and ``/metrics``."""
    from qairon.ops import counting, logs, middleware, views
    logs.init_app(app)
    middleware.init_app(app)
    counting.init_app(app)
    app.register_blueprint(views.bp)
