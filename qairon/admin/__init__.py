"""The admin web UI (``/admin``): Flask-Admin's generic views configured from the registry,
and Qairon's own pages (home, search, the object page, login).

* :mod:`~qairon.admin.resource_view` — one view per resource: list, create, edit,
  delete with its cascade plan, links, and the object page;
* :mod:`~qairon.admin.pages` — home, global search, login and logout;
* :mod:`~qairon.admin.objects`, :mod:`~qairon.admin.search` — what those pages read;
* :mod:`~qairon.admin.graph`, :mod:`~qairon.admin.netmap` — walks and address maps as
  geometry for server-drawn SVG;
* :mod:`~qairon.admin.access`, :mod:`~qairon.admin.guard` — the signed-in user, CSRF.

Templates live in ``templates/qairon/``, assets in ``static/``; Flask-Admin serves its
own Bootstrap from its package: nothing is fetched from another site.
"""
from functools import wraps

from flask import make_response, render_template
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from qairon.admin import access, graph, netmap, pages
from qairon.admin.resource_view import ResourceView, object_url
from qairon.api.errors import PAGES_KEY
from qairon.identity import serving, sessions
from qairon.identity.authn import public

PREFIX = "/admin"


def error_page(body):
    """A refusal answered as a page of the UI, with the API's sentence."""
    return make_response(render_template("qairon/error.html", error=body))


def open_to_all(app, endpoint):
    """Serve ``endpoint`` to anyone in every ``QAIRON_AUTH`` mode (the stylesheets of the
    login page)."""
    view = app.view_functions[endpoint]

    @wraps(view)
    def served(*args, **kwargs):
        return view(*args, **kwargs)

    app.view_functions[endpoint] = public(served)


def init_app(app):
    """Mount the UI under ``/admin``: the home page, one view per resource, the session pages."""
    if not app.config.get("SECRET_KEY") and serving():
        sessions.ensure_secret_key(app)
    admin = Admin(app, name="Qairon", url=PREFIX, index_view=pages.HomeView(url=PREFIX),
                  theme=Bootstrap4Theme(base_template="qairon/layout.html", fluid=True))
    admin.add_view(pages.SessionView(name="Session", endpoint="session",
                                     url=f"{PREFIX}/session"))
    for category, classes in pages.categories():
        for cls in classes:
            admin.add_view(ResourceView(cls, category))
    for endpoint in ("static", "admin.static"):
        open_to_all(app, endpoint)
    app.extensions[PAGES_KEY] = (PREFIX, error_page)
    app.jinja_env.globals.update(
        qairon_csrf_token=sessions.csrf_token, qairon_object_url=object_url,
        qairon_actor=access.actor, qairon_is_open=access.is_open, qairon_layout=graph.layout,
        qairon_bands=netmap.bands)
