"""The UI's own pages: home, global search, login and logout.

Signing in and out are the identity layer's (:mod:`qairon.identity.sessions`:
password check, failed-login limits, the session cookie and its CSRF
token); these views only show the form and its answer.
"""
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose

from qairon.admin import access, search
from qairon.admin.guard import Guarded
from qairon.api.errors import status_of
from qairon.core.errors import QaironError
from qairon.extensions import db
from qairon.history import reads
from qairon.identity import sessions
from qairon.identity.authn import public
from qairon.insight import capacity
from qairon.models import REGISTRY
from qairon.reconcile.drift import drift_list

RECENT = 15
NEAR_CAPACITY = 5


def categories():
    """``[(category, [class, ...])]``: the registry grouped by the module that declares it."""
    out = {}
    for name in sorted(REGISTRY):
        cls = REGISTRY[name]
        out.setdefault(category_of(cls), []).append(cls)
    return sorted(out.items())


def category_of(cls):
    """The menu category of a resource: the name of its model module."""
    return cls.__module__.rsplit(".", 1)[-1].capitalize()


class HomeView(Guarded, AdminIndexView):
    """Counts per resource, current drift, recent changes, fleets nearest to their capacity;
    the search."""

    @expose("/")
    def index(self):
        """The home page."""
        changes, _more = reads.query_changes(db.session, limit=RECENT)
        fleets = capacity.report()["fleets"][:NEAR_CAPACITY]
        return self.render("qairon/home.html", counts=search.counts(),
                           categories=categories(), changes=changes,
                           fleets=fleets, drift=drift_list(db.session))

    @expose("/search")
    def search_view(self):
        """Jump to the object whose ID is ``q``, or list the IDs that start with or hold it."""
        text = request.args.get("q", "").strip()
        exact = search.exact(text) if text else []
        hits = exact or search.find(text)
        if request.args.get("format") == "json":
            return jsonify({"results": [{"resource": r, "id": i} for r, i in hits]})
        if len(hits) == 1:
            resource, object_id = hits[0]
            return redirect(url_for(f"{resource}.details_view", id=object_id))
        return self.render("qairon/search.html", text=text, hits=hits, limit=search.LIMIT)


def safe_next(target):
    """``target`` when it is a path of this site under the UI, else the home page."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin"):
        return url_for("admin.index")
    return target


class SessionView(BaseView):
    """Sign in and out (``/admin/session/login``, ``/admin/session/logout``)."""

    def is_visible(self):
        """Not in the menu: the navigation bar has its own sign-out button."""
        return False

    @expose("/")
    @public
    def index(self):
        """The session's own page is the login form."""
        return redirect(url_for(".login_view", next=request.args.get("next")))

    @expose("/login", methods=("GET", "POST"))
    @public
    def login_view(self):
        """The login form; a post signs the user in and goes where they were going."""
        target = safe_next(request.values.get("next"))
        if access.is_open():
            flash("Authentication is off (QAIRON_AUTH=off): the UI is open and writable "
                  "without signing in.", "info")
            return redirect(target)
        error, status = None, 200
        if request.method == "POST":
            try:
                access.require_csrf()
                sessions.login(request.form.get("name", ""), request.form.get("password", ""),
                               request.remote_addr)
                return redirect(target)
            except QaironError as refusal:
                error = refusal.detail
                status = status_of(refusal)
        sessions.csrf_token()
        return self.render("qairon/login.html", error=error, next=target,
                           auth=current_app.config["AUTH"]), status

    @expose("/logout", methods=("POST",))
    @public
    def logout_view(self):
        """End the session."""
        access.require_csrf()
        sessions.logout()
        flash("Signed out.", "info")
        return redirect(url_for(".login_view"))
