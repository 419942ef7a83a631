"""A throw-away PostgreSQL primary and its streaming replica, on this machine, for a test.

    with StreamingPair() as pair:
        pair.primary_url, pair.replica_url
        pair.pause_replay(); pair.resume_replay(); pair.stop_replica()

Both clusters live in a temporary folder on free ports: ``initdb`` makes the
primary, ``pg_basebackup -R`` its replica (streaming, hot standby); both are
stopped and removed at the end. As root, the server programs run as the
``postgres`` user (PostgreSQL refuses to run as root). :func:`binaries` is None
where PostgreSQL's server programs are not installed.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from .live_server import free_port


def binaries():
    """The folder of ``initdb``, ``pg_ctl`` and ``pg_basebackup``, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("pg_config")
    if found:
        done = subprocess.run([found, "--bindir"], capture_output=True, text=True)
        candidates.insert(0, done.stdout.strip())
    for folder in candidates:
        if all(os.path.exists(os.path.join(folder, p)) for p in ("initdb", "pg_ctl",
                                                                 "pg_basebackup")):
            return folder
    return None


class StreamingPair:
    """A primary and one streaming replica, each a cluster of its own."""

    def __init__(self):
        self.bin = binaries()
        self.root = None
        self.ports = (free_port(), free_port())
        self.primary_url = f"postgresql://postgres@127.0.0.1:{self.ports[0]}/postgres"
        self.replica_url = f"postgresql://postgres@127.0.0.1:{self.ports[1]}/postgres"

    def _run(self, *argv):
        argv = [os.path.join(self.bin, argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
        return done

    def _folder(self, name):
        return os.path.join(self.root, name)

    def _start(self, name, port):
        options = (f"-c port={port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.root} -c fsync=off "
                   f"-c max_connections=60")
        self._run("pg_ctl", "-D", self._folder(name), "-l", self._folder(name) + ".log", "-w",
                  "-o", options, "start")

    def start(self):
        """initdb, start the primary, pg_basebackup -R the replica, start it."""
        self.root = tempfile.mkdtemp(prefix="qairon-replica-")
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        try:
            self._run("initdb", "-D", self._folder("primary"), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--no-sync")
            self._start("primary", self.ports[0])
            self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.ports[0]), "-U",
                      "postgres", "-D", self._folder("replica"), "-R", "-X", "stream",
                      "--no-sync")
            self._start("replica", self.ports[1])
        except BaseException:
            self.stop()
            raise
        return self

    def sql(self, which, statement):
        """Run one statement on ``primary`` or ``replica``; its first value."""
        import psycopg2
        url = self.primary_url if which == "primary" else self.replica_url
        connection = psycopg2.connect(url, connect_timeout=3)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchone()[0] if cursor.description else None
        finally:
            connection.close()

    def pause_replay(self):
        """The replica stops applying the WAL it receives (it falls behind)."""
        self.sql("replica", "SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        """The replica applies the WAL again."""
        self.sql("replica", "SELECT pg_wal_replay_resume()")

    def caught_up(self, timeout=10.0):
        """Wait until the replica has replayed everything the primary wrote so far."""
        target = self.sql("primary", "SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.sql("replica", f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
                return
            time.sleep(0.05)
        raise TimeoutError("the replica did not catch up")

    def stop_replica(self):
        """Stop the replica at once, as a crash would."""
        self._run("pg_ctl", "-D", self._folder("replica"), "-m", "immediate", "stop")

    def stop(self):
        """Stop both clusters and remove their folder."""
        if self.root is None:
            return
        for name in ("replica", "primary"):
            if os.path.exists(os.path.join(self._folder(name), "postmaster.pid")):
                try:
                    self._run("pg_ctl", "-D", self._folder(name), "-m", "immediate", "stop")
                except RuntimeError:
                    pass
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
