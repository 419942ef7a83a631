"""The OpenAPI 3.1 document of a Qairon app, assembled from the registry and the URL map.

Nothing in it is written per resource: the components come from the models'
declared columns (:mod:`qairon.openapi.schemas`), the plain face and the
declared actions from the registry (:mod:`qairon.openapi.plain`), the JSON:API
face likewise (:mod:`qairon.openapi.jsonapi`), and every other route of the
URL map generically (:mod:`qairon.openapi.routes`).
"""
from qairon.identity.sessions import CSRF_HEADER
from qairon.models import REGISTRY
from qairon.openapi import jsonapi, plain
from qairon.openapi.operations import error_responses
from qairon.openapi.routes import generic_paths
from qairon.openapi.schemas import SHARED, resource_components
from qairon.version import __version__

DESCRIPTION = """\
Qairon, the single source of truth for infrastructure and operations.

Two faces over the same rules: plain JSON at `/api/<plural>` and JSON:API at
`/api/rest/v1/<resource>` (media type `application/vnd.api+json`). IDs are
canonical strings built by the server from the parent's ID and the object's
names, joined by `:`; they may contain `/`.

Errors have one shape, `{"status", "title", "detail", "source": {"field"}}`
(inside `errors` on JSON:API). `QAIRON_AUTH` decides what needs a token:
`off` nothing, `writes` (the default) every write, `all` every request but
`/up`, `/ready` and the login. Send `Authorization: Bearer qrn_...`.
"""


def security_schemes(app):
    """How a request is authenticated: a token, or the admin UI's session cookie."""
    return {
        "token": {"type": "http", "scheme": "bearer", "bearerFormat": "qrn_...",
                  "description": "an API token (`flask --app qairon token create`); "
                                 "`Authorization: Token <secret>` works too"},
        "session": {"type": "apiKey", "in": "cookie",
                    "name": app.config.get("SESSION_COOKIE_NAME", "session"),
                    "description": f"a signed-in user's cookie; writes also send "
                                   f"`{CSRF_HEADER}`"},
    }


def build(app):
    """The whole document for ``app`` (call inside its app context or not: it reads no rows)."""
    schemas = dict(SHARED)
    paths = {}
    tags = []
    for name in sorted(REGISTRY):
        cls = REGISTRY[name]
        schemas.update(resource_components(cls))
        schemas.update(jsonapi.documents(cls))
        paths.update(plain.resource_paths(cls))
        doc = (cls.__doc__ or name).strip().splitlines()[0]
        tags += [{"name": name, "description": doc},
                 {"name": f"{name} (JSON:API)", "description": doc}]
    paths["/api/bulk"] = plain.bulk_many_path(REGISTRY)
    for cls in (REGISTRY[name] for name in sorted(REGISTRY)):
        paths.update(jsonapi.resource_paths(cls))
    for path, item in generic_paths(app).items():
        for method, op in item.items():
            paths.setdefault(path, {}).setdefault(method, op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Qairon", "version": __version__, "description": DESCRIPTION},
        "tags": tags,
        "security": [{"token": []}, {"session": []}, {}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas, "responses": error_responses(),
                       "securitySchemes": security_schemes(app)},
    }
