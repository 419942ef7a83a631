"""Request authentication: who sends a request, and whether it may be sent at all.

A request names its actor with ``Authorization: Bearer <secret>`` (or
``Token <secret>``, as NetBox clients send it), or with the admin UI's
session cookie; otherwise it is anonymous. ``QAIRON_AUTH`` decides what an
anonymous request may do:

``off``     everything (nothing is checked; only for a local try-out)
``writes``  reads only: every POST, PATCH, PUT and DELETE needs a token
``all``     nothing but the public endpoints (``/up``, ``/ready``, login)

A URL that does not exist (404) or a method it does not take (405) is
answered as such before any credential is asked for. Credentials that are
sent are always checked: an unknown, revoked or expired
token is refused with 401 even where none is needed. What an authenticated
actor may *write* is decided by the pipeline's authorisation hook
(:mod:`qairon.identity.authz`). The actor is put on the database session for
the pipeline's hooks (:mod:`qairon.pipeline.actor`).
"""
from flask import current_app, request

from qairon.core.errors import Unauthorized
from qairon.extensions import db
from qairon.identity import sessions, tokens
from qairon.pipeline.actor import ANONYMOUS, set_actor

MODES = ("off", "writes", "all")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SCHEMES = ("bearer", "token")
HOW = ("send 'Authorization: Bearer <token>' (qcli reads QAIRON_TOKEN or "
       "~/.config/qairon/qcli.conf); an admin creates tokens with "
       "'flask --app qairon token create'")


def mode_of(config):
    """The configured mode, checked: ``off``, ``writes`` or ``all``."""
    mode = str(config.get("AUTH", "writes")).strip().lower()
    if mode not in MODES:
        raise ValueError(f"QAIRON_AUTH={config.get('AUTH')!r} must be one of {', '.join(MODES)}")
    return mode


def public(view):
    """Mark a view as open to anyone in every mode (health checks, the login endpoint)."""
    view.qairon_public = True
    return view


def secret_of(header):
    """The secret of an ``Authorization`` header, or 401 saying how to send one."""
    scheme, _, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() not in SCHEMES or not secret or " " in secret:
        raise Unauthorized("the Authorization header must be 'Bearer <token>' (or "
                           "'Token <token>')", field="Authorization")
    return secret


def identify():
    """The actor of this request: a token, a signed-in user, or anonymous."""
    header = request.headers.get("Authorization")
    config = current_app.config
    if header is not None:
        return tokens.authenticate(db.session, secret_of(header),
                                   cache_seconds=config["TOKEN_CACHE_SECONDS"],
                                   touch_seconds=float(config["TOKEN_TOUCH_SECONDS"]))
    if config["SESSION_COOKIE_NAME"] in request.cookies:
        user = sessions.current_user()
        if user is not None:
            if request.method not in SAFE_METHODS:
                sessions.check_csrf()
            return user
    return ANONYMOUS


def authenticate():
    """``before_request``: identify the actor, then refuse what the mode keeps from anonymity."""
    mode = current_app.config["AUTH"]
    if mode == "off" or request.method == "OPTIONS" or request.routing_exception is not None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "qairon_public", False):
        return
    actor = identify()
    set_actor(db.session, actor)
    if actor is ANONYMOUS and (mode == "all" or request.method not in SAFE_METHODS):
        doing = "reading" if request.method in SAFE_METHODS else "writing"
        raise Unauthorized(f"{request.method} {request.path}: {doing} needs a token "
                           f"(QAIRON_AUTH={mode}); {HOW}", field="Authorization")


def init_app(app):
    """Check the mode and install the authentication of every request."""
    app.config["AUTH"] = mode_of(app.config)
    app.before_request(authenticate)
