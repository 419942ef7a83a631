"""Browser sessions for the admin UI: secret key, cookie, CSRF token, login and logout.

The session is Flask's signed cookie, sent ``HttpOnly``, ``SameSite=Lax``
and ``Secure`` whenever the request came over https (or always, with
``SESSION_COOKIE_SECURE``). It names the user and a fingerprint of their
password hash, so changing a password ends every session of that user.

A form post or an API write authenticated by the cookie must carry the
session's CSRF token (``X-CSRF-Token`` header or ``csrf_token`` form field);
requests authenticated by a token header need none, a browser never adds it.

Failed logins are counted in the database (``login_throttle``), so the
limits hold across workers: ``LOGIN_FAILURES_PER_ACCOUNT`` per account and
``LOGIN_FAILURES_PER_ADDRESS`` per client address within
``LOGIN_WINDOW_SECONDS``; past either, logins are refused with 429 until the
window ends. Behind a proxy the address is the proxy's unless the
deployment applies Werkzeug's ``ProxyFix``.
"""
import hashlib
import hmac
import os
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from qairon.core.errors import Forbidden, Throttled, Unauthorized
from qairon.extensions import db
from qairon.identity.models import LoginThrottle, User
from qairon.identity.passwords import verify_password
from qairon.identity.tokens import aware
from qairon.models.base import utcnow
from qairon.pipeline.actor import Actor

SECRET_FILE = "secret_key"
CSRF_KEY = "csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def read_or_create_secret(path):
    """The secret key kept in ``path``, created there (mode 0600) on first use.

    Workers starting together agree on one key: each writes a private file and
    links it into place; the first link wins and everyone reads the winner.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            existing = handle.read().strip()
        if existing:
            return existing
    except FileNotFoundError:
        pass
    draft = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def ensure_secret_key(app):
    """Give ``app`` a secret key: the configured one, else ``instance/secret_key``."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = read_or_create_secret(
            os.path.join(app.instance_path, SECRET_FILE))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, ``Secure`` whenever the request is https."""

    def get_cookie_secure(self, app):
        """Secure when configured so, or when this request came over https."""
        configured = bool(app.config.get("SESSION_COOKIE_SECURE"))
        return configured or (has_request_context() and request.is_secure)

    def should_set_cookie(self, app, session):
        """Never on a static file: a stylesheet answered after a sign-out must not bring back
        the session it was requested with (Flask refreshes a permanent session's cookie on
        every response)."""
        endpoint = (request.endpoint or "") if has_request_context() else ""
        if endpoint == "static" or endpoint.endswith(".static"):
            return False
        return super().should_set_cookie(app, session)


def fingerprint(user):
    """A short digest of the user's password hash: a new password ends old sessions."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def csrf_token():
    """The CSRF token of the current session (created on first use)."""
    if CSRF_KEY not in session:
        session[CSRF_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_KEY]


def check_csrf():
    """Refuse a cookie-authenticated write that does not carry the session's CSRF token."""
    expected = session.get(CSRF_KEY)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.mimetype in ("application/x-www-form-urlencoded",
                                             "multipart/form-data"):
        sent = request.form.get(CSRF_FIELD)
    if not expected or not sent or not hmac.compare_digest(str(sent), str(expected)):
        raise Forbidden(f"a write signed in by session cookie needs the session's CSRF token "
                        f"in the {CSRF_HEADER} header (or the {CSRF_FIELD} form field)",
                        field=CSRF_HEADER)


def current_user():
    """The :class:`Actor` of the signed-in user of this request, or None."""
    name = session.get("user")
    if not name:
        return None
    user = db.session.execute(select(User).where(User.name == name)).scalar()
    if user is None or not hmac.compare_digest(session.get("epoch", ""), fingerprint(user)):
        session.clear()
        return None
    return Actor(user.name, kind="user", role=user.role, environments=user.scope)


def _limits():
    config = current_app.config
    return (int(config["LOGIN_FAILURES_PER_ACCOUNT"]), int(config["LOGIN_FAILURES_PER_ADDRESS"]),
            timedelta(seconds=int(config["LOGIN_WINDOW_SECONDS"])))


def _counters(keys, window, now):
    rows = db.session.execute(select(LoginThrottle).where(LoginThrottle.key.in_(keys))).scalars()
    return {row.key: row for row in rows if now - aware(row.window_start) < window}


def check_throttle(keys_and_limits, window, now):
    """Refuse (429) while any key has used up its failures in the current window."""
    counters = _counters([k for k, _ in keys_and_limits], window, now)
    for key, limit in keys_and_limits:
        row = counters.get(key)
        if row is not None and row.failures >= limit:
            wait = int((aware(row.window_start) + window - now).total_seconds()) + 1
            raise Throttled(f"too many failed logins for this account or from this address; "
                            f"try again in {wait} s", field="name", meta={"retry_after": wait})


def record_failure(keys, window, now):
    """Count one failed login against every key, in a transaction of its own: the request
    itself fails (401) and rolls back, the count must stay."""
    table = LoginThrottle.__table__
    try:
        with db.engine.begin() as connection:
            rows = {row.key: row for row in connection.execute(
                select(table).where(table.c.key.in_(keys)))}
            for key in keys:
                row = rows.get(key)
                if row is None:
                    connection.execute(insert(table).values(key=key, failures=1,
                                                            window_start=now))
                elif now - aware(row.window_start) >= window:
                    connection.execute(update(table).where(table.c.key == key)
                                       .values(failures=1, window_start=now))
                else:
                    connection.execute(update(table).where(table.c.key == key)
                                       .values(failures=table.c.failures + 1))
    except IntegrityError:  # another worker counted the same first failure meanwhile
        pass


def login(name, password, address):
    """Sign ``name`` in with ``password`` from ``address``; returns the user's :class:`Actor`."""
    per_account, per_address, window = _limits()
    now = utcnow()
    keys = [(f"account:{name}", per_account), (f"address:{address}", per_address)]
    check_throttle(keys, window, now)
    user = db.session.execute(select(User).where(User.name == str(name))).scalar()
    if not verify_password(user.password_hash if user else None, password):
        record_failure([key for key, _ in keys], window, now)
        raise Unauthorized("wrong name or password", field="password")
    db.session.query(LoginThrottle).filter(LoginThrottle.key == keys[0][0]).delete()
    user.last_login_at = now
    db.session.commit()
    session.clear()
    session.permanent = True
    session.update(user=user.name, epoch=fingerprint(user))
    csrf_token()
    return Actor(user.name, kind="user", role=user.role, environments=user.scope)


def logout():
    """End the current session."""
    session.clear()
