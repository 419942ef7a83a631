"""Headers on every response: the version, browser hardening, and CORS only when configured.

* ``X-Content-Type-Options: nosniff`` — JSON is never sniffed into HTML;
* ``Referrer-Policy: no-referrer`` — IDs in URLs do not leak to other sites;
* ``Content-Security-Policy`` — the admin UI (``/admin``) loads only its own
  scripts and styles and is never framed (``X-Frame-Options`` for old browsers).

Every header value goes out as printable ASCII: other characters are
percent-encoded as UTF-8 (Flask-Restless-NG's pagination ``Link`` repeats the
request's query as decoded, and a server cannot write ``é`` or ``\x01`` in a
header: the client saw a dropped connection).

Cross-origin browser calls are refused unless ``QAIRON_CORS_ORIGINS`` names
the origin (comma-separated, exact ``scheme://host[:port]``); credentials are
never allowed cross-origin, so only token-bearing requests can use CORS.
"""
from urllib.parse import quote

from flask import request
from werkzeug.datastructures import Headers

from qairon.version import __version__

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Frame-Options": "DENY",
}
PRINTABLE = "".join(map(chr, range(0x20, 0x7F)))
CORS_METHODS = "GET, POST, PATCH, PUT, DELETE"
CORS_HEADERS = "Authorization, Content-Type"


def allowed_origins(config):
    """The configured CORS origins as a set (empty: no CORS)."""
    value = config.get("CORS_ORIGINS") or ""
    if isinstance(value, str):
        value = value.split(",")
    return {origin.strip().rstrip("/") for origin in value if origin.strip()}


def sendable(value):
    """``value`` as printable ASCII: any other character percent-encoded as UTF-8."""
    if value.isascii() and value.isprintable():
        return value
    return quote(value, safe=PRINTABLE, errors="surrogatepass")


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
        if not all(v.isascii() and v.isprintable() for v in response.headers.values()):
            response.headers = Headers([(k, sendable(v)) for k, v in response.headers.items()])
        return response
