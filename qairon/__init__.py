"""Qairon: a single source of truth for infrastructure and operations."""
import os

from flask import Flask

from .version import __version__  # noqa: F401


def create_app(test_config=None):
    """Build the Flask application: config layers, database, both REST faces, CLI."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    from .config import Defaults, engine_options, from_environment
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path,
                                                                        "qairon.db")
    app.config.from_pyfile("qairon.cfg", silent=True)
    from_environment(app.config)
    if test_config:
        app.config.update(test_config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.sort_keys = False  # objects keep their declared order: id, resource, columns

    from . import models, rules, sqlite  # noqa: F401  (models register, rules listen)
    from .extensions import db, migrate
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..",
                                                     "migrations"))
    from .api import register_api
    register_api(app)
    from .commands import register_commands
    register_commands(app)
    return app
