"""Identity over HTTP: ``/api/whoami``, ``/api/tokens`` (admins) and ``/api/session``.

Tokens and users are not inventory, so these views do not write through the
pipeline: managing tokens needs an *unscoped* admin (a scoped admin could
otherwise mint itself an unscoped token), checked here.
"""
from flask import Blueprint, current_app, jsonify, request

from qairon.api.body import json_body
from qairon.core.errors import BadRequest, Forbidden, Unauthorized
from qairon.extensions import db
from qairon.identity import sessions, tokens
from qairon.identity.authn import public
from qairon.identity.authz import a, holder, scope_text
from qairon.identity.models import ApiToken
from qairon.pipeline.actor import actor_of

bp = Blueprint("identity", __name__, url_prefix="/api")
TOKEN_FIELDS = ("name", "role", "environments", "expires")


def private(response, status=200):
    """A response that no cache may keep (it may hold a secret or a CSRF token)."""
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def describe_actor(actor):
    """An actor as ``whoami`` shows it."""
    return {"name": actor.name, "kind": actor.kind, "role": actor.role,
            "environments": list(actor.environments), "auth": current_app.config["AUTH"]}


def require_admin():
    """The acting unscoped admin, or 401/403 saying what is needed."""
    if current_app.config["AUTH"] == "off":
        raise Forbidden("tokens are managed over the API only when authentication is on "
                        "(QAIRON_AUTH=writes or all); with it off, use 'flask --app qairon "
                        "token ...' on the server", field="Authorization")
    actor = actor_of(db.session)
    if actor.kind == "anonymous":
        raise Unauthorized("managing tokens needs an admin token: send 'Authorization: Bearer "
                           "<token>'", field="Authorization")
    if actor.role != "admin" or actor.environments:
        raise Forbidden(f"managing tokens needs an unscoped admin token; {holder(actor)} is "
                        f"{a(actor.role)} scoped to {scope_text(actor.environments)}",
                        field="Authorization")
    return actor


@bp.get("/whoami")
def whoami():
    """Who this request is: token or user name, role and environment scope."""
    return private(jsonify(describe_actor(actor_of(db.session))))


@bp.get("/tokens")
def list_tokens():
    """Every token (never a secret)."""
    require_admin()
    rows = db.session.query(ApiToken).order_by(ApiToken.name)
    return private(jsonify({"results": [tokens.describe(t) for t in rows]}))


@bp.post("/tokens")
def create_token():
    """Create a token; the answer holds its secret, shown this once."""
    actor = require_admin()
    body = json_body()
    if not isinstance(body, dict):
        raise BadRequest('the body must be a JSON object such as {"name": "ci-dev", "role": '
                         '"writer", "environments": ["dev"], "expires": "90d"}', field="body")
    unknown = sorted(set(body) - set(TOKEN_FIELDS))
    if unknown:
        raise BadRequest(f"{unknown[0]!r} is not a field of a token; its fields are "
                         f"{', '.join(TOKEN_FIELDS)}", field=unknown[0])
    token, secret = tokens.create_token(
        db.session, body.get("name"), body.get("role"), body.get("environments") or [],
        tokens.parse_expiry(body.get("expires")), created_by=actor.name)
    out = dict(tokens.describe(token), secret=secret)
    db.session.commit()
    current_app.logger.info("token %r created by %r (%s)", token.name, actor.name, token.role)
    return private(jsonify(out), 201)


@bp.get("/tokens/<name>")
def get_token(name):
    """One token (never its secret)."""
    require_admin()
    return private(jsonify(tokens.describe(tokens.token_named(db.session, name))))


@bp.delete("/tokens/<name>")
def revoke_token(name):
    """Revoke a token: refused everywhere within a second."""
    actor = require_admin()
    token = tokens.revoke_token(db.session, name)
    out = tokens.describe(token)
    db.session.commit()
    current_app.logger.info("token %r revoked by %r", name, actor.name)
    return private(jsonify(out))


@bp.post("/session")
@public
def sign_in():
    """Sign a user in: ``{"name", "password"}``; sets the session cookie, returns the CSRF token."""
    if current_app.config["AUTH"] == "off":
        raise BadRequest("signing in needs authentication on (QAIRON_AUTH=writes or all)",
                         field="name")
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) \
            or not isinstance(body.get("password"), str):
        raise BadRequest('the body must be {"name": "...", "password": "..."}', field="body")
    actor = sessions.login(body["name"], body["password"], request.remote_addr)
    return private(jsonify(dict(describe_actor(actor), csrf_token=sessions.csrf_token())))


@bp.get("/session")
def current_session():
    """The signed-in user and the session's CSRF token, or 401."""
    actor = actor_of(db.session)
    if actor.kind != "user":
        raise Unauthorized("no user is signed in: POST /api/session with name and password",
                           field="Authorization")
    return private(jsonify(dict(describe_actor(actor), csrf_token=sessions.csrf_token())))


@bp.delete("/session")
@public
def sign_out():
    """End the session (whether or not one existed)."""
    if current_app.config["AUTH"] != "off":
        sessions.logout()
    return private(current_app.response_class(status=204), 204)
