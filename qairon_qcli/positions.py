"""Read-your-writes across qcli runs: the server's commit position after this user's last write.

A server with read replicas answers a write with ``Qairon-Commit-LSN``; qcli
keeps it per endpoint in ``$XDG_STATE_HOME/qairon/read-after.json`` (default
``~/.local/state``) and sends it as ``Qairon-Read-After`` with later requests,
so that ``ID=$(qcli build create ...)`` followed by ``qcli build get $ID`` finds
the build even when a replica serves reads. Without replicas nothing is written.
"""
import json
import os

COMMIT = "Qairon-Commit-LSN"
READ_AFTER = "Qairon-Read-After"


def path(environ=None):
    """The file holding the positions."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                         "state")
    return os.path.join(base, "qairon", "read-after.json")


def _load(where):
    try:
        with open(where, encoding="utf-8") as handle:
            found = json.load(handle)
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def recall(endpoint):
    """The last position remembered for ``endpoint``, or ``""``."""
    where = path()
    if not os.path.exists(where):
        return ""
    value = _load(where).get(endpoint)
    return value if isinstance(value, str) else ""


def remember(endpoint, position):
    """Keep ``position`` for ``endpoint`` (a file that cannot be written is skipped)."""
    where = path()
    try:
        os.makedirs(os.path.dirname(where), exist_ok=True)
        found = _load(where)
        found[endpoint] = position
        temporary = where + f".{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(found, handle)
        os.replace(temporary, where)
    except OSError:
        pass
