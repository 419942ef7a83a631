"""Who may use Qairon: API tokens, users of the admin UI, and failed-login counters.

These tables are not inventory resources: they are not in the registry, so
neither REST face, qcli nor the walks serve them, and writing them does not
go through the write pipeline (they are managed by :mod:`qairon.identity.commands`
and the admin-only views of :mod:`qairon.identity.views`).
"""
from qairon.extensions import db
from qairon.models.base import utcnow

#: Roles in increasing order of power: each may do what the ones before it may.
ROLES = ("reader", "writer", "admin")


class Credential:
    """What a token and a user share: a unique name, a role and environment scopes."""

    name = db.Column(db.String(100), nullable=False, unique=True)
    role = db.Column(db.String(10), nullable=False)
    #: Environment names the holder may write in; empty means every environment.
    environments = db.Column(db.JSON, nullable=False, default=list)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    created_by = db.Column(db.String(100), nullable=True)

    @property
    def scope(self):
        """The environments as a sorted tuple (empty: unscoped)."""
        return tuple(sorted(self.environments or ()))


class ApiToken(Credential, db.Model):
    """An API token: only the SHA-256 of its secret is kept."""

    __tablename__ = "api_token"
    id = db.Column(db.Integer, primary_key=True)
    secret_hash = db.Column(db.String(64), nullable=False, unique=True)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=True)
    last_used_at = db.Column(db.DateTime(timezone=True), nullable=True)
    revoked_at = db.Column(db.DateTime(timezone=True), nullable=True)


class User(Credential, db.Model):
    """A person who signs in to the admin UI with a password (stored as a scrypt hash)."""

    __tablename__ = "user_account"
    id = db.Column(db.Integer, primary_key=True)
    password_hash = db.Column(db.String(255), nullable=False)
    last_login_at = db.Column(db.DateTime(timezone=True), nullable=True)


class LoginThrottle(db.Model):
    """Recent failed logins of one account or one client address (``account:<name>``,
    ``address:<ip>``), shared by every worker through the database."""

    __tablename__ = "login_throttle"
    key = db.Column(db.String(200), primary_key=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    window_start = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
