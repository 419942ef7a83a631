"""API tokens: secrets handed out once, kept only as a hash, looked up cheaply.

A secret is ``qrn_`` followed by 43 URL-safe characters (256 random bits);
the prefix lets secret scanners recognise a leaked one. Only the SHA-256 of
the secret is stored: a slow password hash (scrypt, bcrypt) protects
*guessable* secrets, whereas a 256-bit random secret cannot be guessed, so a
fast hash is as safe and keeps every authenticated request cheap. The lookup
is by that hash, and the stored and computed hashes are then compared with
:func:`hmac.compare_digest` (constant time).

Each worker remembers a token it looked up for ``TOKEN_CACHE_SECONDS`` (one
second at most), so a revocation or a change reaches every worker within a
second while a busy client costs one lookup per second, not one per request.
``last_used_at`` is written at most once every ``TOKEN_TOUCH_SECONDS``.
"""
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select, update

from qairon.core.errors import BadRequest, Conflict, NotFound, Unauthorized
from qairon.extensions import db
from qairon.identity.models import ROLES, ApiToken
from qairon.models.base import utcnow
from qairon.pipeline.actor import Actor

PREFIX = "qrn_"
MAX_CACHE_SECONDS = 1.0
CACHE_ENTRIES = 4096
DURATION = re.compile(r"^(\d+)([hdw])$")
UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def new_secret():
    """A fresh token secret: the ``qrn_`` prefix and 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret):
    """The stored form of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def aware(moment):
    """A stored timestamp as an aware UTC datetime (SQLite gives naive ones back)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def parse_expiry(text, now=None):
    """``90d``, ``12h``, ``2w`` or an ISO date/time -> an aware UTC datetime; None for none."""
    if text in (None, "", "never"):
        return None
    now = now or utcnow()
    match = DURATION.match(str(text).strip())
    if match:
        amount = int(match.group(1))
        if amount <= 0:
            raise BadRequest(f"expires {text!r} must be a positive duration", field="expires")
        return now + timedelta(**{UNITS[match.group(2)]: amount})
    try:
        moment = aware(datetime.fromisoformat(str(text).strip()))
    except ValueError:
        raise BadRequest(f"expires {text!r} must be a duration such as 90d, 12h or 2w, or an "
                         f"ISO date such as 2027-01-31", field="expires") from None
    if moment <= now:
        raise BadRequest(f"expires {text!r} is in the past", field="expires")
    return moment


def check_grant(name, role, environments):
    """Refuse a bad name, an unknown role or a malformed environment list."""
    if not isinstance(name, str) or not name.strip() or len(name) > 100 \
            or name != name.strip():
        raise BadRequest("name must be non-empty text of at most 100 characters, without "
                         "surrounding spaces", field="name")
    if role not in ROLES:
        raise BadRequest(f"role {role!r} must be one of {', '.join(ROLES)}", field="role")
    if not isinstance(environments, (list, tuple)) or not all(
            isinstance(e, str) and e.strip() and ":" not in e for e in environments):
        raise BadRequest("environments must be a list of environment names", field="environments")


def create_token(session, name, role, environments=(), expires_at=None, created_by=None):
    """Store a new token; returns ``(token row, secret)``: the only time the secret is seen."""
    check_grant(name, role, environments)
    environments = sorted(set(environments))
    if session.execute(select(ApiToken.id).where(ApiToken.name == name)).first():
        raise Conflict(f"a token named {name!r} exists already (revoked tokens keep their "
                       f"name); choose another name", field="name")
    secret = new_secret()
    token = ApiToken(name=name, role=role, environments=environments,
                     secret_hash=hash_secret(secret), expires_at=expires_at,
                     created_at=utcnow(), created_by=created_by)
    session.add(token)
    session.flush()
    return token, secret


def token_named(session, name):
    """The token called ``name``, or 404."""
    token = session.execute(select(ApiToken).where(ApiToken.name == name)).scalar()
    if token is None:
        raise NotFound(f"no token is named {name!r}", field="name")
    return token


def revoke_token(session, name):
    """Revoke the token called ``name`` (idempotent); returns it."""
    token = token_named(session, name)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    CACHE.drop(token.secret_hash)
    return token


def describe(token, now=None):
    """A token as the API and ``token list`` show it: never its secret nor its hash."""
    now = now or utcnow()
    expires = aware(token.expires_at)
    if token.revoked_at is not None:
        state = "revoked"
    elif expires is not None and expires <= now:
        state = "expired"
    else:
        state = "active"
    return {"name": token.name, "role": token.role, "environments": list(token.scope),
            "state": state, "created_at": _iso(token.created_at),
            "created_by": token.created_by, "expires_at": _iso(token.expires_at),
            "last_used_at": _iso(token.last_used_at), "revoked_at": _iso(token.revoked_at)}


def _iso(moment):
    return aware(moment).isoformat() if moment is not None else None


@dataclass(frozen=True)
class Known:
    """A token as a worker remembers it for a moment: who it is and until when it is valid."""

    id: int
    hash: str
    actor: Actor
    expires_at: datetime
    revoked: bool
    last_used_at: datetime


class TokenCache:
    """Tokens looked up by this worker in the last second (a bounded mapping by hash)."""

    def __init__(self):
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, digest, max_age):
        """The remembered token of ``digest`` if looked up less than ``max_age`` ago."""
        entry = self.entries.get(digest)
        if entry is not None and time.monotonic() - entry[0] < max_age:
            return entry[1]
        return None

    def put(self, known):
        """Remember ``known`` from now on."""
        with self.lock:
            if len(self.entries) >= CACHE_ENTRIES:
                self.entries.clear()
            self.entries[known.hash] = (time.monotonic(), known)

    def touched(self, digest, moment):
        """Note a new ``last_used_at`` without making the entry any younger."""
        with self.lock:
            entry = self.entries.get(digest)
            if entry is not None:
                self.entries[digest] = (entry[0], replace(entry[1], last_used_at=moment))

    def drop(self, digest):
        """Forget one token (revoked here: no need to wait for the second to pass)."""
        with self.lock:
            self.entries.pop(digest, None)


CACHE = TokenCache()


def _load(session, digest):
    """Look the token of ``digest`` up in the database, or None."""
    row = session.execute(select(ApiToken).where(ApiToken.secret_hash == digest)).scalar()
    if row is None or not hmac.compare_digest(row.secret_hash, digest):
        return None
    actor = Actor(row.name, kind="token", role=row.role, environments=row.scope)
    return Known(row.id, row.secret_hash, actor, aware(row.expires_at),
                 row.revoked_at is not None, aware(row.last_used_at))


def authenticate(session, secret, cache_seconds=MAX_CACHE_SECONDS, touch_seconds=60):
    """The :class:`Actor` of a token secret, or :class:`Unauthorized` saying why not."""
    digest = hash_secret(secret)
    max_age = min(float(cache_seconds), MAX_CACHE_SECONDS)
    known = CACHE.get(digest, max_age)
    if known is None:
        known = _load(session, digest)
        if known is None:
            raise Unauthorized("the token is not valid (no token has that secret); check "
                               "QAIRON_TOKEN or ask an admin for a token", field="Authorization")
        CACHE.put(known)
    now = utcnow()
    if known.revoked:
        raise Unauthorized(f"token {known.actor.name!r} was revoked; ask an admin for a new one",
                           field="Authorization")
    if known.expires_at is not None and known.expires_at <= now:
        raise Unauthorized(f"token {known.actor.name!r} expired on "
                           f"{known.expires_at.isoformat()}; ask an admin for a new one",
                           field="Authorization")
    if known.last_used_at is None or now - known.last_used_at >= timedelta(seconds=touch_seconds):
        _touch(known, now, touch_seconds)
    return known.actor


def _touch(known, now, touch_seconds):
    """Write ``last_used_at`` in its own short transaction (at most once a minute per token)."""
    stale = now - timedelta(seconds=touch_seconds)
    with db.engine.begin() as connection:
        connection.execute(update(ApiToken).where(
            ApiToken.id == known.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < stale))
            .values(last_used_at=now))
    CACHE.touched(known.hash, now)
