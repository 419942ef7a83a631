"""Authorisation: the ``authorize`` hook of the write pipeline.

Every write — either REST face, relationship endpoints, bulk and CSV import,
subnet allocation, links, each row of a cascade — reaches this hook with all
its changes before anything is persisted; one refusal refuses the whole write.

* ``reader`` may not write; ``writer`` may create, change, delete, link and
  allocate; ``admin`` may also delete with cascade (and manage tokens and
  users, which are not inventory writes: see :mod:`qairon.identity.views`).
* An actor scoped to environments may write only objects whose environments
  (:mod:`qairon.identity.scope`) are all in its scope, both ends of a link;
  an object of no environment only when its class declares ``scoped_writable``
  (a CI job's builds and build artifacts).
* Writes made outside any request (``flask`` commands, scripts holding the
  database credentials) are trusted: they never came through the network.
"""
from flask import current_app, has_request_context

from qairon.core.errors import Forbidden, Unauthorized
from qairon.identity.models import ROLES
from qairon.identity.scope import targets
from qairon.models import REGISTRY
from qairon.pipeline import CASCADE_KEY
from qairon.pipeline.actor import ACTOR_KEY

VERBS = {"create": "creating", "update": "changing", "delete": "deleting",
         "link": "linking", "unlink": "unlinking"}


def rank(role):
    """The power of ``role`` (-1 for none)."""
    return ROLES.index(role) if role in ROLES else -1


def holder(actor):
    """``this token (ci-dev)`` / ``this user (alice)``, as refusals name the actor."""
    return f"this {'user' if actor.kind == 'user' else 'token'} ({actor.name})"


def scope_text(environments):
    """``dev`` / ``dev, staging`` / ``every environment``."""
    return ", ".join(sorted(environments)) if environments else "every environment"


def what(change):
    """``creating release 'prod:…:7'`` / ``linking fleet 'x' to subnet 'y'``."""
    text = f"{VERBS[change.operation]} {change.resource} {change.id!r}"
    if change.other is not None:
        text += f" {'to' if change.operation == 'link' else 'from'} " \
                f"{change.other[0]} {change.other[1]!r}"
    return text


def needed_role(change, cascade):
    """``admin`` for a delete with cascade, ``writer`` for any other write."""
    return "admin" if cascade and change.operation == "delete" else "writer"


def a(word):
    """``a writer`` / ``an admin``."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _meta(actor, role, environments=None):
    needed = {"role": role}
    if environments is not None:
        needed["environments"] = sorted(environments)
    return {"needed": needed, "actor": {"name": actor.name, "kind": actor.kind,
                                        "role": actor.role,
                                        "environments": list(actor.environments)}}


def check_role(actor, change, role):
    """Refuse a change that needs more than the actor's role (a reader's write, a
    writer's cascade)."""
    if rank(actor.role) >= rank(role):
        return
    how = " with cascade" if role == "admin" and change.operation == "delete" else ""
    raise Forbidden(f"{what(change)}{how} needs {a(role)} token; {holder(actor)} is "
                    f"{a(actor.role or 'nobody')}", field="Authorization",
                    meta=_meta(actor, role))


def check_scope(actor, change, role):
    """Refuse a change outside the actor's environments (both ends of a link)."""
    scope = set(actor.environments)
    for target in targets(change):
        if target.environments:
            if target.environments - scope:
                raise Forbidden(
                    f"{what(change)} needs {a(role)} token scoped to "
                    f"{scope_text(target.environments)}; {holder(actor)} is scoped to "
                    f"{scope_text(scope)}", field="Authorization",
                    meta=_meta(actor, role, target.environments))
        elif not getattr(REGISTRY.get(target.resource), "scoped_writable", False):
            raise Forbidden(
                f"{what(change)} needs an unscoped {role} token: a {target.resource} belongs "
                f"to no environment; {holder(actor)} is scoped to {scope_text(scope)}",
                field="Authorization", meta=_meta(actor, role, ()))


def authorize(session, changes):
    """The ``authorize`` hook: refuse the write unless the actor may make every change."""
    if not has_request_context() or current_app.config["AUTH"] == "off":
        return
    actor = session.info.get(ACTOR_KEY)
    if actor is None or actor.kind == "anonymous":
        raise Unauthorized(f"{what(changes[0])} needs a token: send 'Authorization: Bearer "
                           f"<token>' (qcli reads QAIRON_TOKEN)", field="Authorization")
    cascade = bool(session.info.get(CASCADE_KEY))
    if cascade:
        deletes = [c for c in changes if c.operation == "delete"]
        if deletes:  # name the object asked for (it has its ORM object), not a dependant
            check_role(actor, next((c for c in deletes if c.obj is not None), deletes[0]),
                       "admin")
    for change in changes:
        role = needed_role(change, cascade)
        check_role(actor, change, role)
        if actor.environments:
            check_scope(actor, change, role)
