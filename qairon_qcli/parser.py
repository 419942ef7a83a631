"""The qcli argument parser, generated from the resource schema.

Only the chosen context (resource or plugin) gets its full command tree; the
others are listed by name, which keeps start-up fast with dozens of resources.
Global options (``-o``, ``-f``, ``-q``, ``--endpoint``, ``--timeout``) are
accepted anywhere on the line.
"""
import argparse
import textwrap

from qairon_qcli import __version__
from qairon_qcli.actions import add_action_commands
from qairon_qcli.cli import ExitStatus
from qairon_qcli.output import FORMATS
from qairon_qcli.schema import Schema

OPTIONS_WITH_VALUE = ("-o", "--output", "-f", "--field", "--endpoint", "--timeout", "--as-of")
HISTORY_CONTEXTS = ("changes", "changeset", "diff")
IAC_CONTEXTS = ("generate", "recon", "drift")

NBSP = "\u00a0"  # keeps each exit code next to its meaning when the text is wrapped
DESCRIPTION = """Command line of Qairon, the infrastructure source of truth.

  qcli RESOURCE COMMAND [ARGS] [-o json|plain|table] [-f FIELD]...

""" + textwrap.fill(
    "The endpoint is $QAIRON_ENDPOINT (default http://127.0.0.1:5000) or --endpoint. "
    "Output is plain on a pipe, a table on a terminal. Exit codes: "
    + ", ".join(f"{status.value} {status.summary}".replace(" ", NBSP) for status in ExitStatus)
    + ".", width=79, break_on_hyphens=False).replace(NBSP, " ")


def chosen_context(argv):
    """The first positional word of ``argv`` (the resource or plugin), or None."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--":
            return None
        elif word.startswith("-"):
            skip = word in OPTIONS_WITH_VALUE
        else:
            return word
    return None


def add_global_options(parser, suppress):
    """Add the options every command accepts (defaults suppressed below the top)."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("-o", "--output", choices=FORMATS, default=default,
                        help="output format (default: plain on a pipe, table on a terminal)")
    parser.add_argument("-f", "--field", dest="fields", action="append", metavar="FIELD",
                        default=default,
                        help="print only this field (repeatable; tab-separated)")
    parser.add_argument("--endpoint", default=default, metavar="URL",
                        help="server URL (overrides $QAIRON_ENDPOINT)")
    parser.add_argument("--timeout", type=float, default=default, metavar="SECONDS",
                        help="read timeout of each request (default 60)")
    parser.add_argument("-q", "--quiet", action="store_true", default=default,
                        help="print nothing on stdout (errors still on stderr); the exit code "
                             "tells the outcome")
    parser.add_argument("--as-of", dest="as_of", default=default, metavar="T",
                        help="read as the database stood at T: a changeset ID, an ISO-8601 "
                             "date or time, or 30m, 1h, 2d ago")


#: The older (upstream) qcli's short flags, kept where the option means the same here.
SHORT_FLAGS = {"defaults": "-d", "tag": "-t", "native_id": "-n"}


def _common():
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, suppress=True)
    return common


def _positional(parser, name, resource, schema, completers, help_text=None):
    action = parser.add_argument(name, metavar=name.upper(), help=help_text)
    target = schema.reference_target(resource, name)
    if completers and target:
        action.completer = completers.ids(target)
    return action


