"""Identity and access: who sends a request, and what they may write.

* :mod:`~qairon.identity.models` — API tokens, users, failed-login counters;
* :mod:`~qairon.identity.tokens` and :mod:`~qairon.identity.passwords` — secrets;
* :mod:`~qairon.identity.authn` — the actor of each request and ``QAIRON_AUTH``;
* :mod:`~qairon.identity.authz` and :mod:`~qairon.identity.scope` — the write
  pipeline's ``authorize`` hook: roles and environment scopes;
* :mod:`~qairon.identity.sessions` — the admin UI's cookie, CSRF and login;
* :mod:`~qairon.identity.views` and :mod:`~qairon.identity.commands` — managing them.
"""
import click
from sqlalchemy import func, or_, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from qairon.extensions import db


def serving():
    """True when this process serves requests (a WSGI server or ``flask run``), not a command."""
    context = click.get_current_context(silent=True)
    return context is None or context.info_name == "run"


def admin_tokens(now):
    """How many usable admin tokens exist (None when the tables are not migrated yet)."""
    from qairon.identity.models import ApiToken
    try:
        return db.session.execute(select(func.count()).select_from(ApiToken).where(
            ApiToken.role == "admin", ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))).scalar()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        return None


def announce(app):
    """Say at start when authentication is off, or when no admin token exists yet."""
    if app.testing or not serving():
        return
    if app.config["AUTH"] == "off":
        app.logger.warning("QAIRON_AUTH=off: authentication is off, anyone who can reach this "
                           "server may write and delete anything (a local try-out only)")
        return
    from qairon.models.base import utcnow
    with app.app_context():
        count = admin_tokens(utcnow())
        db.session.remove()
    if count == 0:
        app.logger.warning("QAIRON_AUTH=%s and no admin token exists: create one on the server "
                           "with 'flask --app qairon token create --name admin --role admin'",
                           app.config["AUTH"])


def init_app(app):
    """Install authentication, the authorisation hook, the views and the commands."""
    from qairon.identity import authn, authz, commands, sessions, views
    from qairon.pipeline import add_hook
    authn.init_app(app)
    app.session_interface = sessions.CookieSessions()
    if app.config["AUTH"] != "off" and serving():
        sessions.ensure_secret_key(app)
    add_hook(app, "authorize", authz.authorize)
    app.register_blueprint(views.bp)
    commands.register(app)
    announce(app)
