"""``flask --app qairon token ...`` and ``user ...``: identity managed on the server.

Whoever runs these holds the server's database credentials, so they need no
token. ``token create`` prints the secret alone on stdout (``TOKEN=$(...)``
works) and says on stderr that it will not be shown again.
"""
import json
import sys
from contextlib import contextmanager

import click
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from qairon.core.errors import BadRequest, Conflict, NotFound, QaironError
from qairon.extensions import db
from qairon.identity import tokens
from qairon.identity.models import ROLES, ApiToken, User
from qairon.identity.passwords import check_strength, hash_password
from qairon.models.base import utcnow

LOCAL = "flask-cli"


@contextmanager
def refusals():
    """Turn a refusal or a missing table into one clear line and exit status 1."""
    try:
        yield
    except QaironError as exc:
        db.session.rollback()
        raise click.ClickException(exc.detail) from None
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        raise click.ClickException("the database has no identity tables yet: run "
                                   "'flask --app qairon db upgrade' first") from None


def _scope(environments):
    return f"scoped to {', '.join(environments)}" if environments else "unscoped"


def register(app):
    """Add the ``token`` and ``user`` command groups to ``app``'s CLI."""
    token_group = click.Group("token", help="Create, list and revoke API tokens.")
    user_group = click.Group("user", help="Create, list and delete admin UI users.")
    app.cli.add_command(token_group)
    app.cli.add_command(user_group)

    @token_group.command("create")
    @click.option("--name", required=True, help="a unique name, e.g. ci-dev")
    @click.option("--role", required=True, type=click.Choice(ROLES))
    @click.option("--env", "environments", multiple=True,
                  help="an environment the token may write in (repeatable; none: all)")
    @click.option("--expires", default=None, help="90d, 12h, 2w or an ISO date (default: never)")
    def token_create(name, role, environments, expires):
        """Create a token and print its secret, once."""
        with refusals():
            token, secret = tokens.create_token(db.session, name, role, environments,
                                                tokens.parse_expiry(expires), created_by=LOCAL)
            db.session.commit()
        until = f", expires {token.expires_at.isoformat()}" if token.expires_at else ""
        click.echo(f"token {name!r} created ({role}, {_scope(token.scope)}{until}); its "
                   f"secret is shown this once:", err=True)
        click.echo(secret)

    @token_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="print JSON")
    def token_list(as_json):
        """List tokens (never their secrets)."""
        with refusals():
            rows = [tokens.describe(t) for t in
                    db.session.query(ApiToken).order_by(ApiToken.name)]
        if as_json:
            click.echo(json.dumps(rows, indent=1))
            return
        for row in rows:
            click.echo("\t".join([row["name"], row["role"], ",".join(row["environments"]) or "*",
                                  row["state"], row["expires_at"] or "-",
                                  row["last_used_at"] or "never used"]))

    @token_group.command("revoke")
    @click.argument("name")
    def token_revoke(name):
        """Revoke a token; every worker refuses it within a second."""
        with refusals():
            tokens.revoke_token(db.session, name)
            db.session.commit()
        click.echo(f"token {name!r} revoked", err=True)

    @user_group.command("create")
    @click.argument("name")
    @click.option("--role", required=True, type=click.Choice(ROLES))
    @click.option("--env", "environments", multiple=True,
                  help="an environment the user may write in (repeatable; none: all)")
    def user_create(name, role, environments):
        """Create a user; the password is prompted for, or read from stdin."""
        password = read_password()
        with refusals():
            tokens.check_grant(name, role, environments)
            if db.session.execute(select(User.id).where(User.name == name)).first():
                raise Conflict(f"a user named {name!r} exists already", field="name")
            db.session.add(User(name=name, role=role, environments=sorted(set(environments)),
                                password_hash=hash_password(password), created_at=utcnow(),
                                created_by=LOCAL))
            db.session.commit()
        click.echo(f"user {name!r} created ({role}, {_scope(sorted(set(environments)))})",
                   err=True)

    @user_group.command("list")
    def user_list():
        """List users."""
        with refusals():
            for user in db.session.query(User).order_by(User.name):
                click.echo("\t".join([user.name, user.role, ",".join(user.scope) or "*"]))

    @user_group.command("delete")
    @click.argument("name")
    def user_delete(name):
        """Delete a user; their sessions end with it."""
        with refusals():
            user = db.session.execute(select(User).where(User.name == name)).scalar()
            if user is None:
                raise NotFound(f"no user is named {name!r}", field="name")
            db.session.delete(user)
            db.session.commit()
        click.echo(f"user {name!r} deleted", err=True)


def read_password():
    """The new password: prompted twice on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return click.prompt("password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise click.ClickException("no password on stdin")
    try:
        check_strength(line)
    except BadRequest as exc:
        raise click.ClickException(exc.detail) from None
    return line
