"""The plugins' migrations: one Alembic branch per plugin, applied by ``flask db upgrade``.

A plugin keeps its revisions in ``<plugin>/migrations/versions``; its first
revision starts a branch (``down_revision = None``, ``branch_labels =
("<name>",)``). The folders of the enabled plugins are added to Alembic's
``version_locations`` next to ``migrations/versions``, and ``flask db upgrade``
goes to every head (``heads``) instead of the single ``head``, so the core and
each plugin's branch are brought up to date by the one command.
"""
import copy
import os

import click
from flask import current_app

FOLDERS = "qairon.plugins.migrations"
CORE_VERSIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "migrations", "versions")


def version_locations(plugins):
    """The folders Alembic reads revisions from: the core's, then each plugin's."""
    return [CORE_VERSIONS] + [p.migrations for p in plugins if p.migrations]


def _upgrade_to_heads(group):
    """A copy of the ``db`` command group whose ``upgrade`` defaults to every head."""
    upgrade = copy.copy(group.commands["upgrade"])
    upgrade.params = [copy.copy(p) for p in upgrade.params]
    for param in upgrade.params:
        if param.name == "revision":
            param.default = "heads"
    changed = copy.copy(group)
    changed.commands = {**group.commands, "upgrade": upgrade}
    return changed


def with_plugins(config):
    """Flask-Migrate ``configure`` callback: the current app's plugin folders, if any."""
    folders = current_app.extensions.get(FOLDERS)
    if folders:
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(folders))
    return config


def init_app(app, migrate, plugins):
    """Add the plugins' migration folders and make ``db upgrade`` go to every head."""
    if with_plugins not in migrate.configure_callbacks:
        migrate.configure(with_plugins)
    folders = version_locations(plugins)
    if len(folders) == 1:
        return
    app.extensions[FOLDERS] = folders
    group = app.cli.commands.get("db")
    if isinstance(group, click.Group):
        app.cli.add_command(_upgrade_to_heads(group), name="db")
