"""The admin views' gate: a login when authentication is on, nothing when it is off."""
from flask import redirect, request, url_for

from qairon.admin import access


class Guarded:
    """Mixin for Flask-Admin views that need a signed-in user (or authentication off)."""

    def is_accessible(self):
        """True when the UI may be used by this request (see :func:`access.signed_in`)."""
        return access.signed_in()

    def inaccessible_callback(self, name, **kwargs):
        """Send the browser to the login form, to come back here afterwards."""
        return redirect(url_for("session.login_view", next=request.full_path))
