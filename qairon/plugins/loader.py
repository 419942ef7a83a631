"""Finding and importing the enabled server plugins.

``QAIRON_PLUGINS`` names them (comma-separated). A plugin is a package: a
folder ``<name>/`` with an ``__init__.py`` under one of the folders of
``QAIRON_PLUGIN_PATH`` (``os.pathsep``-separated; default: the top-level
``plugins/`` of the repository), or a module installed with a
``qairon.plugins`` entry point of that name. A folder plugin is imported as
``qairon_plugin_<name>``, so its own modules import one another relatively.

A plugin that cannot be found or imported stops the start with
:class:`PluginError` naming it and the error: a half-loaded model is worse
than none.
"""
import importlib
import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points

GROUP = "qairon.plugins"
DEFAULT_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "plugins")
NAME = re.compile(r"[a-z_][a-z0-9_]*")


class PluginError(RuntimeError):
    """An enabled plugin that could not be found or loaded."""


@dataclass
class Plugin:
    """A loaded plugin: its name, module, and the folder of its migrations (or None)."""

    name: str
    module: object

    @property
    def migrations(self):
        """``<package>/migrations/versions`` when the plugin has one, else None."""
        folder = os.path.join(os.path.dirname(self.module.__file__), "migrations", "versions")
        return folder if os.path.isdir(folder) else None


def enabled(config):
    """The plugin names ``QAIRON_PLUGINS`` lists, in order, each once."""
    value = config.get("PLUGINS") or ()
    if isinstance(value, str):
        value = value.split(",")
    names = []
    for name in (n.strip() for n in value):
        if name and name not in names:
            if not NAME.fullmatch(name):
                raise PluginError(f"plugin name {name!r} in QAIRON_PLUGINS must be a Python "
                                  f"identifier in lower case")
            names.append(name)
    return names


def search_path(config):
    """The folders searched for plugin packages."""
    value = config.get("PLUGIN_PATH") or DEFAULT_PATH
    if isinstance(value, str):
        value = value.split(os.pathsep)
    return [folder for folder in value if folder]


def _from_folder(name, folder):
    module_name = f"qairon_plugin_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    init = os.path.join(folder, name, "__init__.py")
    spec = importlib.util.spec_from_file_location(
        module_name, init, submodule_search_locations=[os.path.join(folder, name)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def import_plugin(name, folders):
    """Import the plugin ``name`` from the first folder holding it, else its entry point."""
    try:
        for folder in folders:
            if os.path.isfile(os.path.join(folder, name, "__init__.py")):
                return _from_folder(name, folder)
        for point in entry_points(group=GROUP):
            if point.name == name:
                return point.load()
    except Exception as error:  # noqa: BLE001 - any failure stops the start, named
        raise PluginError(f"plugin {name!r} failed to load: {type(error).__name__}: "
                          f"{error}") from error
    raise PluginError(f"plugin {name!r} is enabled (QAIRON_PLUGINS) but was found neither "
                      f"in {os.pathsep.join(folders)} (QAIRON_PLUGIN_PATH) nor as a "
                      f"{GROUP!r} entry point")


def load(config):
    """Import every enabled plugin (its resources join the registry); returns them."""
    folders = search_path(config)
    return [Plugin(name, import_plugin(name, folders)) for name in enabled(config)]
