"""Configuration layers: defaults here, then ``instance/qairon.cfg``, then the
environment (``SQLALCHEMY_DATABASE_URI`` as in the seed's set-up, and any
``QAIRON_*`` variable), then a test's mapping.

The bounds of a request's work (``MAX_BODY_BYTES``, ``BULK_MAX_BODY_BYTES``,
``JSON_MAX_DEPTH``, ``DEFAULTS_MAX_BYTES``, ``DEFAULTS_MAX_DEPTH``,
``BULK_MAX_REPORTED_ERRORS``, ``WALK_MAX_NODES``) are keys too; their defaults
live in :mod:`qairon.core.limits`."""
import os


class Defaults:
    """Built-in defaults; the database is an embedded SQLite file under ``instance/``."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {}
    PROPAGATE_EXCEPTIONS = False
    #: ``QAIRON_COUNT_SQL=1`` adds a ``Qairon-SQL-Count`` header (benchmarks only).
    COUNT_SQL = False
    #: ``QAIRON_AUTH``: ``off`` (nothing checked), ``writes`` (every write needs a
    #: token) or ``all`` (every request but ``/up`` and ``/ready`` needs one).
    AUTH = "writes"
    #: How long a worker trusts a token it looked up; revocation takes effect within it.
    TOKEN_CACHE_SECONDS = 1.0
    #: A token's ``last_used_at`` is written at most this often.
    TOKEN_TOUCH_SECONDS = 60
    #: Session cookies (users of the admin UI): HttpOnly, SameSite=Lax, Secure over https.
    SESSION_COOKIE_NAME = "qairon_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    #: Failed logins allowed per account and per client address in a window (seconds).
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_ADDRESS = 20
    LOGIN_WINDOW_SECONDS = 900
    #: Origins allowed to call the API from a browser (comma-separated); none by default.
    CORS_ORIGINS = ""
    #: ``QAIRON_HISTORY_RECORD=off`` writes no change record (to measure its cost; never
    #: in production: history, as_of, restore and revert need the record).
    HISTORY_RECORD = "on"


#: Variables of qcli and the test suite, not server settings (a token is never config).
CLIENT_VARIABLES = ("QAIRON_ENDPOINT", "QAIRON_TOKEN", "QAIRON_TEST_DATABASE_URL")


def from_environment(config):
    """Apply ``SQLALCHEMY_DATABASE_URI`` and ``QAIRON_<KEY>`` variables."""
    if os.environ.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["SQLALCHEMY_DATABASE_URI"]
    for key, value in os.environ.items():
        if key.startswith("QAIRON_") and key not in CLIENT_VARIABLES:
            config[key[len("QAIRON_"):]] = value


def engine_options(uri):
    """Pool settings per database: a bounded pool on PostgreSQL, defaults on SQLite.

    On PostgreSQL connections are not pinged at checkout (that is one more round
    trip on every request): a connection that died is detected when used, the
    pool is invalidated and the request answers 503 "try again"; ``pool_recycle``
    bounds a connection's age. ``QAIRON_POOL_PRE_PING=1`` turns the ping back on.
    """
    if uri.startswith("postgresql"):
        pre_ping = os.environ.get("QAIRON_POOL_PRE_PING", "").lower() in ("1", "true", "yes")
        return {"pool_pre_ping": pre_ping, "pool_size": 5, "max_overflow": 10,
                "pool_recycle": 1800}
    return {"pool_pre_ping": True}
