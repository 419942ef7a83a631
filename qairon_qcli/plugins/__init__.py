"""qcli plugins: extra contexts such as ``qcli csv_import ...``.

A plugin is either a sub-package ``qairon_qcli/plugins/<name>/`` with a ``cli``
module, or an installed distribution exposing an entry point in the group
``qairon_qcli.plugins`` (``name = "package.module"``). Either way the module
provides::

    def register(subparsers):
        parser = subparsers.add_parser("<name>", help="...")
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser("do_it")
        run.set_defaults(handler=do_it)   # do_it(args, controller) -> None | int

``<name>`` is the plugin's name (the directory or entry-point name). A plugin
is imported only when its context is used or when the top-level help lists
the contexts; one that fails to import or register is reported as a warning
and every other command keeps working.
"""
import importlib
import os

ENTRY_POINT_GROUP = "qairon_qcli.plugins"


def _directory_plugins():
    names = {}
    for base in __path__:
        try:
            entries = sorted(os.listdir(base))
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(("_", ".")):
                continue
            package = os.path.join(base, entry)
            if os.path.isfile(os.path.join(package, "cli.py")):
                names.setdefault(entry, f"{__name__}.{entry}.cli")
    return names


def _entry_point_plugins():
    from importlib.metadata import entry_points
    names = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        names.setdefault(point.name, point)
    return names


def discover(include_installed=True):
    """Mapping ``name -> module path or entry point`` of every available plugin."""
    found = _directory_plugins()
    if include_installed:
        for name, point in _entry_point_plugins().items():
            found.setdefault(name, point)
    return found


def load(target):
    """Import a plugin's module from its module path or entry point."""
    if isinstance(target, str):
        return importlib.import_module(target)
    return target.load()
