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
    #: PostgreSQL stops any statement of a request that runs longer (ms; 0: no limit).
    STATEMENT_TIMEOUT_MS = 5000
    #: ... and of a bulk import, which writes thousands of rows per statement.
    BULK_STATEMENT_TIMEOUT_MS = 120000
    #: How many times a request meeting a lost connection or a deadlock is run in all.
    DB_ATTEMPTS = 3
    #: Ping pooled PostgreSQL connections before each use (one more round trip).
    POOL_PRE_PING = False
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
    #: ``QAIRON_JSONAPI_DEFAULTS_AS_TEXT=1`` shows ``defaults`` on the JSON:API face as JSON
    #: text, as the older (upstream) Qairon did (docs/MIGRATING.md); an object by default.
    JSONAPI_DEFAULTS_AS_TEXT = False
    #: ``QAIRON_PLUGINS``: server plugins to load (comma-separated names; see CONTRIBUTING.md).
    PLUGINS = ""
    #: ``QAIRON_PLUGIN_PATH``: folders searched for them (``os.pathsep``); default ``plugins/``.
    PLUGIN_PATH = ""
    #: Request log: ``QAIRON_LOG_FORMAT`` ``auto`` (text on a terminal, else JSON), ``json``
    #: or ``text``; ``QAIRON_REQUEST_LOG=off`` writes none (docs/OPERATIONS.md).
    LOG_FORMAT = "auto"
    REQUEST_LOG = True
    #: ``QAIRON_METRICS=off`` counts no request (``/metrics`` still answers; to measure the cost).
    METRICS = True
    #: How old the objects-per-resource count of ``/metrics`` may get (seconds).
    METRICS_OBJECTS_SECONDS = 60
    #: Read replicas (comma-separated PostgreSQL URLs), the lag that takes one out of
    #: rotation and how often each worker checks them (seconds); docs/OPERATIONS.md.
    REPLICA_URLS = ""
    REPLICA_MAX_LAG_SECONDS = 5.0
    REPLICA_CHECK_SECONDS = 1.0


#: Variables of qcli and the test suite, not server settings (a token is never config).
CLIENT_VARIABLES = ("QAIRON_ENDPOINT", "QAIRON_TOKEN", "QAIRON_TEST_DATABASE_URL")


def from_environment(config):
    """Apply ``SQLALCHEMY_DATABASE_URI`` and ``QAIRON_<KEY>`` variables."""
    if os.environ.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ["SQLALCHEMY_DATABASE_URI"]
    for key, value in os.environ.items():
        if key.startswith("QAIRON_") and key not in CLIENT_VARIABLES:
            config[key[len("QAIRON_"):]] = value


def flag(value):
    """A boolean config value given as ``1``/``true``/``yes`` or a bool."""
    return str(value).lower() in ("1", "true", "yes")


def engine_options(config):
    """Pool and connection settings per database: PostgreSQL gets a bounded pool and
    the statement time limit; SQLite its defaults.

    On PostgreSQL pooled connections are not pinged at checkout by default (one
    more round trip on every request, see ``POOL_PRE_PING``): a connection the
    database dropped fails when first used, SQLAlchemy then invalidates the pool,
    and the request is run again on a fresh connection
    (:mod:`qairon.api.transactions`). ``pool_recycle`` bounds a connection's age.
    The limit ``STATEMENT_TIMEOUT_MS`` is a connection option, so it costs no
    round trip per request.
    """
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        timeout = int(config.get("STATEMENT_TIMEOUT_MS") or 0)
        return {"pool_pre_ping": flag(config.get("POOL_PRE_PING")), "pool_size": 5,
                "max_overflow": 10, "pool_recycle": 1800,
                "connect_args": {"options": f"-c statement_timeout={timeout}"}}
    return {"pool_pre_ping": True}
