"""Server plugins: packages that extend the model and the server without a fork.

:func:`load` runs early in ``create_app`` (before anything reads the registry):
it imports every plugin ``QAIRON_PLUGINS`` enables (:mod:`.loader`), so the
resources a plugin declares join :data:`qairon.models.REGISTRY` and reach
both REST faces, the schema qcli is generated from, CSV import, the walks,
history and authorisation like any other. :func:`init_app` then calls each
plugin's own ``init_app(app)`` (routes, pipeline hooks, walk edges) and adds
its migrations (:mod:`.migrations`). See CONTRIBUTING.md, "Writing a plugin".

A plugin's resources are classes: once imported they stay in the registry of
the process, so every app of that process has them.
"""
from qairon.plugins.loader import PluginError, load  # noqa: F401

EXTENSION = "qairon.plugins"


def init_app(app, plugins):
    """Initialise the loaded ``plugins`` on ``app`` in order, then their migrations."""
    from qairon.extensions import migrate
    from qairon.plugins import migrations
    app.extensions[EXTENSION] = {p.name: p for p in plugins}
    for plugin in plugins:
        setup = getattr(plugin.module, "init_app", None)
        if setup is not None:
            try:
                setup(app)
            except Exception as error:
                raise PluginError(f"plugin {plugin.name!r} failed to start: "
                                  f"{type(error).__name__}: {error}") from error
    migrations.init_app(app, migrate, plugins)
