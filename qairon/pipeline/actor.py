"""Who is writing: the actor of a request, carried on the database session.

The identity layer sets it when it authenticates a request; the pipeline's
hooks read it (authorisation decides with it, the change record names it).
Without authentication every write is made by the anonymous actor.
"""
from dataclasses import dataclass

ACTOR_KEY = "qairon.actor"


@dataclass(frozen=True)
class Actor:
    """A token, a user, or nobody in particular; ``environments`` empty means unscoped."""

    name: str
    kind: str = "anonymous"
    role: str = None
    environments: tuple = ()


ANONYMOUS = Actor("anonymous")


def set_actor(session, actor):
    """Make ``actor`` the author of the session's writes."""
    session.info[ACTOR_KEY] = actor


def actor_of(session):
    """The author of the session's writes (the anonymous actor when none was set)."""
    return session.info.get(ACTOR_KEY, ANONYMOUS)
