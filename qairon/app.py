"""The Flask application factory: config layers, then every part's ``init_app``.

Nothing is registered by importing a module: listeners, hooks and routes are
installed here, in order, so that what runs on a write is read in one place.
"""
import os


def create_app(test_config=None):
    """Build the Flask application: config layers, database, both REST faces, identity, CLI."""
    from qairon.api.transactions import TransactionalFlask
    app = TransactionalFlask("qairon", instance_relative_config=True,
                             template_folder="../templates", static_folder="../static")
    app.url_map.merge_slashes = False  # IDs may hold "//": no redirect to another object
    from qairon.config import Defaults, engine_options, from_environment
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path,
                                                                        "qairon.db")
    app.config.from_pyfile("qairon.cfg", silent=True)
    from_environment(app.config)
    if test_config:
        app.config.update(test_config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config),
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    os.makedirs(app.instance_path, exist_ok=True)
    from qairon.core.limits import configure as configure_limits
    configure_limits(app.config)
    app.json.sort_keys = False  # objects keep their declared order: id, resource, columns

    from qairon import plugins
    loaded = plugins.load(app.config)  # their resources join the registry before it is read
    from qairon import database, history, identity, models, pipeline, transient  # noqa: F401  (models fill the registry)
    from qairon.extensions import db, migrate
    from qairon.network import hint
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..",
                                                     "migrations"))
    database.init_app(app)
    transient.init_app(app)
    pipeline.init_app(app)
    hint.init_app(app)
    history.init_app(app)
    from qairon import ops
    ops.init_app(app)  # metrics, request IDs and the request log (before identity's checks)
    from qairon.api import register_api
    register_api(app)
    identity.init_app(app)
    from qairon import openapi
    openapi.init_app(app)
    from qairon import admin
    admin.init_app(app)
    from qairon import replicas
    replicas.init_app(app)  # reads to replicas: after identity, which reads tokens on the primary
    from qairon.commands import register_commands
    register_commands(app)
    plugins.init_app(app, loaded)  # routes, hooks, walk edges and migrations of each plugin
    return app
