"""Moments of the history: ``as_of``/``since``/``until`` values and the cut they mean.

A moment is a changeset ID (digits) or an ISO-8601 time (a date alone is its
midnight, a time without a zone is UTC). Its *cut* is the last change
committed at that moment: the state then is every object's latest change up
to the cut. The history starts with its first changeset (the baseline that
recorded the rows found when history was installed, or the cut of a prune);
a moment before it cannot be answered and is refused, saying when it starts.
"""
from dataclasses import dataclass
from datetime import datetime, time, timezone

from sqlalchemy import func, select

from qairon.core.errors import BadRequest, NotFound
from qairon.core.text import is_digits
from qairon.history.models import change, changeset


@dataclass(frozen=True)
class Cut:
    """The state after changeset ``changeset_id``: changes up to ``change_id``."""

    change_id: int
    changeset_id: int
    at: datetime


def parse_moment(text, field="as_of"):
    """A changeset ID (int) or an aware datetime from ``text``; 400 naming ``field``."""
    text = (text or "").strip()
    if is_digits(text):
        return int(text)
    try:
        if len(text) == 10:
            moment = datetime.combine(datetime.fromisoformat(text).date(), time())
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise BadRequest(f"{field} {text!r} is neither a changeset ID nor an ISO-8601 time "
                         f"(such as 2026-11-20 or 2026-11-20T14:00:00Z)", field=field) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def aware(value):
    """A stored timestamp as an aware UTC datetime (SQLite keeps no zone)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def history_start(session):
    """``(changeset ID, time)`` of the first changeset, or None when nothing is recorded."""
    row = session.execute(select(changeset.c.id, changeset.c.at)
                          .order_by(changeset.c.id).limit(1)).first()
    return None if row is None else (row[0], aware(row[1]))


def last_change_upto(session, changeset_id):
    """The ID of the last change of changesets up to ``changeset_id`` (0 when none)."""
    found = session.execute(select(change.c.id).where(change.c.changeset_id <= changeset_id)
                            .order_by(change.c.changeset_id.desc(), change.c.id.desc())
                            .limit(1)).scalar()
    return found or 0


def _refuse_before_start(start, text, field):
    raise BadRequest(f"{field} {text!r} is before the start of the history (changeset "
                     f"{start[0]} at {start[1].isoformat()}); nothing earlier is recorded",
                     field=field, meta={"history_starts": {"changeset": start[0],
                                                           "at": start[1].isoformat()}})


def resolve(session, text, field="as_of"):
    """The :class:`Cut` of a moment given as text; 400 before the start, 404 for no changeset."""
    moment = parse_moment(text, field)
    start = history_start(session)
    if start is None:
        raise BadRequest(f"{field} {text!r} cannot be answered: no history is recorded yet",
                         field=field)
    if isinstance(moment, int):
        row = session.execute(select(changeset.c.id, changeset.c.at)
                              .where(changeset.c.id == moment)).first()
        if row is None:
            if moment < start[0]:
                _refuse_before_start(start, text, field)
            raise NotFound(f"{field}: changeset {moment} does not exist", field=field)
    else:
        if moment < start[1]:
            _refuse_before_start(start, text, field)
        row = session.execute(select(changeset.c.id, changeset.c.at)
                              .where(changeset.c.at <= moment)
                              .order_by(changeset.c.at.desc(), changeset.c.id.desc())
                              .limit(1)).first()
    return Cut(last_change_upto(session, row[0]), row[0], aware(row[1]))


def latest(session):
    """The cut of the present: the last change recorded."""
    return session.execute(select(func.max(change.c.id))).scalar() or 0


def _last_changeset_before(session, moment, inclusive):
    if isinstance(moment, int):
        return moment if inclusive else moment - 1
    at = changeset.c.at <= moment if inclusive else changeset.c.at < moment
    found = session.execute(select(changeset.c.id).where(at)
                            .order_by(changeset.c.at.desc(), changeset.c.id.desc())
                            .limit(1)).scalar()
    return found or 0


def bounds(session, since=None, until=None):
    """``(lower, upper)`` change IDs of the changes from ``since`` to ``until`` (text moments):
    the changes with ``lower < id <= upper``; None where open."""
    lower = upper = None
    if since:
        moment = parse_moment(since, "since")
        lower = last_change_upto(session, _last_changeset_before(session, moment, False))
    if until:
        moment = parse_moment(until, "until")
        upper = last_change_upto(session, _last_changeset_before(session, moment, True))
    return lower, upper
