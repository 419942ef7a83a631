"""The OpenAPI description of the API, generated from the registry and the URL map.

``GET /api/openapi.json`` serves it and ``/api/docs/`` renders it (see
:mod:`qairon.openapi.views`); :func:`qairon.openapi.document.build` assembles it.
"""


def init_app(app):
    """Serve the document and the documentation viewer."""
    from qairon.openapi.views import bp
    app.register_blueprint(bp)