def add_resource_commands(parser, resource, schema, completers=None):
    """Fill ``parser`` with the commands of one resource."""
    entry = schema.resource(resource)
    common = _common()
    add_global_options(parser, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text,
                                  parents=[common])
        sub.set_defaults(command=name)
        return sub

    def id_argument(sub, help_text="ID of the " + resource):
        action = sub.add_argument("resource_id", metavar="ID", help=help_text)
        if completers:
            action.completer = completers.ids(resource)

    command("list", f"list every {resource} (streamed page by page)")
    id_argument(command("get", f"show one {resource}"))

    create = command("create", f"create a {resource}; prints its ID")
    positionals = entry.get("create", [])
    for name in positionals:
        action = _positional(create, name, resource, schema, completers)
        if name == positionals[-1] and schema.field_type(resource, name) == "text":
            action.nargs = "?"
            create.add_argument(f"--{name.replace('_', '-')}-file", dest=f"{name}_file",
                                metavar="FILE", help=f"read {name} from FILE (- for stdin) "
                                                     f"instead of the command line")
    for name, spec in entry.get("options", {}).items():
        if name in entry.get("create", []):
            continue
        extra = f" (default {spec['default']})" if "default" in spec else ""
        kind = " as JSON text" if spec.get("type") == "json" else ""
        flags = [SHORT_FLAGS[name]] if name in SHORT_FLAGS else []
        create.add_argument(*flags, "--" + name.replace("_", "-"), dest=name,
                            metavar=name.upper(), help=f"{name}{kind}{extra}")

    delete = command("delete", f"delete a {resource}")
    id_argument(delete)
    delete.add_argument("--cascade", action="store_true",
                        help="also delete everything below it")

    fields = sorted(set(entry.get("fields", {})) | set(entry.get("to_one", {}))
                    | set(entry.get("to_many", {})))
    get_field = command("get_field", "show a field, a to-one or a to-many relation")
    id_argument(get_field)
    get_field.add_argument("field", metavar="FIELD", choices=fields,
                           help="one of: " + ", ".join(fields))
    set_field = command("set_field", "set a field (JSON fields as JSON text, "
                                     "relations by the target's ID)")
    id_argument(set_field)
    settable = [f for f in fields if f not in entry.get("to_many", {})]
    set_field.add_argument("field", metavar="FIELD", choices=settable,
                           help="one of: " + ", ".join(settable))
    set_field.add_argument("value", metavar="VALUE")

    query = command("query", 'objects matching {"filters":[{"name":..,"op":..,"val":..}]}')
    query.add_argument("query", metavar="QUERY", help="Flask-Restless filters as JSON")

    for suffix, relation in schema.link_commands(resource).items():
        target = entry["links"][relation]["resource"]
        for verb, text in (("assign", "link"), ("unassign", "unlink")):
            sub = command(f"{verb}_{suffix}", f"{text} one {target} ({relation})")
            sub.set_defaults(relation=relation)
            id_argument(sub)
            action = sub.add_argument("other_id", metavar=f"{target.upper()}_ID")
            if completers:
                action.completer = completers.ids(target)

    add_action_commands(command, id_argument, entry)


def build_parser(parser_class, argv, schema=None, plugins=None, completers=None):
    """Build the parser for ``argv``; returns ``(parser, plugin_failures)``.

    ``plugins`` maps plugin names to loaders (see :mod:`qairon_qcli.plugins`);
    a plugin is loaded only when chosen or when no context is chosen.
    """
    schema = schema or Schema()
    parser = parser_class(prog="qcli", description=DESCRIPTION,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    add_global_options(parser, suppress=False)
    parser.add_argument("--version", action="version", version=f"qcli {__version__}")
    contexts = parser.add_subparsers(dest="resource", metavar="RESOURCE", required=True)
    chosen = chosen_context(argv)
    for name in schema.names():
        doc = schema.resource(name).get("doc") or f"{name} commands"
        sub = contexts.add_parser(name, help=doc, description=doc)
        if name == chosen:
            add_resource_commands(sub, name, schema, completers)
    if chosen is None or chosen in HISTORY_CONTEXTS:
        from qairon_qcli.history import add_history_contexts
        add_history_contexts(contexts, _common())
    else:
        for name in HISTORY_CONTEXTS:
            contexts.add_parser(name, help=f"the history: see qcli {name} --help")
    if chosen is None or chosen in IAC_CONTEXTS:
        from qairon_qcli.generate import add_generate_context
        from qairon_qcli.recon import add_recon_contexts
        add_generate_context(contexts, _common())
        add_recon_contexts(contexts, _common())
    else:
        for name in IAC_CONTEXTS:
            contexts.add_parser(name, help=f"config generation and recon: see qcli {name} "
                                           f"--help")
    failures = []
    for name, loader in sorted((plugins or {}).items()):
        if name in schema.resources or (chosen is not None and name != chosen):
            continue
        try:
            loader().register(contexts)
        except Exception as exc:  # a broken plugin must not break qcli
            failures.append((name, exc))
    return parser, failures
