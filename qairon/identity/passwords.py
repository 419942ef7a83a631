"""Passwords of admin UI users: a memory-hard hash (scrypt), checked in constant time.

Werkzeug (already a dependency of Flask) provides salted scrypt hashes in a
self-describing text form (``scrypt:32768:8:1$salt$hash``); no new dependency
is needed. Checking a name that does not exist still costs one hash, so the
time of an answer does not tell which names exist.
"""
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from qairon.core.errors import BadRequest

METHOD = "scrypt"
MIN_LENGTH = 12


@cache
def _decoy():
    """A hash checked when the account does not exist, so both answers take as long."""
    return generate_password_hash("qairon-decoy-password", method=METHOD)


def check_strength(password):
    """Refuse a password shorter than :data:`MIN_LENGTH` characters."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise BadRequest(f"a password needs at least {MIN_LENGTH} characters", field="password")


def hash_password(password):
    """The stored form of ``password``: a salted scrypt hash."""
    check_strength(password)
    return generate_password_hash(password, method=METHOD)


def verify_password(stored_hash, password):
    """True when ``password`` matches ``stored_hash`` (None: no such account, so False)."""
    if stored_hash is None:
        check_password_hash(_decoy(), password or "")
        return False
    return check_password_hash(stored_hash, password or "")
