"""Everything served over HTTP: both REST faces, health, schema, errors.

Domain features add their own blueprint to :data:`BLUEPRINTS` (a dotted path
to a module exposing ``bp``); routes beyond CRUD are declared on the models
as ``actions`` and registered by :mod:`qairon.api.actions`.
"""
from importlib import import_module

BLUEPRINTS = [
    "qairon.api.health",
    "qairon.api.plain",
    "qairon.api.bulk_views",
    "qairon.api.generate_views",
]


def register_api(app):
    """Register error handlers, every blueprint, and the JSON:API face."""
    from qairon.api import actions, dbsession, headers, jsonapi, jsonapi_paths, limits
    from qairon.api import errors as errorhandlers
    dbsession.init_app(app)
    errorhandlers.register(app)
    for dotted in BLUEPRINTS:
        app.register_blueprint(import_module(dotted).bp)
    app.register_blueprint(actions.blueprint())
    jsonapi_paths.register(app)  # before the JSON:API checks read the route
    jsonapi.register(app)
    limits.init_app(app)
    headers.install(app)

