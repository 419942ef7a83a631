"""Who uses the admin UI and what they may do there.

The UI has no rules of its own: it asks the identity layer who the request
is (the signed-in user of the session cookie, see
:mod:`qairon.identity.sessions`) and leaves every decision about a write to
the write pipeline's ``authorize`` hook. What is read here only decides what
to *show*: a login form when authentication is on and nobody is signed in,
the buttons a reader would be refused anyway, the notice that the UI is
open when ``QAIRON_AUTH=off``.

Every form carries the session's CSRF token (field ``csrf_token``); a post
without it is refused by :func:`qairon.identity.sessions.check_csrf` — by the
identity layer's request check when authentication is on, and by
:func:`require_csrf` in the UI's own form handlers in every mode.
"""
from flask import current_app, has_request_context
from wtforms.csrf.core import CSRF
from wtforms.validators import ValidationError

from qairon.extensions import db
from qairon.identity import sessions
from qairon.identity.authz import rank
from qairon.pipeline.actor import actor_of


def is_open():
    """True when authentication is off: anyone may read and write."""
    return current_app.config["AUTH"] == "off"


def actor():
    """The actor of this request (the anonymous actor when nobody is signed in)."""
    return actor_of(db.session)


def signed_in():
    """True when the UI may be used: authentication is off, a user is signed in, or the
    request carries a valid token (a script or a benchmark reading pages)."""
    return is_open() or actor().kind in ("user", "token")


def may(role):
    """True when this request's actor holds ``role`` or more (always, when the UI is open)."""
    if not has_request_context():
        return False
    return is_open() or (signed_in() and rank(actor().role) >= rank(role))


def require_csrf():
    """Refuse a form post of the UI that does not carry the session's CSRF token."""
    sessions.check_csrf()


class SessionCSRF(CSRF):
    """WTForms CSRF that uses the identity layer's per-session token."""

    def generate_csrf_token(self, csrf_token_field):
        """The session's token (created on first use)."""
        return sessions.csrf_token()

    def validate_csrf_token(self, form, field):
        """Refuse a form whose token is not the session's, with the identity layer's sentence."""
        from qairon.core.errors import Forbidden
        try:
            sessions.check_csrf()
        except Forbidden as refusal:
            raise ValidationError(refusal.detail) from None
