"""What each read replica is worth right now: answering, how far behind, in rotation or not.

A :class:`Replica` keeps its own engine and the last thing learned about it.
:meth:`Replicas.refresh` (at most every ``REPLICA_CHECK_SECONDS`` per worker,
by whichever request comes first) reads the primary's WAL position and each
replica's replay position: a replica that does not answer is ``down``; one that
has not replayed up to the primary and whose last replayed transaction is older
than ``REPLICA_MAX_LAG_SECONDS`` is ``lagging``. Both are out of rotation until a
later check finds them well.
"""
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

OK, LAGGING, DOWN = "ok", "lagging", "down"
PRIMARY_POSITION = text("SELECT pg_current_wal_lsn()::text")
REPLAY_POSITION = text(
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
    "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")


def lsn(value):
    """A WAL position ``'16/B374D848'`` as a number (None stays None)."""
    if not value:
        return None
    high, _, low = str(value).partition("/")
    try:
        return (int(high, 16) << 32) + int(low, 16)
    except ValueError:
        return None


@dataclass
class Replica:
    """One replica: its engine, state, replayed position and lag (seconds)."""

    name: str
    engine: object
    state: str = DOWN
    replayed: int = None
    lag: float = None
    checked_at: float = None
    problem: str = None
    lock: object = field(default_factory=threading.Lock, repr=False)

    def describe(self):
        """The replica as ``/ready`` reports it (no credentials)."""
        url = make_url(self.engine.url)
        return {"name": self.name, "database": f"{url.host}:{url.port or 5432}/{url.database}",
                "state": self.state, "lag_seconds": None if self.lag is None else round(
                    self.lag, 3), **({"problem": self.problem} if self.problem else {})}

    def read_position(self):
        """Ask the replica how far it has replayed; returns its position (or raises)."""
        with self.engine.connect() as connection:
            recovering, replayed, age = connection.execute(REPLAY_POSITION).one()
        if not recovering:
            raise RuntimeError("it is not in recovery (not a replica)")
        self.replayed = lsn(replayed)
        return self.replayed, (None if age is None else float(age))

    def check(self, primary_position, max_lag):
        """Update the state from the primary's position and the replica's answer."""
        try:
            replayed, age = self.read_position()
        except Exception as error:  # noqa: BLE001 - any failure takes it out of rotation
            self.state, self.lag, self.problem = DOWN, None, type(error).__name__
            return
        self.problem = None
        behind = primary_position is not None and (replayed or 0) < primary_position
        self.lag = (age or 0.0) if behind else 0.0
        self.state = LAGGING if behind and self.lag > max_lag else OK
        self.checked_at = time.monotonic()

    def mark_down(self, reason):
        """Take the replica out of rotation now (a connection to it failed)."""
        self.state, self.problem = DOWN, reason


class Replicas:
    """The replicas of one app and the check that keeps their states current."""

    def __init__(self, primary, urls, options, max_lag, every):
        self.primary = primary
        self.max_lag = float(max_lag)
        self.every = float(every)
        self.replicas = [Replica(f"replica-{n}", create_engine(url, **options))
                         for n, url in enumerate(urls, 1)]
        self.checked = None
        self.lock = threading.Lock()

    def engines(self):
        """``(name, engine)`` of every replica."""
        return [(r.name, r.engine) for r in self.replicas]

    def refresh(self, force=False):
        """Check every replica when the last check is older than ``REPLICA_CHECK_SECONDS``."""
        now = time.monotonic()
        if not force and self.checked is not None and now - self.checked < self.every:
            return
        if not self.lock.acquire(blocking=force):
            return  # another thread is checking: use what is known
        try:
            self.checked = now
            try:
                with self.primary.connect() as connection:
                    position = lsn(connection.execute(PRIMARY_POSITION).scalar())
            except Exception:  # noqa: BLE001 - the primary's own failures surface elsewhere
                position = None
            for replica in self.replicas:
                replica.check(position, self.max_lag)
        finally:
            self.lock.release()

    def choose(self, read_after=None):
        """A replica in rotation that has replayed ``read_after`` (a position), or None."""
        self.refresh()
        for replica in self.replicas:
            if replica.state != OK:
                continue
            if read_after is None or (replica.replayed or 0) >= read_after:
                return replica
            try:  # behind the client's write when last checked: ask once more, now
                replayed, _age = replica.read_position()
            except Exception:  # noqa: BLE001
                replica.mark_down("no answer")
                continue
            if replayed is not None and replayed >= read_after:
                return replica
        return None

    def commit_position(self):
        """The primary's WAL position now (after a commit: a replica that replayed it sees it)."""
        with self.primary.connect() as connection:
            return connection.execute(PRIMARY_POSITION).scalar()


def watch_failures(replica, reason_of):
    """Take ``replica`` out of rotation when a connection to it fails (then retry elsewhere)."""
    def failed(context):
        reason = reason_of(context.original_exception, context.is_disconnect)
        if reason is not None or context.is_disconnect or context.connection is None:
            replica.mark_down("connection failed")
    event.listen(replica.engine, "handle_error", failed)
