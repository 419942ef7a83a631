"""Headers on every response: the version, browser hardening, and CORS only when configured.

* ``X-Content-Type-Options: nosniff`` — JSON is never sniffed into HTML;
* ``Referrer-Policy: no-referrer`` — IDs in URLs do not leak to other sites;
* ``Content-Security-Policy`` — the admin UI to come loads only its own
  scripts and styles and is never framed (``X-Frame-Options`` for old browsers).

Cross-origin browser calls are refused unless ``QAIRON_CORS_ORIGINS`` names
the origin (comma-separated, exact ``scheme://host[:port]``); credentials are
never allowed cross-origin, so only token-bearing requests can use CORS.
"""
from flask import request

from qairon.version import __version__

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Frame-Options": "DENY",
}
CORS_METHODS = "GET, POST, PATCH, PUT, DELETE"
CORS_HEADERS = "Authorization, Content-Type"


def allowed_origins(config):
    """The configured CORS origins as a set (empty: no CORS)."""
    value = config.get("CORS_ORIGINS") or ""
    if isinstance(value, str):
        value = value.split(",")
    return {origin.strip().rstrip("/") for origin in value if origin.strip()}


def install(app):
    """Add the headers to every response of ``app``."""
    origins = allowed_origins(app.config)

    @app.after_request
    def headers(response):
        response.headers["Qairon-Version"] = __version__
        for name, value in SECURITY.items():
            response.headers.setdefault(name, value)
        origin = request.headers.get("Origin")
        if origins and origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers.add("Vary", "Origin")
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
                response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
        return response
