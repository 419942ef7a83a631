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
    """Entry points of the group, read from installed ``entry_points.txt`` files.

    A direct scan of ``*.dist-info``/``*.egg-info`` keeps ``qcli --help`` fast:
    importing :mod:`importlib.metadata` alone costs more than the rest of qcli.
    """
    import sys
    names = {}
    for base in sys.path:
        try:
            entries = os.listdir(base or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith((".dist-info", ".egg-info")):
                path = os.path.join(base or ".", entry, "entry_points.txt")
                for name, value in _group_entries(path):
                    names.setdefault(name, value)
    return names


def _group_entries(path):
    """``(name, "module:attr")`` pairs of our group in one entry_points.txt."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    out, inside = [], False
    for line in lines:
        line = line.strip()
        if line.startswith("["):
            inside = line == f"[{ENTRY_POINT_GROUP}]"
        elif inside and "=" in line and not line.startswith(("#", ";")):
            name, value = line.split("=", 1)
            out.append((name.strip(), value.split("[")[0].strip()))
    return out


def discover(include_installed=True):
    """Mapping ``name -> module path or entry point`` of every available plugin."""
    found = _directory_plugins()
    if include_installed:
        for name, point in _entry_point_plugins().items():
            found.setdefault(name, point)
    return found


def load(target):
    """Import a plugin from a module path or ``module:attr``, or load an entry point."""
    if not isinstance(target, str):
        return target.load()
    module, _, attr = target.partition(":")
    loaded = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        loaded = getattr(loaded, part)
    return loaded
